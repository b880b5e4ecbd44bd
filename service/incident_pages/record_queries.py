"""What the inspector pages read: the crime thresholds in force, my incidents, and which went to the police."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.clocks import ClockOut
from schemas.referrals import ReferralIn, ReferralType
from service.auth import repository as auth_repository
from service.auth.principal import Principal
from service.calendar.repository import load_rules
from service.clock import is_in_force, local_day, now
from service.incident_pages import repository
from service.incidents.clocks import incident_clocks
from service.incidents.models import Incident
from service.pagination import decode_cursor, encode_cursor
from service.referrals import service as referral_service

# DOMAIN.md §4: a case with signs of a crime is transferred to the police (CA) at once (LXLVPHC Art. 62.1).
POLICE = "CA"
CRIMINAL_REFERRAL: ReferralType = "CHUYEN_HO_SO_HINH_SU"


async def thresholds_in_force(session: AsyncSession, on: date) -> list[dict[str, object]]:
    """The Penal Code thresholds in force on `on`, for the form to warn before saving (the service decides)."""
    rows = await repository.thresholds(session)
    return [
        {"article": r.article, "acts": list(r.acts), "measure": r.measure, "threshold": r.threshold_vnd}
        for r in rows
        if is_in_force(r, on)
    ]


@dataclass(frozen=True)
class MyPage:
    """One page of the caller's own incidents, newest recorded first."""

    items: list[Incident]
    next_cursor: str | None


async def my_incidents(session: AsyncSession, principal: Principal, cursor: str | None, limit: int) -> MyPage:
    """Incidents the caller recorded, newest first, paged with the API's cursor."""
    after = decode_cursor(cursor, datetime) if cursor else None
    rows = await repository.recorded_by_me(session, principal, after, limit + 1)
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(last.recorded_at, last.id) if last is not None else None
    return MyPage(rows[:limit], next_cursor)


async def referred_to_police(
    session: AsyncSession, principal: Principal, incident_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these incidents already have a criminal referral to the police that the caller can see."""
    if not incident_ids:
        return set()
    found = await repository.referrals_of_type_to(session, principal, incident_ids, CRIMINAL_REFERRAL, POLICE)
    return {r.incident_id for r in found}


async def refer_to_police(session: AsyncSession, principal: Principal, incident_id: uuid.UUID, message: str) -> bool:
    """Send the criminal referral once; False when it was already sent (a second tap sends nothing)."""
    if await referred_to_police(session, principal, [incident_id]):
        return False
    data = ReferralIn(incident_id=incident_id, to_agency=POLICE, type=CRIMINAL_REFERRAL, message=message)
    await referral_service.refer(session, principal, data)
    return True


async def clocks_of(session: AsyncSession, incidents: Sequence[Incident]) -> dict[uuid.UUID, list[ClockOut]]:
    """Each incident's own running clocks (the recording agency's duty), for its card."""
    today = local_day(now())
    rules = await load_rules(session, today)
    return {incident.id: incident_clocks(incident, rules, today) for incident in incidents}


async def agency_names(session: AsyncSession, lang: str) -> dict[str, str]:
    """Agency names by code in the reader's language."""
    return {a.code: a.name_vi if lang == "vi" else a.name_en for a in await auth_repository.list_agencies(session)}
