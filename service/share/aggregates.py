"""The aggregated datasets: referral statistics, counts per 2025 unit and per 2024 district, current hotspots.

Each is computed per request into a table of only its shared fields (a CTE, or rows from service/map_views/ handed
to PostgreSQL as one typed recordset), so the OData options run over it exactly as over incidents. No person,
incident or free text is in any of them. The figures are the province's: a partner has no agency scope.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Boolean, Date, Float, FromClause, Integer, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from maps import hotspots
from service.auth.models import Role
from service.auth.principal import Principal
from service.clock import local_day, now
from service.map_views import cache as map_cache
from service.map_views import service as maps
from service.map_views.query import MAX_PERIOD_YEARS, UNIT_PERMUTATIONS, MapFilters
from service.share.repository import figures
from service.share.repository.datasets import Dataset, Field

HOTSPOT_DAYS = 365  # "current": the last twelve months, Lai Châu days, today included
SQL_TYPES: dict[str, TypeEngine[Any]] = {
    "Edm.String": String(),
    "Edm.Int32": Integer(),
    "Edm.Double": Float(),
    "Edm.Boolean": Boolean(),
    "Edm.Date": Date(),
}
# Province-wide, as a coordinator sees the maps: figures only, never a record.
_PROVINCE = Principal(
    user_id=uuid.UUID(int=0),
    username="share",
    agency_id=uuid.UUID(int=0),
    agency_code="",
    role=Role.COORDINATOR,
    method="token",
)

_YEAR = Field("year", "Edm.Int32", "Năm (giờ Lai Châu)", "Year (Lai Châu time)")
_COUNT = Field("count", "Edm.Double", "Số vụ việc", "Number of incidents")
_FIGURES = (
    _YEAR,
    _COUNT,
    Field("goods_value_vnd", "Edm.Double", "Trị giá hàng hóa (đồng)", "Goods value (VND)"),
    Field("fine_vnd", "Edm.Double", "Tiền phạt (đồng)", "Fines (VND)"),
    Field(
        "split_count",
        "Edm.Double",
        "Phần số vụ chia theo diện tích (địa bàn khác thế hệ)",
        "Part of the count split by area (placed in the other generation only)",
    ),
)


def _table(dataset: Dataset, rows: list[dict[str, Any]]) -> FromClause:
    columns = [(f.name, SQL_TYPES[f.type]) for f in dataset.fields]
    return figures.rows_table(dataset.name, columns, rows)


def shape(dataset: Dataset) -> FromClause:
    """The dataset's fields as an empty table: the OData options are checked on it before anything is computed."""
    return _table(dataset, [])


async def _referrals(db: AsyncSession) -> FromClause:
    return figures.referral_statistics(local_day(now())).subquery("referral_statistics")


def _years(first: int | None, today: date) -> range:
    start = max(first if first is not None else today.year, today.year - MAX_PERIOD_YEARS + 1)
    return range(start, today.year + 1)


async def _figures(db: AsyncSession, generation: str, key: str) -> list[dict[str, Any]]:
    today = local_day(now())
    rows: list[dict[str, Any]] = []
    for year in _years(await figures.first_incident_year(db), today):
        filters = MapFilters(generation=generation, start=date(year, 1, 1), end=date(year, 12, 31))
        out = await maps.choropleth(db, _PROVINCE, filters)
        rows += [
            {key: u.code, "name": u.full_name, "year": year}
            | {f: getattr(u, f) for f in ("count", "goods_value_vnd", "fine_vnd", "split_count")}
            for u in out.units
        ]
    return rows


async def _computed(
    db: AsyncSession, name: str, compute: Callable[[AsyncSession], Awaitable[list[dict[str, Any]]]]
) -> FromClause:
    """The dataset's rows, kept with the maps' answers (service/map_views/cache.py, for every app instance) under
    the Lai Châu day and the maps' data version: a partner paging through a dataset computes it once (about 2 s at
    100,000 incidents, bench_share.py), and any write to incidents, fines or agencies has it computed again."""
    key = map_cache.named_key("share_dataset", dataset=name, day=local_day(now()).isoformat())
    return _table(DATASETS[name], await map_cache.cached_rows(db, key, lambda: compute(db)))


async def _units(db: AsyncSession) -> FromClause:
    return await _computed(db, "counts_by_unit_2025", lambda s: _figures(s, "2025", "unit_2025"))


async def _districts(db: AsyncSession) -> FromClause:
    return await _computed(db, "counts_by_district_2024", lambda s: _figures(s, "2024", "district_2024"))


