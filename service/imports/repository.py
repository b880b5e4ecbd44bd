"""Every import query lives here; an import is seen only by the agency that uploaded it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping, Select, case, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from schemas.codes import WITHDRAWN
from service.auth.principal import Principal
from service.cases.models import DuplicateFlag
from service.db import driver_connection
from service.imports.models import ImportedRow, ImportMapping, IncidentImport

LIST_LIMIT = 50


def visible_to(principal: Principal) -> Select[IncidentImport]:
    """Imports of the caller's agency: they store incidents for it, so no other agency handles them."""
    return select(IncidentImport).where(IncidentImport.agency_id == principal.agency_id)


async def get_own(
    session: AsyncSession, principal: Principal, import_id: uuid.UUID, *, with_rows: bool = False, lock: bool = False
) -> IncidentImport | None:
    """One import of the caller's agency, with its rows when a dry run or commit needs them."""
    stmt = visible_to(principal).where(IncidentImport.id == import_id)
    if with_rows:
        stmt = stmt.options(undefer(IncidentImport.rows))
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def list_own(session: AsyncSession, principal: Principal) -> list[IncidentImport]:
    """The agency's latest imports, newest first."""
    stmt = visible_to(principal).order_by(IncidentImport.created_at.desc(), IncidentImport.id.desc())
    return list(await session.scalars(stmt.limit(LIST_LIMIT)))


async def get_mapping(session: AsyncSession, agency_id: uuid.UUID) -> ImportMapping | None:
    """The mapping the agency saved last."""
    return (await session.scalars(select(ImportMapping).where(ImportMapping.agency_id == agency_id))).one_or_none()


async def save_mapping(
    session: AsyncSession, agency_id: uuid.UUID, user_id: uuid.UUID, columns: dict[str, str], defaults: dict[str, Any]
) -> None:
    """Remember the agency's mapping (one per agency, replaced each time)."""
    values = {"columns": columns, "defaults": defaults, "updated_by_id": user_id, "updated_at": func.now()}
    stmt = insert(ImportMapping).values(agency_id=agency_id, created_at=func.now(), **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[ImportMapping.agency_id], set_=values))


async def imported_rows(session: AsyncSession, sha256: str) -> dict[int, uuid.UUID]:
    """Rows of this file (whoever uploaded it) already stored: row number -> incident."""
    stmt = select(ImportedRow.row_number, ImportedRow.incident_id).where(ImportedRow.sha256 == sha256)
    return {row: incident for row, incident in await session.execute(stmt)}


