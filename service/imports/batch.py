"""Committing an import's rows at once: the same checks, history, numbers and flags as one record_incident a row.

Row by row, recording cost about ten round trips to PostgreSQL (a savepoint, the incident, its history entry, its
reference numbers, the numbers it shares, its duplicate candidates, the flags, the stale-flag update, the history
entry read back for its reason, the imported row): about 25 rows a second on a busy machine. Here every row is
checked and derived first (``incidents.service.new_incident``: the same rules and derived columns), then each kind of
row is written in one statement (the incidents pipelined on the driver, the rest by ``unnest``), and the duplicate
candidates of every row are fetched in two queries (the pairs, then each candidate once) and compared in Python
with the same rules (``cases.matching``), so what is stored is what row-by-row recording stores:

* the incident, and its history entry ``created`` with the whole payload and, from the start, its reason (the file
  and row it came from: the same entry row-by-row recording wrote and then completed in the same transaction);
* its reference numbers (``incidents.references.refs_of``) and the import's row key;
* its likely-duplicate flags: rows are compared in file order, each with the incidents stored before it and the
  earlier rows of the file, as recording them one after another does: candidates nearby (other agencies, within the
  window, same unit or district or GPS box, ``cases.flagging``) and incidents sharing a number (at most
  ``MAX_SHARING`` others a number). A new incident has no flags yet, so there are none to clear.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7  # the ids record_incident gives

from maps.geotag import Geotagger
from service.auth.principal import Principal
from service.cases import matching
from service.errors import AppError
from service.imports import repository
from service.imports.models import IncidentImport
from service.imports.rows import RowRead
from service.incidents import repository as incident_repository
from service.incidents import service as incident_service
from service.incidents.references import MAX_SHARING, Ref, refs_of

Values = dict[str, Any]  # one new incident's columns
KM_PER_DEGREE_LAT = 111.32  # as service.cases.flagging boxes GPS points


def _near(incident: Values) -> repository.Near:
    box = None
    lon, lat = incident["lon"], incident["lat"]
    if lon is not None and lat is not None:
        dlat = matching.DISTANCE_KM / KM_PER_DEGREE_LAT
        dlon = dlat / max(0.1, math.cos(math.radians(lat)))
        box = (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
    unit = incident["unit_2025"] or None
    return repository.Near(incident["occurred_at"], unit, None if unit else incident["district_2024"] or None, box)


def _profile(row: RowMapping | Values) -> matching.Profile:
    fields = {k: row[k] for k in ("id", "agency_id", "occurred_at", "status", "lon", "lat", "unit_2025")}
    return matching.profile(**fields, district_2024=row["district_2024"], payload=row["payload"])


def _pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if a < b else (b, a)


def _flag(incident: Values, other: uuid.UUID, match: matching.Match) -> dict[str, Any]:
    a, b = _pair(incident["id"], other)
    return {
        "incident_a_id": a,
        "incident_b_id": b,
        "status": "open",
        "reasons": list(match.reasons),
        "distance_km": match.distance_km,
        "days_apart": match.days_apart,
    }


async def _sharers(
    session: AsyncSession, incidents: Sequence[Values], refs: Sequence[list[Ref]]
) -> list[dict[uuid.UUID, list[str]]]:
    """For each new incident in order: the incidents sharing one of its numbers (stored before, or earlier rows)."""
    keys = {(ref.kind, ref.key) for found in refs for ref in found}
    stored = await repository.sharing(session, keys, MAX_SHARING + 1)
    earlier: dict[tuple[str, str], list[uuid.UUID]] = {}
    out: list[dict[uuid.UUID, list[str]]] = []
    for incident, found in zip(incidents, refs, strict=True):
        shared: dict[uuid.UUID, list[str]] = {}
        for ref in found:
            others = stored.get((ref.kind, ref.key), []) + earlier.get((ref.kind, ref.key), [])
            if len(others) <= MAX_SHARING:
                for other in others:
                    shared.setdefault(other, []).append(ref.kind)
        for ref in found:
            earlier.setdefault((ref.kind, ref.key), []).append(incident["id"])
        out.append(shared)
    return out


async def flags(session: AsyncSession, incidents: Sequence[Values], refs: Sequence[list[Ref]]) -> list[dict[str, Any]]:
    """The likely-duplicate flags of the new incidents, as recording them one after another raises them.

    Two queries whatever the number of rows: the (row, candidate) pairs nearby, then every candidate once (those
    nearby and those sharing a number), each profiled once however many rows it is near."""
    sharers = await _sharers(session, incidents, refs)
    window = timedelta(days=matching.WINDOW_DAYS)
    agency = incidents[0]["agency_id"]  # an import stores incidents of one agency
    nearby: list[list[uuid.UUID]] = [[] for _ in incidents]
    for index, candidate in await repository.place_candidates(session, agency, [_near(i) for i in incidents], window):
        nearby[index].append(candidate)
    mine = [_profile(incident) for incident in incidents]
    new = {incident["id"]: index for index, incident in enumerate(incidents)}
    wanted = {other for found in nearby for other in found} | {other for shared in sharers for other in shared}
    stored = {row["id"]: _profile(row) for row in await repository.candidates_by_id(session, list(wanted - new.keys()))}
    raised: list[dict[str, Any]] = []
    for index, incident in enumerate(incidents):
        candidates = {other: stored[other] for other in nearby[index] if other in stored}
        for sharer in sharers[index]:
            found = mine[new[sharer]] if sharer in new else stored.get(sharer)
            if found is not None:
                candidates[sharer] = found
        for other_id, profile in candidates.items():
            match = matching.compare(mine[index], profile, shared_refs=other_id in sharers[index])
            if match is not None:
                raised.append(_flag(incident, other_id, match))
    return raised


async def store_rows(
    session: AsyncSession,
    principal: Principal,
    tagger: Geotagger,
    record: IncidentImport,
    reads: Sequence[RowRead],
    note: Any,
) -> list[uuid.UUID]:
    """Store the rows (checked before, without errors) as incidents in the caller's transaction; their ids in order.

    ``note(record, row)`` is the history entry's reason. An AppError of a row propagates with the row's read
    for the caller to name it (``RowError``).
    """
    incidents = [await _values(session, principal, tagger, read) for read in reads]
    if not incidents:
        return []
    refs = [refs_of(incident["payload"]) for incident in incidents]
    raised = await flags(session, incidents, refs)  # before anything is stored: "stored before" is the past
    reasons: list[str | None] = [note(record, read.row) for read in reads]
    await incident_repository.insert_many_recorded(session, incidents, actor_id=principal.user_id, reasons=reasons)
    numbers = [
        (incident["id"], ref.kind, ref.number, ref.key)
        for incident, found in zip(incidents, refs, strict=True)
        for ref in found
    ]
    await repository.add_references(session, numbers)
    ids = [incident["id"] for incident in incidents]
    keys = [(read.row, incident_id) for read, incident_id in zip(reads, ids, strict=True)]
    await repository.add_imported(session, record.sha256, record.id, keys)
    await repository.add_flags(session, raised)
    return ids


async def _values(session: AsyncSession, principal: Principal, tagger: Geotagger, read: RowRead) -> Values:
    """A row's incident columns, checked and derived as record_incident does, with its id and timestamps."""
    assert read.data is not None  # noqa: S101 - rows with errors were refused before
    try:
        values = await incident_service.new_incident_values(session, principal, tagger, read.data)
    except AppError as error:
        raise RowError(read, error) from error
    return values | {"id": uuid7(), "created_at": values["recorded_at"], "updated_at": values["recorded_at"]}


class RowError(Exception):
    """A rule of the incident service refused a row the dry run let through."""

    def __init__(self, read: RowRead, error: AppError) -> None:
        super().__init__(error.code)
        self.read, self.error = read, error
