"""Reading incidents: one by id, the list's filters, history; every read scoped to the caller (pages: summaries.py)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.clocks import ClockOut
from schemas.incidents import CrimeSign, HistoryEntryOut, IncidentOut, PlaceOut
from service.auth.models import Agency, User
from service.auth.principal import Principal
from service.calendar.repository import cached_rules
from service.cases.models import DuplicateFlag
from service.clock import LOCAL_TZ, local_day, now
from service.errors import Invalid
from service.incidents import repository
from service.incidents.clocks import incident_clocks
from service.incidents.models import Incident, IncidentEvent
from service.incidents.references import reference_condition
from service.incidents.service import PERSONAL_KEYS, IncidentNotFound
from service.text import fold

UNIT_FILTER = re.compile(r"^(2024|2025):(\d{3}|\d{5})$")


@dataclass(frozen=True)
class IncidentFilters:
    """What the list can be narrowed by; every field optional."""

    kind: str | None = None
    agency: str | None = None
    unit: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    subject_matter: str | None = None
    act: str | None = None
    status: str | None = None
    q: str | None = None
    ref: str | None = None  # an external reference number, compared folded (service/incidents/references.py)
    duplicates: str | None = None  # "flagged": an open likely-duplicate flag; "linked": part of a linked case


def with_names(stmt: Select[Incident]) -> Select[Incident, str, str]:
    return (
        stmt.join(Agency, Agency.id == Incident.agency_id)
        .join(User, User.id == Incident.recorded_by_id)
        .add_columns(Agency.code, User.username)
    )


def _unit_condition(unit: str) -> Any:
    match = UNIT_FILTER.match(unit)
    if not match:
        raise Invalid(field="unit").with_code("incident.bad_unit_filter")
    generation, code = match.groups()
    if generation == "2025":
        return Incident.unit_2025 == code
    return Incident.district_2024 == code if len(code) == 3 else Incident.commune_2024 == code


def _duplicates_condition(which: str) -> Any:
    if which == "linked":
        return Incident.case_id.is_not(None)
    involved = or_(DuplicateFlag.incident_a_id == Incident.id, DuplicateFlag.incident_b_id == Incident.id)
    return exists().where(DuplicateFlag.status == "open", involved)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LOCAL_TZ)


def filter_conditions(filters: IncidentFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.kind:
        conditions.append(Incident.kind == filters.kind)
    if filters.agency:
        conditions.append(Agency.code == filters.agency)
    if filters.unit:
        conditions.append(_unit_condition(filters.unit))
    if filters.occurred_from:
        conditions.append(Incident.occurred_at >= _local_midnight(filters.occurred_from))
    if filters.occurred_to:
        conditions.append(Incident.occurred_at < _local_midnight(filters.occurred_to + timedelta(days=1)))
    if filters.subject_matter:
        conditions.append(Incident.subject_matter.contains([filters.subject_matter]))
    if filters.act:
        conditions.append(Incident.infringement_acts.contains([filters.act]))
    if filters.status:
        conditions.append(Incident.status == filters.status)
    if filters.ref:
        conditions.append(reference_condition(filters.ref))
    if filters.duplicates:
        conditions.append(_duplicates_condition(filters.duplicates))
    for word in fold(filters.q or "").split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Incident.search_text.like(f"%{escaped}%"))
    return conditions


async def get_incident(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> IncidentOut:
    """One visible incident, or a 404 (also for incidents of agencies the caller cannot see)."""
    stmt = with_names(repository.visible_to(principal)).where(Incident.id == incident_id)
    row = (await session.execute(stmt)).one_or_none()
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
        agency_code = await session.scalar(select(Agency.code).where(Agency.id == incident.agency_id))
    if incident.recorded_by_id == principal.user_id:
        username: str | None = principal.username
    else:
        username = await session.scalar(select(User.username).where(User.id == incident.recorded_by_id))
    today = local_day(now())
    clocks = incident_clocks(incident, await cached_rules(session, today), today)
    return incident_out(principal, incident, agency_code or "", username or "", clocks)


async def history(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> list[HistoryEntryOut]:
    """Every change of a visible incident, oldest first."""
    incident = await repository.get_visible(session, principal, incident_id)
    if incident is None:
        raise IncidentNotFound()
    stmt = (
        select(IncidentEvent, User.username)
        .outerjoin(User, User.id == IncidentEvent.actor_id)  # no actor: the system
        .where(IncidentEvent.incident_id == incident_id)
        .order_by(IncidentEvent.id)
    )
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
        for event, username in (await session.execute(stmt)).all()
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