async def lock_file(session: AsyncSession, sha256: str) -> None:
    """Serialise commits of the same file until the transaction ends (two uploads of it, two clicks)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:sha256, 0))"), {"sha256": sha256})


# --- Committing many rows at once (service/imports/batch.py) ------------------------------------------

# What matching.profile reads of a candidate's payload (as service.cases.flagging's candidates select it).
_SLIM_PAYLOAD = (
    "jsonb_build_object('violator', c.payload->'violator', 'goods', c.payload->'goods', 'right_holder', "
    "c.payload->'right_holder', 'work_title', c.payload->'work_title', 'copies', c.payload->'copies', "
    "'variety_name', c.payload->'variety_name', 'quantity', c.payload->'quantity', 'product', c.payload->'product')"
)
_CANDIDATE = (
    f"c.id, c.agency_id, c.occurred_at, c.status, c.lon, c.lat, c.unit_2025, c.district_2024, {_SLIM_PAYLOAD} AS "
    "payload, c.case_id"
)
# service.cases.flagging's candidates of one incident, for many at once: other agencies' live incidents within the
# window and nearby (the same 2025 unit, else the same 2024 district; or in the GPS box).
_PLACE_CANDIDATES = text(  # constant text, every value a bound parameter
    "SELECT b.idx, c.id FROM unnest(CAST(:idx AS int[]), CAST(:occurred AS timestamptz[]), "
    "CAST(:unit AS text[]), CAST(:district AS text[]), CAST(:lat_lo AS float8[]), CAST(:lat_hi AS float8[]), "
    "CAST(:lon_lo AS float8[]), CAST(:lon_hi AS float8[])) AS b(idx, occurred, unit, district, lat_lo, lat_hi, "
    "lon_lo, lon_hi) JOIN incidents c ON c.agency_id <> :agency AND c.status <> :withdrawn "
    "AND c.occurred_at BETWEEN b.occurred - CAST(:window AS interval) AND b.occurred + CAST(:window AS interval) "
    "AND ((b.unit IS NOT NULL AND c.unit_2025 = b.unit) "
    "OR (b.unit IS NULL AND b.district IS NOT NULL AND c.district_2024 = b.district) "
    "OR (b.lat_lo IS NOT NULL AND c.lat BETWEEN b.lat_lo AND b.lat_hi AND c.lon BETWEEN b.lon_lo AND b.lon_hi))"
)
_BY_ID = text(  # constant text, every value a bound parameter
    f"SELECT {_CANDIDATE} FROM incidents c WHERE c.id = ANY(CAST(:ids AS uuid[])) AND c.status <> :withdrawn"  # noqa: S608
)
# Incidents stored before that carry one of these numbers, at most `limit` a number (as sharing_numbers asks).
_SHARING = text(
    "SELECT kind, number_key, incident_id FROM (SELECT r.kind, r.number_key, r.incident_id, row_number() OVER "
    "(PARTITION BY r.kind, r.number_key) AS n FROM incident_references r JOIN unnest(CAST(:kinds AS text[]), "
    "CAST(:keys AS text[])) AS k(kind, number_key) ON r.kind = k.kind AND r.number_key = k.number_key) AS s "
    "WHERE n <= :limit"
)


@dataclass(frozen=True)
class Near:
    """Where one new incident is, for its candidates: its time, unit or district, GPS box (or None)."""

    occurred_at: datetime
    unit_2025: str | None
    district_2024: str | None
    box: tuple[float, float, float, float] | None  # lat_lo, lat_hi, lon_lo, lon_hi


async def place_candidates(
    session: AsyncSession, agency_id: uuid.UUID, near: list[Near], window: timedelta
) -> list[tuple[int, uuid.UUID]]:
    """Every (new incident's index, candidate id) pair of other agencies' live incidents nearby, in one query
    (the candidates themselves are read once each: candidates_by_id)."""
    if not near:
        return []
    boxes = [n.box or (None, None, None, None) for n in near]
    params: dict[str, Any] = {
        "idx": list(range(len(near))),
        "occurred": [n.occurred_at for n in near],
        "unit": [n.unit_2025 for n in near],
        "district": [n.district_2024 for n in near],
        "lat_lo": [b[0] for b in boxes],
        "lat_hi": [b[1] for b in boxes],
        "lon_lo": [b[2] for b in boxes],
        "lon_hi": [b[3] for b in boxes],
        "agency": agency_id,
        "withdrawn": WITHDRAWN,
        "window": window,
    }
    return [(idx, candidate) for idx, candidate in await session.execute(_PLACE_CANDIDATES, params)]


async def candidates_by_id(session: AsyncSession, ids: list[uuid.UUID]) -> list[RowMapping]:
    """Live incidents by id (nearby ones, those sharing a number with a new one), as candidates, once each."""
    if not ids:
        return []
    return list((await session.execute(_BY_ID, {"ids": ids, "withdrawn": WITHDRAWN})).mappings())


async def sharing(
    session: AsyncSession, keys: set[tuple[str, str]], limit: int
) -> dict[tuple[str, str], list[uuid.UUID]]:
    """(kind, folded number) -> incidents stored before carrying it, at most `limit` each."""
    if not keys:
        return {}
    ordered = sorted(keys)
    params = {"kinds": [k for k, _ in ordered], "keys": [n for _, n in ordered], "limit": limit}
    found: dict[tuple[str, str], list[uuid.UUID]] = {}
    for kind, key, incident_id in await session.execute(_SHARING, params):
        found.setdefault((kind, key), []).append(incident_id)
    return found


async def add_flags(session: AsyncSession, flags: list[dict[str, Any]]) -> None:
    """Raise likely-duplicate flags as service.cases.flagging does one at a time (a decided flag keeps its decision)."""
    if not flags:
        return
    stmt = insert(DuplicateFlag).values(flags)
    reopened = case((DuplicateFlag.status == "cleared", "open"), else_=DuplicateFlag.status)
    values = {name: stmt.excluded[name] for name in ("reasons", "distance_km", "days_apart")}
    await session.execute(
        stmt.on_conflict_do_update(constraint="duplicate_pair_once", set_={**values, "status": reopened})
    )


_REFERENCES = (
    "INSERT INTO incident_references (incident_id, kind, number, number_key) "
    "SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])"
)
_IMPORTED = (
    "INSERT INTO imported_rows (sha256, row_number, import_id, incident_id) "
    "SELECT $1, r, $2, i FROM unnest($3::int[], $4::uuid[]) AS k(r, i)"
)


async def add_references(session: AsyncSession, numbers: list[tuple[uuid.UUID, str, str, str]]) -> None:
    """Store the new incidents' reference numbers, (incident, kind, number, folded key) each, in one statement."""
    if numbers:
        connection = await driver_connection(session, in_transaction=True)
        await connection.execute(_REFERENCES, *(list(column) for column in zip(*numbers, strict=True)))


async def add_imported(
    session: AsyncSession, sha256: str, import_id: uuid.UUID, stored: list[tuple[int, uuid.UUID]]
) -> None:
    """Remember which row of the file became which incident, in one statement."""
    if stored:
        connection = await driver_connection(session, in_transaction=True)
        await connection.execute(_IMPORTED, sha256, import_id, [r for r, _ in stored], [i for _, i in stored])
