"""Map figures as data: one row per unit or hexagon, with the parameters and notes that go with them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import msgspec

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


def _doc(text: str) -> msgspec.Meta:
    return msgspec.Meta(description=text)


CountUsed = Annotated[
    float,
    _doc(
        "Số vụ dùng cho kiểm định / The count the statistic used: incidents placed in the area (GPS point, picked"
        " commune or unit) plus area shares of incidents known only by their former district, on a grid of 1e-6"
        " incident; may be fractional. z and p_sim are computed from exactly this value."
    ),
]
WholeIncidents = Annotated[
    int,
    _doc("Số vụ nguyên / Whole number of incidents placed in the area itself (no area-share split)."),
]
SplitCount = Annotated[
    float,
    _doc("Phần chia theo diện tích / The part of `count` that comes from area-share splits (count - incidents)."),
]
GiZ = Annotated[
    float | None,
    _doc(
        "Điểm z Gi* / Standard Getis-Ord (1992, 1995) Gi* z-score for binary weights with the area itself"
        " included (`weights`); null when no test was run."
    ),
]
PSim = Annotated[
    float | None,
    _doc(
        "Giá trị p hoán vị / Conditional-permutation pseudo p-value (as_extreme + 1) / (permutations + 1),"
        " doubled for two-sided (at most 1), decided exactly; null when no test was run."
    ),
]
AsExtreme = Annotated[
    int | None,
    _doc(
        "Số hoán vị cực trị / Permutations whose neighbourhood sum is at least as extreme as the observed one (ties"
        " included) in the nearer tail; null when no test was run."
    ),
]
HotByNeighbours = Annotated[
    bool,
    _doc(
        "Nóng do lân cận / True when the area has no incident but is hot (z > 0): Gi* sums the neighbourhood, so it"
        " is hot because of its neighbours."
    ),
]


class UnitHotspot(Schema, kw_only=True):
    """Gi* of one unit: z-score, pseudo p-value, label after the false-discovery-rate cut-off.

    ``label_uncorrected`` is the label the pseudo p-value alone would give: indicative only (see docs/maps.md).
    """

    code: str
    full_name: str
    count: CountUsed
    incidents: WholeIncidents
    split_count: SplitCount
    z: GiZ
    p_sim: PSim
    as_extreme: AsExtreme
    label: HotspotLabel
    label_uncorrected: HotspotLabel
    hot_by_neighbours: HotByNeighbours


class HexHotspot(Schema, kw_only=True):
    """Gi* of one significant H3 cell; ``count`` is withheld (null) under the minimum count per hexagon."""

    cell: str
    count: Annotated[int | None, _doc("Số vụ có GPS trong ô / Incidents with GPS in the cell (null under the minimum)")]
    z: GiZ
    p_sim: PSim
    as_extreme: AsExtreme
    label: HotspotLabel
    hot_by_neighbours: HotByNeighbours


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
    incidents: Annotated[
        int, _doc("Số vụ được kiểm định / Whole number of incidents in the test (the sum of the areas' count)")
    ]
    permutations: Annotated[int, _doc("Số hoán vị có điều kiện / Conditional permutations run (seed in params)")]
    weights: Annotated[
        Literal["queen", "kring"],
        _doc(
            "Trọng số / Binary weights, the area itself included: queen contiguity (units) or cells within k grid"
            " steps (H3); params.weights_rule says it in words"
        ),
    ]
    alternative: Annotated[Literal["two-sided", "directed"], _doc("Kiểu p / Two-sided (default) or directed p")]
    p_fdr_threshold: Annotated[
        float | None, _doc("Ngưỡng FDR / Benjamini-Hochberg cut-off on p_sim (p_sim <= it is significant)")
    ]
    min_fdr_cluster: int
    params: dict[str, Any]
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
    params: dict[str, Any]
    notes: list[Note]
    cells: list[HexCell]
