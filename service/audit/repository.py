"""The audit trail's statements: appending through audit_append, walking the chain, pruning its oldest end, and
reading it filtered by user, event, record and time, newest first (pages, CSV batches)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, false, or_, select, text, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from service.audit.models import AuditAnchor, AuditEvent

# pg_advisory_xact_lock key of audit appends (any fixed number no other lock of the service uses).
APPEND_LOCK = 7_220_022
# audit_append (migration 9c4e1a7b2d55): lock, hash before, id and insert in one round trip.
# The JSON arguments go as text cast in SQL: encoded once here, no per-call type processing.
_APPEND = text(
    "SELECT audit_append(:key, :digest, :at, :event, :actor_id, :actor_name, :record_type, "
    "CAST(:record_ids AS jsonb), CAST(:fields AS jsonb), :address, :user_agent, :request_id, CAST(:detail AS jsonb))"
)

# Many rows in one statement: audit_append once per element, in the batch's order.
_APPEND_MANY = text(
    "SELECT audit_append(:key, r->>'digest', (r->>'at')::timestamptz, r->>'event', (r->>'actor_id')::uuid, "
    "r->>'actor_name', r->>'record_type', (r->>'record_ids')::jsonb, (r->>'fields')::jsonb, r->>'address', "
    "r->>'user_agent', r->>'request_id', (r->>'detail')::jsonb) "
    "FROM jsonb_array_elements(CAST(:rows AS jsonb)) WITH ORDINALITY AS t(r, n) ORDER BY n"
)


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


async def append(session: AsyncSession, arguments: dict[str, Any]) -> int:
    """One row appended to the chain through audit_append; its id."""
    appended = await (await session.connection()).scalar(_APPEND, {**arguments, "key": APPEND_LOCK})
    return int(appended or 0)


async def append_many(session: AsyncSession, rows: str) -> None:
    """Rows (a JSON array of `append`'s arguments) appended in their order in one round trip."""
    await (await session.connection()).execute(_APPEND_MANY, {"key": APPEND_LOCK, "rows": rows})


async def latest_anchor(connection: AsyncConnection) -> Row[int, str] | None:
    """(through_id, through_hash) of the latest anchor, if the chain was ever pruned."""
    stmt = select(AuditAnchor.through_id, AuditAnchor.through_hash).order_by(AuditAnchor.id.desc())
    return (await connection.execute(stmt)).first()


async def chain_rows(connection: AsyncConnection, after: int, batch: int) -> AsyncIterator[list[dict[str, Any]]]:
    """The rows after id `after`, in the chain's order, `batch` at a time."""
    table = AuditEvent.__table__
    while True:
        stmt = select(table).where(table.c.id > after).order_by(table.c.id).limit(batch)
        rows = [dict(r) for r in (await connection.execute(stmt)).mappings().all()]
        if not rows:
            return
        yield rows
        after = rows[-1]["id"]


async def lock_appends(session: AsyncSession) -> None:
    """Hold the append lock until the transaction ends."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})


async def last_before(session: AsyncSession, cutoff: datetime) -> Row[int, str] | None:
    """(id, hash) of the newest row older than `cutoff`."""
    stmt = select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.at < cutoff).order_by(AuditEvent.id.desc()).limit(1)
    return (await session.execute(stmt)).first()


async def count_through(session: AsyncSession, through_id: int) -> int:
    return int(await session.scalar(text("SELECT count(*) FROM audit_events WHERE id <= :id"), {"id": through_id}) or 0)


async def delete_through(session: AsyncSession, through_id: int) -> None:
    await session.execute(text("DELETE FROM audit_events WHERE id <= :id"), {"id": through_id})
