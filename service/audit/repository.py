"""Reading the audit trail: filtered by user, event, record and time, newest first (pages, CSV batches)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, false, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from service.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    """What the trail can be narrowed by; every field optional."""

    user: str | None = None  # a user name (as it was when the row was written) or a user id
    event: str | None = None  # an event ("auth.sign_in") or a family of them ("auth")
    record: str | None = None  # a record id: an incident, user, token, holiday day, …
    since: datetime | None = None
    until: datetime | None = None


def conditions(filters: AuditFilters) -> list[Any]:
    """The WHERE conditions of the filters."""
    found: list[Any] = []
    if filters.user:
        found.append(or_(AuditEvent.actor_name == filters.user.strip().lower(), _actor_id_is(filters.user)))
    if filters.event:
        found.append(or_(AuditEvent.event == filters.event, AuditEvent.event.startswith(filters.event + ".")))
    if filters.record:
        found.append(AuditEvent.record_ids.contains(type_coerce([filters.record.strip()], JSONB)))
    if filters.since:
        found.append(AuditEvent.at >= filters.since)
    if filters.until:
        found.append(AuditEvent.at < filters.until)
    return found


def _actor_id_is(value: str) -> Any:
    try:
        return AuditEvent.actor_id == uuid.UUID(value.strip())
    except ValueError:
        return false()


def statement(filters: AuditFilters) -> Select[AuditEvent]:
    """The filtered trail, newest first."""
    return select(AuditEvent).where(*conditions(filters)).order_by(AuditEvent.id.desc())


async def list_page(session: AsyncSession, filters: AuditFilters, before: int | None, limit: int) -> list[AuditEvent]:
    """Up to limit + 1 rows older than `before` (the extra one says whether a next page exists)."""
    stmt = statement(filters)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    return list(await session.scalars(stmt.limit(limit + 1)))


async def batches(connection: AsyncConnection, filters: AuditFilters, size: int = 1000) -> AsyncIterator[list[Any]]:
    """Every filtered row, newest first, in batches (keyset by id, for exports of any length)."""
    before: int | None = None
    table = AuditEvent.__table__
    while True:
        stmt = select(table).where(*conditions(filters)).order_by(table.c.id.desc()).limit(size)
        if before is not None:
            stmt = stmt.where(table.c.id < before)
        rows = list((await connection.execute(stmt)).mappings().all())
        if not rows:
            return
        yield rows
        before = rows[-1]["id"]
