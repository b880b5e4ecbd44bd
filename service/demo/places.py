"""Where demo incidents happen: units of both generations, GPS points checked inside them, the border gate."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from maps.boundaries import load_districts_2024, load_units_2025
from maps.crosswalk import communes_2024
from maps.geotag import Geotagger
from service.demo.catalogue import HAMLETS, MA_LU_THANG, MA_LY_PHO_2024, PHONG_THO_2025, TOWN_ANCHORS, Body

REFORM_DAY = date(2025, 7, 1)
JITTER_DEG = 0.004  # about 400 m


@dataclass(frozen=True)
class Spot:
    """Where an incident happened, as the input will carry it, and words to describe it."""

    location: Body | None
    unit: dict[str, str] | None
    district: str  # pre-2025 district code, to choose a team
    label: str  # "xã Bình Lư, huyện Tam Đường" or "phường Đoàn Kết"


@dataclass(frozen=True)
class Atlas:
    """Names and anchor points of the units, and a geotagger to check jittered points."""

    tagger: Geotagger
    unit_names: dict[str, str]
    district_names: dict[str, str]
    anchors: dict[str, tuple[float, float]]
    communes: dict[str, list[tuple[str, str, str]]]  # 2025 unit -> [(2024 commune, name, district)]


def lower_first(name: str) -> str:
    """'Xã Bình Lư' -> 'xã Bình Lư', to run on in a sentence."""
    return name[:1].lower() + name[1:]


def _names(codes: Any, names: Any) -> dict[str, str]:
    return {str(c): lower_first(str(n)) for c, n in zip(codes, names, strict=True)}


@functools.cache
def bundled_atlas() -> Atlas:
    """The atlas of the bundled boundaries (built once per process)."""
    return build_atlas(Geotagger.from_bundled())


def build_atlas(tagger: Geotagger) -> Atlas:
    """Names, anchors and commune lists from the bundled boundary files."""
    units = load_units_2025()
    anchors = {}
    for code, geometry in zip(units["code"], units.geometry, strict=True):
        point = geometry.representative_point()
        anchors[str(code)] = TOWN_ANCHORS.get(str(code), (round(point.x, 5), round(point.y, 5)))
    communes: dict[str, list[tuple[str, str, str]]] = {}
    for row in communes_2024().itertuples(index=False):
        communes.setdefault(str(row.new_unit_code), []).append((str(row.code), str(row.name), str(row.district_code)))
    districts = load_districts_2024()
    return Atlas(
        tagger=tagger,
        unit_names=_names(units["code"], units["full_name"]),
        district_names=_names(districts["code"], districts["full_name"]),
        anchors=anchors,
        communes=communes,
    )


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    """One key, drawn with its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _gps(atlas: Atlas, rng: random.Random, unit: str, anchor: tuple[float, float] | None = None) -> tuple[Body, str]:
    """A point near the unit's anchor, verified inside the unit; returns (location, 2024 district)."""
    lon0, lat0 = anchor or atlas.anchors[unit]
    for _ in range(30):
        lon = round(lon0 + rng.uniform(-JITTER_DEG, JITTER_DEG), 5)
        lat = round(lat0 + rng.uniform(-JITTER_DEG, JITTER_DEG), 5)
        found, district = atlas.tagger.tag_one(lon, lat)
        if found == unit and district is not None:
            return {"lon": lon, "lat": lat}, district
    found, district = atlas.tagger.tag_one(lon0, lat0)
    if found != unit or district is None:
        raise ValueError(f"anchor of {unit} is not inside it")
    return {"lon": lon0, "lat": lat0}, district


def place(atlas: Atlas, rng: random.Random, unit: str, on: date, venue: str, gps_share: float) -> Spot:
    """A place in this 2025 unit, described as the reporter would have on that day."""
    if on < REFORM_DAY and rng.random() >= gps_share:
        options = atlas.communes[unit]
        weights = [4 if name.startswith(("Phường", "Thị trấn")) else 1 for _, name, _ in options]
        code, name, district = rng.choices(options, weights=weights)[0]
        label = f"{lower_first(name)}, {atlas.district_names[district]}"
        return Spot(None, {"generation": "2024", "code": code}, district, label)
    if on >= REFORM_DAY and rng.random() >= gps_share:
        district = atlas.tagger.tag_one(*atlas.anchors[unit])[1] or ""
        return Spot(None, {"generation": "2025", "code": unit}, district, atlas.unit_names[unit])
    location, district = _gps(atlas, rng, unit)
    label = atlas.district_names[district] if on < REFORM_DAY else atlas.unit_names[unit]
    location["address"] = f"{venue}, {rng.choice(HAMLETS)}, {label}"
    return Spot(location, None, district, label)


def border_gate(atlas: Atlas, rng: random.Random, on: date) -> Spot:
    """The Ma Lù Thàng border gate: old xã Ma Ly Pho before the reform, xã Phong Thổ after."""
    if on < REFORM_DAY and rng.random() < 0.5:
        return Spot(None, {"generation": "2024", "code": MA_LY_PHO_2024}, "109", "xã Ma Ly Pho, huyện Phong Thổ")
    if on >= REFORM_DAY and rng.random() < 0.3:
        return Spot(None, {"generation": "2025", "code": PHONG_THO_2025}, "109", "xã Phong Thổ")
    location, district = _gps(atlas, rng, PHONG_THO_2025, MA_LU_THANG)
    location["address"] = "Khu kiểm soát cửa khẩu quốc tế Ma Lù Thàng"
    return Spot(location, None, district, "cửa khẩu quốc tế Ma Lù Thàng")
