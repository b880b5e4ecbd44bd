"""Administrative units of both generations, their successions, and geotag answers."""

from __future__ import annotations

from datetime import date
from typing import Literal

from schemas.base import Schema

GenerationCode = Literal["2024", "2025"]
LevelCode = Literal["district", "commune"]


class AdminUnitOut(Schema, kw_only=True):
    """One administrative unit; `(code, generation)` is its key, codes are reused across generations."""

    code: str
    generation: GenerationCode
    level: LevelCode
    kind: str
    name: str
    full_name: str
    name_en: str
    parent_code: str | None
    area_km2: float | None
    has_geometry: bool
    valid_from: date | None
    valid_to: date | None


class SuccessionOut(Schema, kw_only=True):
    """A unit of the other generation linked to this one, with the shares used to move figures."""

    code: str
    generation: GenerationCode
    full_name: str
    kind: Literal["merged_into", "overlaps"]
    share_of_from: float
    share_of_to: float | None
    area_km2: float | None
    legal_basis: str


class AdminUnitDetailOut(Schema, kw_only=True):
    """A unit with the units it came from (2024) or became (2025)."""

    unit: AdminUnitOut
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]
    children: list[AdminUnitOut]


class UnitRef(Schema, kw_only=True):
    """A short reference to a unit."""

    code: str
    generation: GenerationCode
    name: str
    full_name: str


class GeotagOut(Schema, kw_only=True):
    """The 2025 unit and the 2024 district that contain a point."""

    lon: float
    lat: float
    unit_2025: UnitRef
    district_2024: UnitRef
