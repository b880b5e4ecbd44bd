"""Incidents as a frame for maps/: filtered in PostgreSQL, only the columns the maps read, fetched by COPY.

Row-by-row fetching through SQLAlchemy cost about 2.3 s for 100,000 incidents (tests/benchmarks/bench_maps.py):
each row became a Python tuple of UUIDs, datetimes and arrays first. Here the filters run in SQL and the few
columns left come back as one CSV stream (COPY ... TO STDOUT) read by pandas in C.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
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


async def incident_frame(session: AsyncSession, filters: MapFilters) -> pd.DataFrame:
    """The province's incidents matching the filters but the agency (scope is applied by the caller)."""
    where, args = _where(filters)
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    buffer = io.BytesIO()
    await driver.copy_from_query(_SELECT.format(where=where), *args, output=buffer, format="csv", header=True)
    buffer.seek(0)
    frame = pd.read_csv(buffer, dtype=_DTYPES, keep_default_na=False, na_values={"lon": [""], "lat": [""]})
    for column in ("unit_2025", "district_2024"):
        frame[column] = frame[column].where(frame[column] != "", None)  # NULL comes back as an empty field
    frame["district_2024_split"] = frame["district_2024_split"].eq("t")
    return frame[["case_key", "occurred_epoch", *COLUMNS]]


def one_row_per_case(frame: pd.DataFrame) -> pd.DataFrame:
    """Incidents linked as one case become one row: the earliest's place and goods value, the fines of every member
    summed, as the reports count them (service/reports/tables.py). Sorting only happens when a case is linked."""
    if not frame["case_key"].duplicated().any():
        return frame
    ordered = frame.sort_values("occurred_epoch", kind="stable")
    first = ordered.drop_duplicates("case_key", keep="first").set_index("case_key")
    first["fine_vnd"] = ordered.groupby("case_key", sort=False)["fine_vnd"].sum()
    return first.reset_index()
