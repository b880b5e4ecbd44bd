"""The statements of the sweeps over the referral clocks (reminders.py): open referrals due, overdue, by receiver,
and the marks of the due days a sweep already handled.

The sweeps read narrow rows (`ClockRow`: the columns their clocks and messages need, with the agencies' codes)
through Core, never whole Referral entities: a catch-up sweep reads thousands.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    bindparam,
    cast,
    column,
    exists,
    func,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency
from service.referrals.models import Referral
from service.referrals.repository import FromAgency, ToAgency
from service.referrals.transitions import OPEN, Status

Sweep = Literal["reminded", "escalated"]


class ClockRow(NamedTuple):
    """What a sweep reads of one open referral. `ack_marked_for` / `due_marked_for`: the due day of each clock
    the reading sweep already handled (reminded for `due_between`, escalated for `not_escalated`; None for
    `open_for`)."""

    id: uuid.UUID
    incident_id: uuid.UUID
    type: str
    status: str
    to_agency_id: uuid.UUID
    due_on: date | None
    ack_due_on: date | None
    information_requested_at: datetime | None
    from_code: str
    to_code: str
    ack_marked_for: date | None
    due_marked_for: date | None


MARKERS: dict[Sweep, tuple[Any, Any]] = {  # (acknowledgement clock, decision clock)
    "reminded": (Referral.reminded_ack_for, Referral.reminded_due_for),
    "escalated": (Referral.escalated_ack_for, Referral.escalated_due_for),
}
_OPEN = [s.value for s in OPEN]


def _open_referrals(ack_marked: Any = None, due_marked: Any = None) -> Select[*tuple[Any, ...]]:
    """Open referrals as ClockRow columns, due first."""
    stmt = select(
        Referral.id,
        Referral.incident_id,
        Referral.type,
        Referral.status,
        Referral.to_agency_id,
        Referral.due_on,
        Referral.ack_due_on,
        Referral.information_requested_at,
        FromAgency.code,
        ToAgency.code,
        (cast(null(), Date) if ack_marked is None else ack_marked).label("ack_marked_for"),
        (cast(null(), Date) if due_marked is None else due_marked).label("due_marked_for"),
    ).where(Referral.status.in_(_OPEN))
    stmt = stmt.join(FromAgency, FromAgency.id == Referral.from_agency_id)
    return stmt.join(ToAgency, ToAgency.id == Referral.to_agency_id).order_by(Referral.due_on, Referral.sent_at)


async def _rows(session: AsyncSession, stmt: Select[*tuple[Any, ...]]) -> list[ClockRow]:
    return [ClockRow(*row) for row in (await session.execute(stmt)).all()]


def _unhandled(sweep: Sweep, decision: ColumnElement[bool], ack: ColumnElement[bool]) -> ColumnElement[bool]:
    """A running clock matching its condition whose due day `sweep` has not handled yet."""
    ack_marked, due_marked = MARKERS[sweep]
    late_due = and_(decision, Referral.information_requested_at.is_(None), due_marked.is_distinct_from(Referral.due_on))
    late_ack = and_(Referral.status == Status.SENT.value, ack, ack_marked.is_distinct_from(Referral.ack_due_on))
    return or_(late_due, late_ack)


async def due_between(session: AsyncSession, first_day: date, last_day: date) -> list[ClockRow]:
    """Open referrals with a running clock due from `first_day` to `last_day` not yet reminded for that day."""
    decision = Referral.due_on.between(first_day, last_day)
    ack = Referral.ack_due_on.between(first_day, last_day)
    stmt = _open_referrals(*MARKERS["reminded"]).where(_unhandled("reminded", decision, ack))
    return await _rows(session, stmt)


async def not_escalated(session: AsyncSession, today: date) -> list[ClockRow]:
    """Open referrals with a clock that ran out before `today` and has not been escalated for that date."""
    late = _unhandled("escalated", Referral.due_on < today, Referral.ack_due_on < today)
    return await _rows(session, _open_referrals(*MARKERS["escalated"]).where(late))


async def mark(session: AsyncSession, sweep: Sweep, done: Sequence[tuple[uuid.UUID, str, date]]) -> None:
    """Record (referral, clock, due day) as handled by `sweep`: one UPDATE per clock, whatever their number."""
    for clock, marker in zip(("acknowledge", "decision"), MARKERS[sweep], strict=True):
        pairs = sorted((referral_id, day) for referral_id, name, day in done if name == clock)
        if not pairs:
            continue
        ids = bindparam("ids", [referral_id for referral_id, _ in pairs], type_=ARRAY(PG_UUID(as_uuid=True)))
        days = bindparam("days", [day for _, day in pairs], type_=ARRAY(Date))
        columns = column("id", PG_UUID(as_uuid=True)), column("day", Date)
        handled = func.unnest(ids, days).table_valued(*columns).render_derived()
        stmt = update(Referral).where(Referral.id == handled.c.id).values({marker.key: handled.c.day})
        await session.execute(stmt.execution_options(synchronize_session=False))


async def receivers(session: AsyncSession) -> list[uuid.UUID]:
    """The agencies with open incoming referrals (one index probe per agency, not a scan of the open ones)."""
    received = exists().where(Referral.to_agency_id == Agency.id, Referral.status.in_(_OPEN))
    return list(await session.scalars(select(Agency.id).where(received).order_by(Agency.code)))


async def open_for(session: AsyncSession, agency_ids: list[uuid.UUID]) -> list[ClockRow]:
    """The open referrals these agencies received, by due day."""
    return await _rows(session, _open_referrals().where(Referral.to_agency_id.in_(agency_ids)))
