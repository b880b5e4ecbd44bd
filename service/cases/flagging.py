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

from sqlalchemy import ARRAY, ColumnElement, Float, String, Uuid, and_, bindparam, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.codes import WITHDRAWN
from service.cases import matching
from service.cases.models import DuplicateFlag
from service.db import DriverStatement, driver_fetch, for_driver
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
    """The late parameters of the place conditions: the unit or district, the GPS box around the point."""
    values: dict[str, Any] = {"place": incident.unit_2025 or incident.district_2024}
    if incident.lon is not None and incident.lat is not None:
        dlat = matching.DISTANCE_KM / _KM_PER_DEGREE_LAT
        dlon = dlat / max(0.1, math.cos(math.radians(incident.lat)))
        values |= {"lat_lo": incident.lat - dlat, "lat_hi": incident.lat + dlat}
        values |= {"lon_lo": incident.lon - dlon, "lon_hi": incident.lon + dlon}
    return values


# Only what matching.profile reads of a candidate's payload: candidates are many, their payloads large.
_SLIM_PAYLOAD = func.jsonb_build_object(
    "violator", Incident.payload["violator"],
    "goods", Incident.payload["goods"],
    "right_holder", Incident.payload["right_holder"],
    "work_title", Incident.payload["work_title"],
    "copies", Incident.payload["copies"],
    "variety_name", Incident.payload["variety_name"],
    "quantity", Incident.payload["quantity"],
    "product", Incident.payload["product"],
)  # fmt: skip
_CANDIDATE_COLUMNS = (
    Incident.id,
    Incident.agency_id,
    Incident.occurred_at,
    Incident.status,
    Incident.lon,
    Incident.lat,
    Incident.unit_2025,
    Incident.district_2024,
    _SLIM_PAYLOAD.label("payload"),
    Incident.case_id,
)


@dataclass(frozen=True)
class Candidate:
    """An incident that may duplicate the one being recorded, as compared (slim payload)."""

    profile: matching.Profile
    case_id: uuid.UUID | None


_BOX = ("lat_lo", "lat_hi", "lon_lo", "lon_hi")
_CANDIDATES: dict[tuple[str | None, bool, bool], DriverStatement] = {}


def _candidates_statement(column: str | None, box: bool, shared: bool) -> DriverStatement:
    """The candidates' query for one shape of conditions, compiled once (every recording runs one)."""
    key = (column, box, shared)
    if key not in _CANDIDATES:
        near: list[ColumnElement[bool]] = []
        if column is not None:
            near.append(Incident.__table__.c[column] == bindparam("place", type_=String()))
        if box:
            lat_lo, lat_hi, lon_lo, lon_hi = (bindparam(name, type_=Float()) for name in _BOX)
            near.append(and_(Incident.lat.between(lat_lo, lat_hi), Incident.lon.between(lon_lo, lon_hi)))
        conditions: list[ColumnElement[bool]] = []
        if near:
            since, until = (bindparam(name, type_=Incident.occurred_at.type) for name in ("from", "to"))
            conditions.append(
                and_(
                    Incident.agency_id != bindparam("agency_id", type_=Incident.agency_id.type),
                    Incident.occurred_at.between(since, until),
                    or_(*near),
                )
            )
        if shared:
            conditions.append(Incident.id == func.any(bindparam("shared", type_=ARRAY(Uuid()))))
        me = bindparam("me", type_=Incident.id.type)
        stmt = select(*_CANDIDATE_COLUMNS).where(or_(*conditions), Incident.status != WITHDRAWN, Incident.id != me)
        _CANDIDATES[key] = for_driver(stmt)
    return _CANDIDATES[key]


async def _candidates(session: AsyncSession, incident: Incident, sharers: Iterable[uuid.UUID]) -> list[Candidate]:
    column, box = _place_shape(incident)
    shared = list(sharers)
    if column is None and not box and not shared:
        return []
    window = timedelta(days=matching.WINDOW_DAYS)
    late = _place_values(incident) | {"me": incident.id, "shared": shared}
    late |= {"agency_id": incident.agency_id}
    late |= {"from": incident.occurred_at - window, "to": incident.occurred_at + window}
    found = []
    for row in await driver_fetch(session, _candidates_statement(column, box, bool(shared)), **late):
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
        stmt = insert(DuplicateFlag).values(incident_a_id=a, incident_b_id=b, status="open", **values)
        # A decided flag keeps its decision; one cleared by an earlier correction opens again.
        reopened = case((DuplicateFlag.status == "cleared", "open"), else_=DuplicateFlag.status)
        refreshed = stmt.on_conflict_do_update(constraint="duplicate_pair_once", set_={**values, "status": reopened})
        await session.execute(refreshed)
    if created:
        return list(matched)
    mine_open = or_(DuplicateFlag.incident_a_id == incident.id, DuplicateFlag.incident_b_id == incident.id)
    stale = update(DuplicateFlag).where(mine_open, DuplicateFlag.status == "open")
    if matched:
        stale = stale.where(DuplicateFlag.incident_a_id.notin_(matched), DuplicateFlag.incident_b_id.notin_(matched))
    await session.execute(stale.values(status="cleared"))
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
