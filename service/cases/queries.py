"""Reading flags and cases for the coordinator: each incident summarised as the coordinator compares it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.cases import CaseOut, FlagOut, FlagPage, IncidentBrief
from schemas.incidents import ExternalRef
from service.auth.principal import Principal
from service.cases import repository
from service.cases.matching import marks_as_typed
from service.cases.models import DuplicateFlag
from service.cases.service import CaseNotFound, require_coordinator
from service.clock import LOCAL_TZ
from service.errors import Invalid
from service.incidents.models import Incident


async def briefs(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, IncidentBrief]:
    """Summaries of these incidents (coordinators see every agency's), by id."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    refs: dict[uuid.UUID, list[ExternalRef]] = {}
    for ref in await repository.references_of(session, wanted):
        refs.setdefault(ref.incident_id, []).append(ExternalRef(kind=ref.kind, number=ref.number))  # type: ignore[arg-type]
    out: dict[uuid.UUID, IncidentBrief] = {}
    for incident, agency_code, unit_name in await repository.incidents_with_places(session, wanted):
        out[incident.id] = _brief(incident, agency_code, unit_name, refs.get(incident.id, []))
    return out


def _brief(incident: Incident, agency_code: str, unit_name: str | None, refs: list[ExternalRef]) -> IncidentBrief:
    violator = incident.payload.get("violator") or {}
    return IncidentBrief(
        id=incident.id,
        kind=incident.kind,
        status=incident.status,
        agency_code=agency_code,
        occurred_at=incident.occurred_at.astimezone(LOCAL_TZ),
        unit_2025=incident.unit_2025,
        unit_name=unit_name,
        district_2024=incident.district_2024,
        violator_name=violator.get("name"),
        marks=marks_as_typed(incident.payload),
        goods_value_vnd=incident.goods_value_vnd,
        references=refs,
        case_id=incident.case_id,
    )


def _flag_out(flag: DuplicateFlag, people: dict[uuid.UUID, str], found: dict[uuid.UUID, IncidentBrief]) -> FlagOut:
    return FlagOut(
        id=flag.id,
        status=flag.status,  # type: ignore[arg-type]
        reasons=list(flag.reasons),
        distance_km=None if flag.distance_km is None else round(flag.distance_km, 2),
        days_apart=round(flag.days_apart, 2),
        flagged_at=flag.flagged_at.astimezone(LOCAL_TZ),
        decided_by=people.get(flag.decided_by_id) if flag.decided_by_id else None,
        decided_at=flag.decided_at.astimezone(LOCAL_TZ) if flag.decided_at else None,
        decision_reason=flag.decision_reason,
        incidents=[found[flag.incident_a_id], found[flag.incident_b_id]],
    )


def _cursor(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Invalid(field="cursor").with_code("incident.bad_cursor")
    return int(raw)


async def list_flags(
    session: AsyncSession, principal: Principal, status: str, cursor: str | None, limit: int
) -> FlagPage:
    """Flags of one status, newest first; pairs with a withdrawn incident are left out while open."""
    require_coordinator(principal)
    flags = await repository.flags(session, status, _cursor(cursor), limit + 1)
    next_cursor = str(flags[limit - 1].id) if len(flags) > limit else None
    return FlagPage(items=await flag_page_of(session, flags[:limit]), next_cursor=next_cursor)


async def flag_page_of(session: AsyncSession, flags: list[DuplicateFlag]) -> list[FlagOut]:
    """The API view of these flags, with both incidents summarised."""
    found = await briefs(session, [i for f in flags for i in (f.incident_a_id, f.incident_b_id)])
    people = await repository.usernames(session, [f.decided_by_id for f in flags])
    return [_flag_out(f, people, found) for f in flags]


async def get_case(session: AsyncSession, principal: Principal, case_id: uuid.UUID) -> CaseOut:
    """A linked case with its incidents, earliest first."""
    require_coordinator(principal)
    case = await repository.get_case(session, case_id)
    if case is None:
        raise CaseNotFound()
    ids = await repository.case_member_ids(session, case_id)
    found = await briefs(session, ids)
    people = await repository.usernames(session, [case.created_by_id])
    members = sorted(found.values(), key=lambda b: (b.occurred_at, str(b.id)))
    return CaseOut(
        id=case.id,
        created_at=case.created_at.astimezone(LOCAL_TZ),
        created_by=people.get(case.created_by_id, ""),
        incidents=members,
    )


@dataclass(frozen=True)
class CaseNote:
    """What the incident page says about the incident's case: the other members the reader may open, and the
    external numbers another incident also carries."""

    case_id: uuid.UUID | None
    members: list[tuple[uuid.UUID, str, str]]  # (incident id, agency code, kind) of the others, earliest first
    shared_numbers: list[str]


async def case_note(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> CaseNote:
    """The incident page's note on linking and shared numbers (members limited to what the reader may read)."""
    case_id = await repository.case_of(session, incident_id)
    members: list[tuple[uuid.UUID, str, str]] = []
    if case_id is not None:
        members = await repository.other_members(session, principal, case_id, incident_id)
    return CaseNote(case_id, members, await repository.shared_numbers(session, incident_id))
