"""Raising likely-duplicate flags when an incident is recorded or corrected (rules: service/cases/matching.py).

Called inside the recording transaction: the candidates are fetched by the indexed columns (other agencies'
live incidents within the date window and nearby: the same unit or district, or a GPS box), plus every incident
sharing an external number, then compared in Python. A flag the coordinator already decided keeps its decision;
an open flag whose pair no longer matches after a correction is marked ``cleared``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.cases import matching, repository
from service.incidents.models import Incident
from service.incidents.references import Ref, sharing_numbers, store_refs
from service.incidents.service import AfterChange

_KM_PER_DEGREE_LAT = 111.32


def profile_of(incident: Incident) -> matching.Profile:
    return matching.profile(
        id=incident.id,
        agency_id=incident.agency_id,
        occurred_at=incident.occurred_at,
        status=incident.status,
        lon=incident.lon,
        lat=incident.lat,
        unit_2025=incident.unit_2025,
        district_2024=incident.district_2024,
        payload=incident.payload,
    )


def _place_shape(incident: Incident) -> tuple[str | None, bool]:
    """Which place conditions apply: the unit's (or else the district's) column, and whether a GPS box."""
    column = "unit_2025" if incident.unit_2025 else "district_2024" if incident.district_2024 else None
    return column, incident.lon is not None and incident.lat is not None


def _place_values(incident: Incident) -> dict[str, Any]:
    """The candidates' place parameters: the unit or district, the GPS box around the point."""
    values: dict[str, Any] = {"place": incident.unit_2025 or incident.district_2024}
    if incident.lon is not None and incident.lat is not None:
        dlat = matching.DISTANCE_KM / _KM_PER_DEGREE_LAT
        dlon = dlat / max(0.1, math.cos(math.radians(incident.lat)))
        box = (incident.lat - dlat, incident.lat + dlat, incident.lon - dlon, incident.lon + dlon)
        values |= dict(zip(repository.BOX, box, strict=True))
    return values


@dataclass(frozen=True)
class Candidate:
    """An incident that may duplicate the one being recorded, as compared (slim payload)."""

    profile: matching.Profile
    case_id: uuid.UUID | None


async def _candidates(session: AsyncSession, incident: Incident, sharers: Iterable[uuid.UUID]) -> list[Candidate]:
    column, box = _place_shape(incident)
    shared = list(sharers)
    if column is None and not box and not shared:
        return []
    window = timedelta(days=matching.WINDOW_DAYS)
    values = _place_values(incident) | {"me": incident.id, "shared": shared, "agency_id": incident.agency_id}
    values |= {"from": incident.occurred_at - window, "to": incident.occurred_at + window}
    found = []
    for row in await repository.candidate_rows(session, column=column, box=box, shared=bool(shared), values=values):
        fields = {k: row[k] for k in ("id", "agency_id", "occurred_at", "status", "lon", "lat", "unit_2025")}
        profile = matching.profile(**fields, district_2024=row["district_2024"], payload=row["payload"])
        found.append(Candidate(profile, row["case_id"]))
    return found


def _pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if a < b else (b, a)


async def flag_duplicates(
    session: AsyncSession, incident: Incident, refs: list[Ref], *, created: bool = False
) -> list[uuid.UUID]:
    """Raise (or refresh) the flags of this incident; returns the incidents it was flagged with. An incident
    `created` in this transaction has no flag yet, so none can be stale."""
    sharers = await sharing_numbers(session, incident.id, refs) if refs else {}
    mine = profile_of(incident)
    matched: dict[uuid.UUID, matching.Match] = {}
    for other in await _candidates(session, incident, sharers):
        if incident.case_id is not None and other.case_id == incident.case_id:
            continue  # already one case
        match = matching.compare(mine, other.profile, shared_refs=other.profile.id in sharers)
        if match is not None:
            matched[other.profile.id] = match
    for other_id, match in matched.items():
        a, b = _pair(incident.id, other_id)
        values = {"reasons": list(match.reasons), "distance_km": match.distance_km, "days_apart": match.days_apart}
        # A decided flag keeps its decision; one cleared by an earlier correction opens again.
        await repository.upsert_flag(session, a, b, values)
    if not created:
        await repository.clear_open_flags(session, incident.id, matched)
    return list(matched)


async def refresh(session: AsyncSession, incident: Incident, *, created: bool = False) -> list[uuid.UUID]:
    """After a record or a correction: rewrite its reference numbers and raise its flags (an incident `created`
    in this transaction has neither numbers nor flags to replace)."""
    refs = await store_refs(session, incident.id, incident.payload, replace=not created)
    if refs:
        await session.flush()
    return await flag_duplicates(session, incident, refs, created=created)


def provide_after_change() -> AfterChange:
    """Dependency for the incident routes: what follows a recorded, corrected or withdrawn incident (`refresh`)."""
    return refresh
