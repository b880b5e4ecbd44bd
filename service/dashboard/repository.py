"""The dashboard's queries: one GROUP BY per table, never a loop over rows."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.codes import WITHDRAWN
from service.auth.models import Agency
from service.clock import LOCAL_TZ
from service.dashboard.figures import IncidentGroup, OverdueRow, Periods
from service.incidents.models import Incident
from service.referrals.models import Referral
from service.referrals.repository import overdue_condition
from service.referrals.transitions import OPEN


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LOCAL_TZ)


async def incident_groups(session: AsyncSession, periods: Periods) -> list[IncidentGroup]:
    """Incidents that occurred this year (withdrawn ones left out) by kind and recording agency, with this month's."""
    occurred = Incident.occurred_at
    in_month = (occurred >= _midnight(periods.month_start)) & (occurred < _midnight(periods.next_month))
    stmt = (
        select(
            Incident.kind,
            Agency.code,
            Agency.name_vi,
            Agency.name_en,
            func.count().filter(in_month),
            func.count(),
        )
        .join(Agency, Agency.id == Incident.agency_id)
        .where(occurred >= _midnight(periods.year_start), occurred < _midnight(periods.next_year))
        .where(Incident.status != WITHDRAWN)
        .group_by(Incident.kind, Agency.code, Agency.name_vi, Agency.name_en)
    )
    return [IncidentGroup(*row) for row in (await session.execute(stmt)).all()]


async def overdue_by_agency(session: AsyncSession, today: date) -> list[OverdueRow]:
    """Open referrals per receiving agency and how many of them are overdue (as GET /api/referrals/overdue)."""
    late: Any = overdue_condition(today)
    stmt = (
        select(Agency.code, Agency.name_vi, Agency.name_en, func.count(), func.count().filter(late))
        .join(Agency, Agency.id == Referral.to_agency_id)
        .where(Referral.status.in_(sorted(status.value for status in OPEN)))
        .group_by(Agency.code, Agency.name_vi, Agency.name_en)
    )
    return [
        OverdueRow(code, (name_vi, name_en), total, overdue)
        for code, name_vi, name_en, total, overdue in (await session.execute(stmt)).all()
    ]
