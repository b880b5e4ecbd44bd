"""Map figures as data: one row per administrative unit, with the parameters that produced them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from schemas.base import Schema


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
    scope: Literal["province", "agency"]
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


class UnitHotspot(Schema, kw_only=True):
    """Gi* of one unit: its z-score, pseudo p-value and label after the false-discovery-rate cut-off."""

    code: str
    full_name: str
    count: float
    gi_z: float | None
    p_sim: float | None
    label: Literal["hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "not_significant"]


class HotspotsOut(Schema, kw_only=True):
    """Hotspots over the 38 units with every parameter needed to reproduce them."""

    scope: Literal["province", "agency"]
    agency: str | None
    enough_data: bool
    reason: str | None
    p_fdr_threshold: float | None
    power_note: str | None
    params: dict[str, object]
    units: list[UnitHotspot]
