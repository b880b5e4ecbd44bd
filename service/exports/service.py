"""Exports: the list's own scoped, filtered statement read with a server-side cursor, written batch by batch.

Neither format ever holds the whole list: rows come from PostgreSQL ``repository.BATCH`` at a time (``yield_per``
over a server-side cursor). Incidents and referrals are selected as the values the export shows, redaction done
in the query (repository.py); each batch is turned into cells column by column (labels from dicts, once per
distinct code) and written out, then dropped. Sanction decisions too: their values as GET /api/sanctions shows the
caller (ID numbers and tax codes NULL where it leaves them out).
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
from service.calendar.repository import cached_rules
from service.clock import local_day, now
from service.errors import Forbidden
from service.exports import repository
from service.exports.columns import (
    INCIDENT_FIELDS,
    REFERRAL_FIELDS,
    SANCTION_FIELDS,
    Cell,
    Field,
    headers,
)
from service.exports.referral_clocks import ClockInputs, ClockSummaries
from service.exports.writers import csv_columns, csv_lines
from service.exports.xlsx import StreamingSheet
from service.incidents.repository.filters import IncidentFilters
from service.referrals.repository import QueueFilters
from service.sanctions.repository import SanctionFilters

CHUNK = 256 * 1024
Box = Literal["inbox", "outbox", "overdue"]
Columns = list[Sequence[Cell]]  # one batch, column by column
Batches = Callable[[AsyncSession], AsyncIterator[Columns]]
Shown = Field  # a column of an export: its header and cell type


def incident_statement(principal: Principal, filters: IncidentFilters) -> Select[Any]:
    """GET /api/incidents's statement without its page limit, projected to the export's values (repository)."""
    return repository.incident_rows(principal, filters)


def _transposed(rows: repository.Rows, width: int) -> list[Sequence[Any]]:
    """A batch of selected rows column by column."""
    return list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]


def _shown(fields: Sequence[Field], values: Sequence[Sequence[Any]]) -> Columns:
    """A batch's selected values, column by column, as its fields' cells."""
    return [field.show(column) for field, column in zip(fields, values, strict=True)]


def incident_batches(principal: Principal, stmt: Select[Any]) -> Batches:
    """Cells of the incident export, batch by batch: the values as selected (redacted there), labels looked up."""

    async def batches(session: AsyncSession) -> AsyncIterator[Columns]:
        async for rows in repository.value_partitions(session, stmt):
            yield _shown(INCIDENT_FIELDS, _transposed(rows, len(INCIDENT_FIELDS)))

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


def referral_statement(agency_id: uuid.UUID | None, box: Box, filters: QueueFilters) -> Select[Any]:
    """The queue's statement (GET /api/referrals/inbox, /outbox, /overdue) without its row limit, as values."""
    return repository.referral_rows(agency_id, box, filters)


REFERRAL_CLOCK_INPUTS = ClockInputs(status=5, type=4, sent_on=6, ack_due_on=11, due_on=12, due_rule=13, paused=14)


def referral_batches(principal: Principal, stmt: Select[Any]) -> Batches:
    """Cells of the referral export with their clocks, as the queue routes show them (referral_clocks.py)."""
    del principal  # the queue's columns are the same for every reader of it

    async def batches(session: AsyncSession) -> AsyncIterator[Columns]:
        today = local_day(now())
        summaries = ClockSummaries(await cached_rules(session, today), today)
        async for rows in repository.value_partitions(session, stmt):
            values = _transposed(rows, len(repository.REFERRAL_COLUMNS))
            clock_columns = summaries.columns(rows, REFERRAL_CLOCK_INPUTS)
            yield _shown(REFERRAL_FIELDS, [*values[:9], *clock_columns, *values[9:11]])

    return batches


def sanction_statement(principal: Principal, filters: SanctionFilters) -> Select[Any]:
    """GET /api/sanctions's statement without its page limit, projected to the export's values (repository)."""
    return repository.sanction_rows(principal, filters)


def sanction_batches(principal: Principal, stmt: Select[Any]) -> Batches:
    """Cells of the sanction export, batch by batch: the values as selected (redacted there), labels looked up."""
    del principal  # the statement carries the caller's scope and redaction

    async def batches(session: AsyncSession) -> AsyncIterator[Columns]:
        async for rows in repository.value_partitions(session, stmt):
            yield _shown(SANCTION_FIELDS, _transposed(rows, len(SANCTION_FIELDS)))

    return batches


async def csv_stream(engine: AsyncEngine, columns: Sequence[Shown], batches: Batches) -> AsyncIterator[bytes]:
    """The CSV file, header first, then one chunk per batch, read in a session of its own.

    The request's session is committed and closed when the response starts, before this body is sent.
    """
    yield csv_lines([headers(columns)], first=True)
    types = [column.type for column in columns]
    async with AsyncSession(engine) as session:
        async for batch in batches(session):
            yield csv_columns(types, batch)


async def xlsx_file(session: AsyncSession, title: str, columns: Sequence[Shown], batches: Batches) -> BinaryIO:
    """The XLSX workbook written to a temporary file, open for reading; the file's name is already gone.

    An XLSX is a zip whose directory comes last, so it is complete before the first byte is sent. Unlinking
    the file once it is open means no path is left behind whatever happens to the download: the disk space
    is freed when the handle is closed. The sheet's XML and its compression run in a thread, off the event loop.
    """
    path = _temporary_file()
    try:
        types = [column.type for column in columns]
        sheet = await to_thread.run_sync(StreamingSheet, path, title, headers(columns), types)
        async for batch in batches(session):
            await to_thread.run_sync(sheet.write_columns, batch)
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