async def _hotspots(db: AsyncSession) -> FromClause:
    return await _computed(db, "hotspots", _hotspot_rows)


async def _hotspot_rows(db: AsyncSession) -> list[dict[str, Any]]:
    end = local_day(now())
    start = end - timedelta(days=HOTSPOT_DAYS - 1)
    params = hotspots.HotspotParams(permutations=UNIT_PERMUTATIONS)
    out = await maps.unit_hotspots(db, _PROVINCE, MapFilters(start=start, end=end), params)
    rows = [
        {
            "unit_2025": u.code,
            "name": u.full_name,
            "count": u.count,
            "z": u.z,
            "p_sim": u.p_sim,
            "label": u.label,
            "hot_by_neighbours": u.hot_by_neighbours,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
        }
        for u in out.units
        if out.enough_data and u.label != hotspots.NOT_SIGNIFICANT
    ]
    return rows


_UNIT = Field("unit_2025", "Edm.String", "Mã xã/phường (2025)", "Commune or ward code (2025)")
_NAME = Field("name", "Edm.String", "Tên đơn vị hành chính", "Name of the administrative unit")
_INT = "Edm.Int32"

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "referral_statistics",
            "Thống kê chuyển hồ sơ theo cơ quan và tháng",
            "Referral statistics per agency and month",
            "daily",
            (
                Field("agency", "Edm.String", "Mã cơ quan", "Agency code"),
                Field("month", "Edm.String", "Tháng (YYYY-MM, giờ Lai Châu)", "Month (YYYY-MM, Lai Châu time)"),
                Field("sent", _INT, "Số hồ sơ đã chuyển đi", "Referrals sent"),
                Field("received", _INT, "Số hồ sơ đã nhận", "Referrals received"),
                Field("closed", _INT, "Số hồ sơ đã kết thúc", "Referrals closed"),
                Field(
                    "overdue",
                    _INT,
                    "Số hồ sơ nhận trong tháng đã quá hạn",
                    "Referrals received that month that went past their due day",
                ),
                Field(
                    "median_days_to_close",
                    "Edm.Double",
                    "Trung vị số ngày từ khi chuyển đến khi kết thúc",
                    "Median days from sending to closing",
                ),
            ),
            None,
            "month",
            source=_referrals,
            tiebreak=("agency",),
        ),
        Dataset(
            "counts_by_unit_2025",
            "Số vụ việc theo xã/phường (đơn vị hành chính từ 1/7/2025) và năm",
            "Incidents per commune or ward (units from 1 July 2025) and year",
            "daily",
            (_UNIT, _NAME, *_FIGURES),
            None,
            "year",
            source=_units,
            tiebreak=("unit_2025",),
        ),
        Dataset(
            "counts_by_district_2024",
            "Số vụ việc theo huyện (đơn vị hành chính trước 1/7/2025) và năm",
            "Incidents per former district (units before 1 July 2025) and year",
            "daily",
            (Field("district_2024", "Edm.String", "Mã huyện (2024)", "District code (2024)"), _NAME, *_FIGURES),
            None,
            "year",
            source=_districts,
            tiebreak=("district_2024",),
        ),
        Dataset(
            "hotspots",
            "Điểm nóng hiện tại (Getis-Ord Gi*, 12 tháng gần nhất, theo xã/phường 2025)",
            "Current hotspots (Getis-Ord Gi*, last 12 months, by 2025 unit)",
            "daily",
            (
                _UNIT,
                _NAME,
                Field("count", "Edm.Double", "Số vụ việc dùng trong kiểm định", "Incidents the test used"),
                Field("z", "Edm.Double", "Điểm z của Gi*", "Gi* z-score"),
                Field("p_sim", "Edm.Double", "Giá trị p giả lập", "Pseudo p-value"),
                Field(
                    "label",
                    "Edm.String",
                    "Phân loại (hot_99, hot_95, hot_90, cold_99, cold_95, cold_90)",
                    "Class (hot_99, hot_95, hot_90, cold_99, cold_95, cold_90)",
                ),
                Field("hot_by_neighbours", "Edm.Boolean", "Nóng chỉ do địa bàn lân cận", "Hot only by its neighbours"),
                Field("period_start", "Edm.Date", "Từ ngày", "From day"),
                Field("period_end", "Edm.Date", "Đến ngày", "To day"),
            ),
            None,
            "unit_2025",
            source=_hotspots,
            tiebreak=("unit_2025",),
        ),
    )
}
