"""The filters of every map and their checks: period order and span, known agency, test settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import repository as agencies
from service.clock import local_day, now
from service.errors import Invalid

MAX_PERIOD_YEARS = 10
MAX_PERMUTATIONS = 9_999
UNIT_PERMUTATIONS = 999
# Hexagons default to 9,999 permutations: with 999 the smallest pseudo p-value (0.002, two-sided) lets the FDR
# cut-off pass only clusters of 32 or more cells among the 1,597 of the province at resolution 7; with 9,999 a
# cluster of 4 cells can be found. Measured cost for 100,000 incidents: see tests/benchmarks/bench_maps.py.
HEX_PERMUTATIONS = 9_999
DEFAULT_RESOLUTION = 7

Resolution = Annotated[int | None, QueryParameter(description="Độ phân giải H3 4-10 / H3 resolution 4-10")]
Permutations = Annotated[
    int | None, QueryParameter(description="Số hoán vị 99-9.999 / Permutations, 99-9,999 (units 999, H3 9,999)")
]
Alpha = Annotated[float, QueryParameter(description="Tỷ lệ phát hiện sai / False-discovery rate, (0, 0.2]")]
Zoom = Annotated[
    float | None, QueryParameter(description="Mức thu phóng 0-22 / Web-map zoom 0-22 (picks the resolution)")
]
Format = Literal["json", "geojson", "csv"]


@dataclass(frozen=True)
class MapFilters:
    """The filters of every map, returned with its figures so a report can be reproduced."""

    generation: str = "2025"
    start: date | None = None
    end: date | None = None
    kind: str | None = None
    agency: str | None = None
    subject_matter: str | None = None
    act: str | None = None

    def context(self) -> dict[str, Any]:
        """The filters as JSON-ready values, for a result's parameters."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(self).items() if k != "generation"}


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_period(start: date | None, end: date | None) -> None:
    """A period must not end before it starts nor span more than ten years (an open end means today)."""
    if start is not None and end is not None and end < start:
        raise Invalid(field="end", also=("start",)).with_code("maps.period_order")
    last = end or local_day(now())
    if start is not None and last > _years_later(start, MAX_PERIOD_YEARS):
        raise Invalid(field="start", also=("end",), years=MAX_PERIOD_YEARS).with_code("maps.period_too_long")


async def checked(session: AsyncSession, filters: MapFilters) -> MapFilters:
    """Return the filters once the period and the agency code are known to be good."""
    check_period(filters.start, filters.end)
    if filters.agency is not None:
        found = await agencies.get_agency_by_code(session, filters.agency)
        if found is None:
            raise Invalid(field="agency", code=filters.agency).with_code("agency.not_found")
    return filters


def in_range(field: str, value: float | None, low: float, high: float, *, open_low: bool = False) -> None:
    """Refuse a numeric parameter outside [low, high] (or (low, high] when ``open_low``), naming it."""
    if value is None:
        return
    too_low = value <= low if open_low else value < low
    if too_low or value > high:
        shown = f"({low}; {high}]" if open_low else f"[{low}; {high}]"
        raise Invalid(field=field, range=shown).with_code("field.out_of_range")


def hotspot_areas(generation: str, areas: str, resolution: int | None) -> None:
    """Hot spots run on the 38 units of 2025 or on H3 cells: refuse the 2024 districts and a unit resolution."""
    if generation != "2025":
        raise Invalid(field="generation").with_code("maps.hotspots_generation")
    if areas == "units" and resolution is not None:
        raise Invalid(field="resolution", also=("areas",)).with_code("maps.resolution_needs_h3")


FILTER_PARAMETERS: tuple[str, ...] = ("start", "end", "kind", "agency", "subject_matter", "act")
# Handler arguments that are dependencies or headers, not query parameters.
NOT_QUERY = frozenset({"principal", "db_session", "settings", "filters", "accept", "request"})


def reject_unknown(given: Iterable[str], declared: Iterable[str]) -> None:
    """Refuse a query parameter the route does not read, naming it, rather than ignore it."""
    allowed = set(FILTER_PARAMETERS) | (set(declared) - NOT_QUERY)
    for name in given:
        if name not in allowed:
            raise Invalid(field=name).with_code("field.unknown")


def negotiated(format: Format | None, accept: str | None, default: Format = "json") -> Format:
    """The output format: ``?format=`` first, then the Accept header (GeoJSON or CSV), else JSON."""
    if format is not None:
        return format
    wanted = (accept or "").lower()
    if "application/geo+json" in wanted:
        return "geojson"
    if "text/csv" in wanted:
        return "csv"
    return default
