"""Where an incident happened, in both generations: from GPS, from a picked unit, or through the crosswalk."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from maps import crosswalk
from maps.geotag import Geotagger
from schemas.incidents import LocationIn, UnitPick
from service.errors import AppError, OutsideProvince

REFORM_DAY = date(2025, 7, 1)


class PlaceRequired(AppError):
    code = "incident.place_required"


class UnknownUnit(AppError):
    status = 422
    code = "incident.unknown_unit"


class PlaceContradiction(AppError):
    status = 422
    code = "incident.place_contradiction"


@dataclass(frozen=True)
class Place:
    """The resolved place of an incident."""

    lon: float | None
    lat: float | None
    address: str | None
    source: str  # gps | picked | crosswalk
    unit_2025: str | None
    commune_2024: str | None
    district_2024: str | None
    district_2024_split: bool


@dataclass(frozen=True)
class Crosswalk:
    """The registry's links between generations, as lookups."""

    units_2025: frozenset[str]
    districts_2024: frozenset[str]
    commune_district: dict[str, str]  # 2024 commune -> 2024 district
    commune_successor: dict[str, str]  # 2024 commune -> 2025 unit
    unit_districts: dict[str, tuple[str, ...]]  # 2025 unit -> 2024 districts it overlaps
    district_units: dict[str, tuple[str, ...]]  # 2024 district -> 2025 units it overlaps


@functools.cache
def bundled_crosswalk() -> Crosswalk:
    """Lookups from the bundled crosswalk and unit-by-district pieces."""
    communes = crosswalk.communes_2024()
    pieces = crosswalk.pieces_table()
    unit_districts = pieces.groupby("unit_code")["district_code"].apply(lambda s: tuple(sorted(s)))
    district_units = pieces.groupby("district_code")["unit_code"].apply(lambda s: tuple(sorted(s)))
    return Crosswalk(
        units_2025=frozenset(pieces["unit_code"]),
        districts_2024=frozenset(pieces["district_code"]),
        commune_district=dict(zip(communes["code"], communes["district_code"], strict=True)),
        commune_successor=dict(zip(communes["code"], communes["new_unit_code"], strict=True)),
        unit_districts=unit_districts.to_dict(),
        district_units=district_units.to_dict(),
    )


def place_incident(tagger: Geotagger, location: LocationIn | None, unit: UnitPick | None) -> Place:
    """Resolve the incident's units; a point outside Lai Châu or contradicting the picked unit is a 422."""
    links = bundled_crosswalk()
    if location is None and unit is None:
        raise PlaceRequired(field="location")  # one error: the form shows it once, at the place block
    picked = _from_pick(links, unit) if unit is not None else None
    if location is None:
        assert picked is not None  # noqa: S101 - guarded by the first check
        return picked
    unit_2025, district = tagger.tag_one(location.lon, location.lat)
    if unit_2025 is None or district is None:
        raise OutsideProvince(field="location.lon", also=("location.lat",), lon=location.lon, lat=location.lat)
    if picked is not None and unit is not None:
        _check_agrees(picked, unit_2025, district, location, unit)
    return Place(
        lon=location.lon,
        lat=location.lat,
        address=location.address,
        source="gps",
        unit_2025=unit_2025,
        commune_2024=picked.commune_2024 if picked else None,
        district_2024=district,
        district_2024_split=False,
    )


def _from_pick(links: Crosswalk, unit: UnitPick) -> Place:
    if unit.generation == "2025":
        if unit.code not in links.units_2025:
            raise UnknownUnit(field="unit.code", code=unit.code, generation=unit.generation)
        districts = links.unit_districts[unit.code]
        single = districts[0] if len(districts) == 1 else None
        return Place(None, None, None, "picked", unit.code, None, single, single is None)
    if unit.code in links.commune_district:
        successor = links.commune_successor[unit.code]
        return Place(None, None, None, "crosswalk", successor, unit.code, links.commune_district[unit.code], False)
    if unit.code in links.districts_2024:
        units = links.district_units[unit.code]
        return Place(None, None, None, "picked", units[0] if len(units) == 1 else None, None, unit.code, False)
    raise UnknownUnit(field="unit.code", code=unit.code, generation=unit.generation)


def _check_agrees(picked: Place, unit_2025: str, district: str, location: LocationIn, unit: UnitPick) -> None:
    """A GPS point must lie in the unit the reporter picked (same generation, same code)."""
    if unit.generation == "2025":
        agrees = picked.unit_2025 == unit_2025
    elif picked.commune_2024 is not None:
        agrees = picked.district_2024 == district and picked.unit_2025 == unit_2025
    else:
        agrees = picked.district_2024 == district
    if not agrees:
        raise PlaceContradiction(
            field="location",
            also=("unit",),
            lon=location.lon,
            lat=location.lat,
            code=unit.code,
            generation=unit.generation,
            found=unit_2025,
        )


def before_reform(occurred_on: date) -> bool:
    """True for incidents dated before the 1 July 2025 reform."""
    return occurred_on < REFORM_DAY
