"""Exports: the list's own scoped, filtered statement read with a server-side cursor, written batch by batch.

Neither format ever holds the whole list: rows come from PostgreSQL ``BATCH`` at a time (``yield_per`` over a
server-side cursor), each batch is turned into the API's view for the caller and written out, then dropped.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Literal

from anyio import to_thread
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from service.auth.principal import Principal
from service.auth.service import require_agency
from service.calendar.repository import load_rules
from service.clock import local_day, now
from service.errors import Forbidden
from service.exports import repository
from service.exports.columns import INCIDENT_COLUMNS, REFERRAL_COLUMNS, SANCTION_COLUMNS, Cell, Column, cells, headers
from service.exports.writers import XlsxSheet, csv_lines
from service.incidents import queries
from service.incidents import repository as incident_repository
from service.incidents.models import Incident
from service.incidents.repository.filters import IncidentFilters, filter_conditions
from service.referrals.models import Referral
from service.referrals.repository import QueueFilters
from service.referrals.views import referral_out
from service.sanctions import queries as sanction_queries
from service.sanctions.repository import SanctionSelect

BATCH = 1_000
CHUNK = 256 * 1024
Box = Literal["inbox", "outbox", "overdue"]
Rows = list[tuple[Cell, ...]]
Batches = Callable[[AsyncSession], AsyncIterator[Rows]]
IncidentSelect = Select[Incident, str, str]
ReferralSelect = Select[Referral, str, str]


def incident_statement(principal: Principal, filters: IncidentFilters) -> IncidentSelect:
    """GET /api/incidents's statement without its page limit: same scope, filters and order.

    Built from the list's own helpers rather than a copy, so a filter added there applies here too.
    Raises the list's 400 for a bad filter (e.g. ``unit``) before any response is started.
    """
    stmt = incident_repository.with_names(incident_repository.visible_to(principal)).where(*filter_conditions(filters))
    return stmt.order_by(Incident.recorded_at.desc(), Incident.id.desc())


def incident_batches(principal: Principal, stmt: IncidentSelect) -> Batches:
    """Rows of the incident export, as the list route shows each incident to this caller (redaction included)."""

    async def batches(session: AsyncSession) -> AsyncIterator[Rows]:
        async for partition in repository.partitions(session, stmt, BATCH):
            views = (queries.incident_out(principal, row[0], row[1], row[2]) for row in partition)
            yield [cells(INCIDENT_COLUMNS, view) for view in views]

    return batches


async def referral_agency(
    session: AsyncSession, principal: Principal, box: Box, agency: str | None
) -> uuid.UUID | None:
    """Whose queue is exported: as the queue routes decide (own agency; another only for coordinators).

    ``overdue`` is the coordinators' province-wide list (GET /api/referrals/overdue), or one agency's inbox.
    """
    if box == "overdue" and not principal.sees_all_agencies:
        raise Forbidden(field="box")
    if agency is None:
        return None if box == "overdue" else principal.agency_id
    if agency == principal.agency_code:
        return principal.agency_id
    if not principal.sees_all_agencies:
        raise Forbidden(field="agency")
    return (await require_agency(session, agency, field="agency")).id


def referral_statement(agency_id: uuid.UUID | None, box: Box, filters: QueueFilters) -> ReferralSelect:
    """The queue's statement (GET /api/referrals/inbox, /outbox, /overdue) without its row limit."""
    return repository.referral_statement(agency_id, box, filters)


def referral_batches(principal: Principal, stmt: ReferralSelect) -> Batches:
    """Rows of the referral export with their clocks, as the queue routes show them."""

    async def batches(session: AsyncSession) -> AsyncIterator[Rows]:
        today = local_day(now())
        rules = await load_rules(session, today)
        async for partition in repository.partitions(session, stmt, BATCH):
            views = (referral_out(row[0], row[1], row[2], rules, today, principal) for row in partition)
            yield [cells(REFERRAL_COLUMNS, view) for view in views]

    return batches


def sanction_batches(principal: Principal, stmt: SanctionSelect) -> Batches:
    """Rows of the sanction export, as GET /api/sanctions shows each decision to this caller (redaction included)."""

    async def batches(session: AsyncSession) -> AsyncIterator[Rows]:
        async for partition in repository.partitions(session, stmt, BATCH):
            views = (sanction_queries.sanction_item(principal, row[0], row[1], row[2], row[3]) for row in partition)
            yield [cells(SANCTION_COLUMNS, view) for view in views]

    return batches


async def csv_stream(engine: AsyncEngine, columns: Sequence[Column[Any]], batches: Batches) -> AsyncIterator[bytes]:
    """The CSV file, header first, then one chunk per batch, read in a session of its own.

    The request's session is committed and closed when the response starts, before this body is sent.
    """
    yield csv_lines([headers(columns)], first=True)
    async with AsyncSession(engine) as session:
        async for rows in batches(session):
            yield csv_lines(rows)


async def xlsx_file(session: AsyncSession, title: str, columns: Sequence[Column[Any]], batches: Batches) -> BinaryIO:
    """The XLSX workbook written to a temporary file, open for reading; the file's name is already gone.

    An XLSX is a zip whose directory comes last, so it is complete before the first byte is sent. Unlinking
    the file once it is open means no path is left behind whatever happens to the download: the disk space
    is freed when the handle is closed. XlsxWriter's work runs in a thread, off the event loop.
    """
    path = _temporary_file()
    try:
        types = [column.type for column in columns]
        sheet = await to_thread.run_sync(XlsxSheet, path, title, headers(columns), types)
        async for rows in batches(session):
            await to_thread.run_sync(sheet.write_rows, rows)
        await to_thread.run_sync(sheet.close)
        return await to_thread.run_sync(_open_unlinked, path)
    finally:
        _remove(path)


def _temporary_file() -> Path:
    descriptor, name = tempfile.mkstemp(prefix="ipcoord-export-", suffix=".xlsx")
    os.close(descriptor)
    return Path(name)


def _open_unlinked(path: Path) -> BinaryIO:
    handle = path.open("rb")
    path.unlink()
    return handle


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


async def file_chunks(handle: BinaryIO) -> AsyncIterator[bytes]:
    """The file's bytes in chunks, closing it at the end (or when the client goes away)."""
    try:
        while chunk := await to_thread.run_sync(handle.read, CHUNK):
            yield chunk
    finally:
        handle.close()
