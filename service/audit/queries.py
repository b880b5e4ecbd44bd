"""The administrators' reading of the audit trail: pages and the CSV export, both filtered the same way."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from schemas.audit import AuditEventOut, AuditPage
from service.audit import repository
from service.audit.chain import HASHED
from service.audit.repository import AuditFilters
from service.audit.service import Actor, record
from service.errors import Invalid

CSV_COLUMNS = (*HASHED, "hash")
BOM = "\ufeff"  # Excel opens the UTF-8 file as UTF-8


def check(filters: AuditFilters) -> None:
    """A time range that ends before it starts is a 400 naming `since`."""
    if filters.since and filters.until and filters.since >= filters.until:
        raise Invalid(field="since").with_code("audit.bad_range")


async def page(session: AsyncSession, filters: AuditFilters, before: int | None, limit: int) -> AuditPage:
    """A page of the filtered trail, newest first."""
    check(filters)
    rows = await repository.list_page(session, filters, before, limit)
    items = [msgspec.convert(row, AuditEventOut, from_attributes=True) for row in rows[:limit]]
    return AuditPage(items=items, next_before=items[-1].id if len(rows) > limit else None)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


async def start_export(session: AsyncSession, actor: Actor, filters: AuditFilters) -> None:
    """Check the filters and record the export itself (the trail holds staff's names and addresses)."""
    check(filters)
    shown = {key: str(value) for key, value in vars(filters).items() if value is not None}
    await record(session, "audit.exported", actor, record_type="audit", detail=shown)


async def csv_chunks(engine: AsyncEngine, filters: AuditFilters) -> AsyncIterator[bytes]:
    """The filtered trail as CSV (every column the hash covers, and the hash), streamed in batches."""
    yield (BOM.encode() + _csv([list(CSV_COLUMNS)]))
    async with engine.connect() as connection:
        async for rows in repository.batches(connection, filters):
            yield _csv([[_cell(row[name]) for name in CSV_COLUMNS] for row in rows])
