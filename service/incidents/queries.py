"""Reading incidents: one by id and its history as the API shows them, scoped to the caller (lists: summaries.py;
statements and the list's filters: repository/)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.clocks import ClockOut
from schemas.incidents import CrimeSign, HistoryEntryOut, IncidentOut, PlaceOut
from service.auth.principal import Principal
from service.calendar.repository import cached_rules
from service.clock import LOCAL_TZ, local_day, now
from service.incidents import repository
from service.incidents.clocks import incident_clocks
from service.incidents.models import Incident
from service.incidents.service import PERSONAL_KEYS, IncidentNotFound


async def get_incident(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> IncidentOut:
    """One visible incident, or a 404 (also for incidents of agencies the caller cannot see)."""
    row = await repository.visible_with_names(session, principal, incident_id)
    if row is None:
        raise IncidentNotFound()
    today = local_day(now())
    clocks = incident_clocks(row[0], await cached_rules(session, today), today)
    return incident_out(principal, row[0], row[1], row[2], clocks)


async def present(session: AsyncSession, principal: Principal, incident: Incident) -> IncidentOut:
    """The API view of an incident just written in this request (names looked up only when not the caller's)."""
    if incident.agency_id == principal.agency_id:
        agency_code: str | None = principal.agency_code
    else:
        agency_code = await repository.agency_code(session, incident.agency_id)
    if incident.recorded_by_id == principal.user_id:
        username: str | None = principal.username
    else:
        username = await repository.username(session, incident.recorded_by_id)
    today = local_day(now())
    clocks = incident_clocks(incident, await cached_rules(session, today), today)
    return incident_out(principal, incident, agency_code or "", username or "", clocks)


async def history(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> list[HistoryEntryOut]:
    """Every change of a visible incident, oldest first."""
    incident = await repository.get_visible(session, principal, incident_id)
    if incident is None:
        raise IncidentNotFound()
    personal = sees_personal_data(principal, incident)
    return [
        HistoryEntryOut(
            version=event.version,
            action=event.action,
            actor=username,
            at=event.at.astimezone(LOCAL_TZ),
            reason=event.reason,
            changes=event.changes if personal else redact(event.changes),
        )
        for event, username in await repository.history_rows(session, incident_id)
    ]


def sees_personal_data(principal: Principal, incident: Incident) -> bool:
    """Violators' ID numbers: only for the recording agency and coordinators."""
    return principal.sees_all_agencies or principal.agency_id == incident.agency_id


def redact(value: Any) -> Any:
    """A copy without personal ID numbers, at any depth."""
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items() if k not in PERSONAL_KEYS}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def incident_out(
    principal: Principal,
    incident: Incident,
    agency_code: str,
    username: str,
    clocks: list[ClockOut] | None = None,
) -> IncidentOut:
    """The API view of an incident, times in Asia/Ho_Chi_Minh, personal data only for those entitled."""
    data = incident.payload if sees_personal_data(principal, incident) else redact(incident.payload)
    return IncidentOut(
        id=incident.id,
        kind=incident.kind,  # type: ignore[arg-type]
        status=incident.status,  # type: ignore[arg-type]
        version=incident.version,
        agency_code=agency_code,
        recorded_by=username,
        recorded_at=incident.recorded_at.astimezone(LOCAL_TZ),
        updated_at=incident.updated_at.astimezone(LOCAL_TZ),
        occurred_at=incident.occurred_at.astimezone(LOCAL_TZ),
        place=PlaceOut(
            lon=incident.lon,
            lat=incident.lat,
            address=(incident.payload.get("location") or {}).get("address"),
            source=incident.location_source,  # type: ignore[arg-type]
            unit_2025=incident.unit_2025,
            commune_2024=incident.commune_2024,
            district_2024=incident.district_2024,
            district_2024_split=incident.district_2024_split,
        ),
        goods_value_vnd=incident.goods_value_vnd,
        crime_signs=[CrimeSign(**sign) for sign in incident.crime_signs],
        clocks=clocks or [],
        data=data,
        case_id=incident.case_id,
        anonymised_at=incident.anonymised_at.astimezone(LOCAL_TZ) if incident.anonymised_at else None,
    )
