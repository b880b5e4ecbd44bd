"""Incidents as a frame for maps/ (filtered in PostgreSQL, only the columns the maps read, fetched by COPY),
and the map results cache with its data version (models.py).

Row-by-row fetching through SQLAlchemy cost about 2.3 s for 100,000 incidents (tests/benchmarks/bench_maps.py):
each row became a Python tuple of UUIDs, datetimes and arrays first. Here the filters run in SQL and the few
columns left come back as one CSV stream (COPY ... TO STDOUT) read by pandas in C.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pandas as pd
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.clock import LOCAL_TZ
from service.map_views.query import MapFilters

COLUMNS = ("agency", "lon", "lat", "unit_2025", "district_2024", "district_2024_split", "goods_value_vnd", "fine_vnd")
# Each row carries its case (service/cases) and when it occurred: the maps count a linked case once.
_DTYPES: dict[str, Any] = {
    "case_key": str,
    "occurred_epoch": "float64",
    "agency": str,
    "lon": "float64",
    "lat": "float64",
    "unit_2025": str,
    "district_2024": str,
    "district_2024_split": str,
    "goods_value_vnd": "float64",
    "fine_vnd": "float64",
}
_SELECT = """
SELECT COALESCE(i.case_id, i.id)::text AS case_key, extract(epoch FROM i.occurred_at) AS occurred_epoch,
       a.code AS agency, i.lon, i.lat, i.unit_2025, i.district_2024, i.district_2024_split,
       COALESCE(i.goods_value_vnd, 0) AS goods_value_vnd, COALESCE(f.fine_vnd, 0) AS fine_vnd
FROM incidents i
JOIN agencies a ON a.id = i.agency_id
LEFT JOIN (
    SELECT incident_id, SUM(fine_vnd) AS fine_vnd FROM sanction_decisions GROUP BY incident_id
) f ON f.incident_id = i.id
WHERE {where}
"""


def _where(filters: MapFilters) -> tuple[str, list[Any]]:
    """The WHERE clause of the filters (withdrawn never counted), with its $n arguments."""
    conditions = ["i.status <> 'withdrawn'"]
    args: list[Any] = []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    # Local calendar days: compare occurred_at in Asia/Ho_Chi_Minh, end inclusive.
    local = f"(i.occurred_at AT TIME ZONE '{LOCAL_TZ.key}')::date"
    if filters.start is not None:
        conditions.append(f"{local} >= {arg(filters.start)}")
    if filters.end is not None:
        conditions.append(f"{local} <= {arg(filters.end)}")
    if filters.kind is not None:
        conditions.append(f"i.kind = {arg(filters.kind)}")
    if filters.subject_matter is not None:
        conditions.append(f"i.subject_matter && ARRAY[{arg(filters.subject_matter)}]::varchar[]")
    if filters.act is not None:
        conditions.append(f"i.infringement_acts && ARRAY[{arg(filters.act)}]::varchar[]")
    return " AND ".join(conditions), args


async def _copied(session: AsyncSession, sql: str, args: list[Any], dtypes: dict[str, Any]) -> pd.DataFrame:
    """The rows of ``sql`` as one CSV stream (COPY ... TO STDOUT) read by pandas; lon and lat NaN when NULL."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    buffer = io.BytesIO()
    await driver.copy_from_query(sql, *args, output=buffer, format="csv", header=True)
    buffer.seek(0)
    missing = {name: [""] for name in ("lon", "lat", "occurred_epoch") if name in dtypes}
    return pd.read_csv(buffer, dtype=dtypes, keep_default_na=False, na_values=missing)


async def incident_frame(session: AsyncSession, filters: MapFilters) -> pd.DataFrame:
    """The province's incidents matching the filters but the agency (scope is applied by the caller)."""
    where, args = _where(filters)
    frame = await _copied(session, _SELECT.format(where=where), args, _DTYPES)
    for column in ("unit_2025", "district_2024"):
        frame[column] = frame[column].where(frame[column] != "", None)  # NULL comes back as an empty field
    frame["district_2024_split"] = frame["district_2024_split"].eq("t")
    return frame[["case_key", "occurred_epoch", *COLUMNS]]


# The hexagon maps read only positions: no fines, no places, and a case key only for a linked incident.
_POINTS = """
SELECT CASE WHEN i.case_id IS NULL THEN '' ELSE i.case_id::text END AS case_key,
       CASE WHEN i.case_id IS NULL THEN NULL ELSE extract(epoch FROM i.occurred_at) END AS occurred_epoch,
       i.lon, i.lat
FROM incidents i
WHERE {where}
"""
_POINT_DTYPES: dict[str, Any] = {"case_key": str, "occurred_epoch": "float64", "lon": "float64", "lat": "float64"}


