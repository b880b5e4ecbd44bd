"""Map figures as data: one row per unit or hexagon, with the parameters and notes that go with them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from schemas.base import Schema

HotspotLabel = Literal["hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "not_significant"]
Scope = Literal["province", "agency"]


class Note(Schema, kw_only=True):
    """Something the reader of a map must know (data split by area, too little data, hidden cells)."""

    code: str
    message_vi: str
    message_en: str


class UnitFigures(Schema, kw_only=True):
    """Figures of one unit (a 2025 commune-level unit or a 2024 former district)."""

    code: str
    name: str
    full_name: str
    count: float
    goods_value_vnd: float
    fine_vnd: float
    split_count: float


class Totals(Schema, kw_only=True):
    """Sums over the units."""

    count: float
    goods_value_vnd: float
    fine_vnd: float


class ChoroplethOut(Schema, kw_only=True):
    """Figures per unit of one generation, for the filters given; scope says whose incidents they count."""

    generation: Literal["2024", "2025"]
    scope: Scope
    agency: str | None
    start: date | None
    end: date | None
    kind: str | None
    subject_matter: str | None
    act: str | None
    split_by_area: bool
    unplaced: int
    units: list[UnitFigures]
    totals: Totals
    province_totals: Totals
    notes: list[Note]


class UnitHotspot(Schema, kw_only=True):
    """Gi* of one unit: z-score, pseudo p-value, label after the false-discovery-rate cut-off.

    ``label_uncorrected`` is the label the pseudo p-value alone would give: indicative only (see docs/maps.md).
    """

    code: str
    full_name: str
    count: float
    gi_z: float | None
    p_sim: float | None
    label: HotspotLabel
    label_uncorrected: HotspotLabel


class HexHotspot(Schema, kw_only=True):
    """Gi* of one significant H3 cell; ``count`` is withheld (null) under the minimum count per hexagon."""

    cell: str
    count: int | None
    gi_z: float
    p_sim: float
    label: HotspotLabel


class HotspotsOut(Schema, kw_only=True):
    """Hot and cold spots with every parameter needed to reproduce them.

    ``areas`` is "units_2025" (``units`` lists all 38) or "h3" (``cells`` lists only the significant cells of
    the ``areas_tested``; the rest are not significant).
    """

    areas: Literal["units_2025", "h3"]
    resolution: int | None
    scope: Scope
    agency: str | None
    enough_data: bool
    areas_tested: int
    p_fdr_threshold: float | None
    min_fdr_cluster: int
    params: dict[str, object]
    notes: list[Note]
    units: list[UnitHotspot]
    cells: list[HexHotspot]


class HexCell(Schema, kw_only=True):
    """Incidents with GPS in one H3 cell (only cells at or over the minimum count are listed)."""

    cell: str
    count: int
    lat: float
    lon: float


class HexbinsOut(Schema, kw_only=True):
    """Point density on H3 hexagons with what was withheld for privacy."""

    resolution: int
    min_count: int
    scope: Scope
    agency: str | None
    shown_points: int
    suppressed_cells: int
    suppressed_points: int
    without_gps: int
    params: dict[str, object]
    notes: list[Note]
    cells: list[HexCell]
