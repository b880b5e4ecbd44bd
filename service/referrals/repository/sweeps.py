"""The statements of the sweeps over the referral clocks (reminders.py): open referrals due, overdue, by receiver."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.referrals.models import Referral
from service.referrals.repository import FromAgency, ToAgency
from service.referrals.transitions import OPEN, Status

Row = tuple[Referral, str, str]


def _open_referrals() -> Select[Referral, str, str]:
    stmt = select(Referral, FromAgency.code, ToAgency.code).where(Referral.status.in_([s.value for s in OPEN]))
    stmt = stmt.join(FromAgency, FromAgency.id == Referral.from_agency_id)
    return stmt.join(ToAgency, ToAgency.id == Referral.to_agency_id).order_by(Referral.due_on, Referral.sent_at)


async def due_between(session: AsyncSession, first_day: date, last_day: date) -> list[Row]:
    """Open referrals with a running clock due from `first_day` to `last_day` (clocks already past are not read)."""
    decision = Referral.due_on.between(first_day, last_day)
    ack = and_(Referral.status == Status.SENT.value, Referral.ack_due_on.between(first_day, last_day))
    rows = await session.execute(_open_referrals().where(or_(decision, ack)))
    return [(row[0], row[1], row[2]) for row in rows.all()]


async def not_escalated(session: AsyncSession, today: date) -> list[Row]:
    """Open referrals with a clock that ran out before `today` and has not been escalated for that date."""
    late_due = and_(
        Referral.due_on < today,
        Referral.information_requested_at.is_(None),
        Referral.escalated_due_for.is_distinct_from(Referral.due_on),
    )
    late_ack = and_(
        Referral.status == Status.SENT.value,
        Referral.ack_due_on < today,
        Referral.escalated_ack_for.is_distinct_from(Referral.ack_due_on),
    )
    rows = await session.execute(_open_referrals().where(or_(late_due, late_ack)))
    return [(row[0], row[1], row[2]) for row in rows.all()]


async def receivers(session: AsyncSession) -> list[uuid.UUID]:
    """The agencies with open incoming referrals."""
    stmt = select(Referral.to_agency_id).where(Referral.status.in_([s.value for s in OPEN])).distinct()
    return list(await session.scalars(stmt))


async def open_for(session: AsyncSession, agency_ids: list[uuid.UUID]) -> list[Row]:
    """The open referrals these agencies received, by due day."""
    rows = await session.execute(_open_referrals().where(Referral.to_agency_id.in_(agency_ids)))
    return [(row[0], row[1], row[2]) for row in rows.all()]