async def point_frame(session: AsyncSession, filters: MapFilters, agency: str | None) -> pd.DataFrame:
    """lon and lat (NaN without GPS) of the incidents matching the filters, of ``agency`` only when given, a
    linked case once (its earliest member's position). Lighter than ``incident_frame`` for the hexagon maps."""
    where, args = _where(filters)
    if agency is not None:
        args.append(agency)
        where += f" AND i.agency_id = (SELECT id FROM agencies WHERE code = ${len(args)})"  # noqa: S608 (a $n only)
    frame = await _copied(session, _POINTS.format(where=where), args, _POINT_DTYPES)
    linked = frame["case_key"] != ""
    if not linked.any():
        return frame
    earliest = frame[linked].sort_values("occurred_epoch", kind="stable").drop_duplicates("case_key")
    return pd.concat([frame[~linked], earliest], ignore_index=True)


def one_row_per_case(frame: pd.DataFrame) -> pd.DataFrame:
    """Incidents linked as one case become one row: the earliest's place and goods value, the fines of every member
    summed, as the reports count them (service/reports/tables.py). Sorting only happens when a case is linked."""
    if not frame["case_key"].duplicated().any():
        return frame
    ordered = frame.sort_values("occurred_epoch", kind="stable")
    first = ordered.drop_duplicates("case_key", keep="first").set_index("case_key")
    first["fine_vnd"] = ordered.groupby("case_key", sort=False)["fine_vnd"].sum()
    return first.reset_index()


# --- The map results cache (models.py): the data version and the stored answers --------------------------------

_FOLD_LOCK = 0x6D617073  # pg_try_advisory_xact_lock key of the cache upkeep ("maps")
_FOLD_AFTER = 100  # change rows folded into one past this many (the sum, the version, unchanged)


async def data_version(session: AsyncSession) -> int:
    """The data version: grows with every committed write to what the maps count (read it before the data)."""
    version = await session.scalar(text("SELECT COALESCE(SUM(weight), 0) FROM map_data_changes"))
    return int(version or 0)


async def cached_result(session: AsyncSession, key: str, version: int) -> bytes | None:
    """The stored answer under ``key`` computed at exactly ``version``, unless it expired."""
    found = await session.scalar(
        text("SELECT body FROM map_results WHERE key = :key AND data_version = :version AND expires_at > now()"),
        {"key": key, "version": version},
    )
    return bytes(found) if found is not None else None


async def store_result(
    session: AsyncSession, key: str, version: int, body: bytes, keep: timedelta, max_entries: int
) -> None:
    """Store an answer (a newer version is never replaced by an older one), then keep the cache bounded: answers
    of older versions (never read again), expired ones and all but the newest ``max_entries`` are deleted, and
    the change rows are folded into one. The upkeep runs in one transaction at a time (others skip it)."""
    await session.execute(
        text(
            "INSERT INTO map_results (key, data_version, body, expires_at) "
            "VALUES (:key, :version, :body, now() + :keep) "
            "ON CONFLICT (key) DO UPDATE SET data_version = excluded.data_version, body = excluded.body, "
            "created_at = now(), expires_at = excluded.expires_at "
            "WHERE map_results.data_version <= excluded.data_version"
        ),
        {"key": key, "version": version, "body": body, "keep": keep},
    )
    if not await session.scalar(text("SELECT pg_try_advisory_xact_lock(:lock)"), {"lock": _FOLD_LOCK}):
        return
    await session.execute(
        text("DELETE FROM map_results WHERE expires_at <= now() OR data_version < :version"), {"version": version}
    )
    await session.execute(
        text(
            "DELETE FROM map_results WHERE key IN "
            "(SELECT key FROM map_results ORDER BY created_at DESC, key OFFSET :max_entries)"
        ),
        {"max_entries": max_entries},
    )
    await fold_changes(session, _FOLD_AFTER)


async def fold_changes(session: AsyncSession, more_than: int = 0) -> int:
    """Fold the change rows into one holding their sum (the data version unchanged) when there are more than
    `more_than`; the rows folded. Writers only insert rows, so folding never waits on one; a writer's row not yet
    committed is not seen, and stays for the next fold."""
    if (await session.scalar(text("SELECT COUNT(*) FROM map_data_changes")) or 0) <= max(more_than, 1):
        return 0
    folded = await session.scalar(
        text(
            "WITH gone AS (DELETE FROM map_data_changes RETURNING weight), "
            "kept AS (INSERT INTO map_data_changes (weight) SELECT SUM(weight) FROM gone HAVING COUNT(*) > 0) "
            "SELECT COUNT(*) FROM gone"
        )
    )
    return int(folded or 0)
