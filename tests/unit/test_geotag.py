"""Tests of maps.geotag, maps.crosswalk and maps.boundaries against the bundled Lai Châu data."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from maps.boundaries import (
    attribution,
    load_crosswalk,
    load_districts_2024,
    load_pieces,
    load_province,
    load_units_2025,
)
from maps.crosswalk import communes_2024, district_of_commune_2024, pieces_table, successors_2025
from maps.geotag import Geotagger, sample_points

UNITS = load_units_2025()
DISTRICTS = load_districts_2024()
UNIT_CODES = sorted(UNITS["code"])
DISTRICT_CODES = sorted(DISTRICTS["code"])


@pytest.fixture(scope="module")
def tagger() -> Geotagger:
    """One Geotagger built from the bundled layers, shared by the module."""
    return Geotagger.from_bundled()


def _loop_tag(polygons: list[tuple[str, shapely.Geometry]], x: float, y: float) -> str | None:
    """Reference answer: plain contains() over polygons in code order, first hit wins."""
    point = Point(x, y)
    return next((code for code, polygon in polygons if polygon.contains(point)), None)


def _coded(frame: gpd.GeoDataFrame) -> list[tuple[str, shapely.Geometry]]:
    """Return (code, geometry) pairs sorted by code."""
    return sorted(zip(frame["code"], frame.geometry, strict=True))


# --- geotagging -------------------------------------------------------------------------------


def test_bundled_layers_have_expected_counts(tagger: Geotagger) -> None:
    assert len(tagger.unit_codes) == 38
    assert len(tagger.district_codes) == 8
    assert tagger.district_codes == ("105", "106", "107", "108", "109", "110", "111", "112")


@pytest.mark.parametrize("code", UNIT_CODES)
def test_unit_representative_point_tags_to_its_unit(tagger: Geotagger, code: str) -> None:
    point = UNITS.loc[UNITS["code"] == code].geometry.iloc[0].representative_point()
    unit, district = tagger.tag_one(point.x, point.y)
    assert unit == code
    assert district in DISTRICT_CODES


@pytest.mark.parametrize("code", DISTRICT_CODES)
def test_district_representative_point_tags_to_its_district(tagger: Geotagger, code: str) -> None:
    point = DISTRICTS.loc[DISTRICTS["code"] == code].geometry.iloc[0].representative_point()
    unit, district = tagger.tag_one(point.x, point.y)
    assert district == code
    assert unit in UNIT_CODES


@pytest.mark.parametrize(
    ("lat", "lon", "district", "unit"),
    [
        (22.396, 103.458, "105", "03388"),  # Lai Châu city centre
        (21.956, 103.892, "110", "03595"),  # Than Uyên town
        (22.46211, 103.37988, "109", "03388"),  # old xã Lả Nhì Thàng, now in Phường Đoàn Kết
        (22.36, 103.24, "108", "03478"),  # Sìn Hồ town
        (22.53, 103.36, "109", "03549"),  # Phong Thổ town
        (22.14, 103.735, "111", "03598"),  # Tân Uyên town
        (22.17, 103.00, "112", "03434"),  # Nậm Nhùn town
    ],
)
def test_documented_point_checks(tagger: Geotagger, lat: float, lon: float, district: str, unit: str) -> None:
    assert tagger.tag_one(lon, lat) == (unit, district)


def test_points_just_outside_the_outline_are_untagged(tagger: Geotagger) -> None:
    province = load_province().geometry.iloc[0]
    ring = province.buffer(0.01).exterior
    ring_points = shapely.get_coordinates(ring)[::10]
    assert len(ring_points) > 50
    assert not shapely.intersects_xy(province, ring_points[:, 0], ring_points[:, 1]).any()
    result = tagger.tag(ring_points[:, 0], ring_points[:, 1])
    assert all(code is None for code in result.unit_2025)
    assert all(code is None for code in result.district_2024)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        pytest.param(104.9, 22.8, id="ha-giang"),
        pytest.param(106.5, 20.0, id="gulf-of-tonkin"),
        pytest.param(103.0, 22.8, id="yunnan-inside-bbox"),
        pytest.param(103.3278, 22.83, id="yunnan-north-of-northernmost-vertex"),
    ],
)
def test_far_outside_points_are_untagged(tagger: Geotagger, lon: float, lat: float) -> None:
    assert not load_province().geometry.iloc[0].intersects(Point(lon, lat))
    assert tagger.tag_one(lon, lat) == (None, None)


def test_non_finite_coordinates_are_untagged(tagger: Geotagger) -> None:
    lon = [math.nan, 103.458, math.inf, -math.inf, 103.458, 103.458]
    lat = [22.396, math.nan, 22.396, 22.396, math.inf, 22.396]
    result = tagger.tag(lon, lat)
    assert list(result.unit_2025) == [None, None, None, None, None, "03388"]
    assert list(result.district_2024) == [None, None, None, None, None, "105"]
    scalar = [tagger.tag_one(x, y) for x, y in zip(lon, lat, strict=True)]
    assert scalar == [(None, None)] * 5 + [("03388", "105")]


def test_result_shape_and_immutability(tagger: Geotagger) -> None:
    result = tagger.tag(np.full((2, 3), 103.458), 22.396)
    assert result.unit_2025.shape == (2, 3)
    assert result.district_2024.dtype == object
    assert set(result.unit_2025.ravel()) == {"03388"}
    assert len(result) == 6
    with pytest.raises(ValueError, match="read-only"):
        result.unit_2025[0, 0] = "x"
    empty = tagger.tag([], [])
    assert empty.unit_2025.shape == (0,)


def _shared_vertex(frame: gpd.GeoDataFrame, code_a: str, code_b: str) -> tuple[float, float]:
    """Return a vertex lying on the border of both polygons but not on the province outline."""
    geoms = dict(_coded(frame))
    shared = shapely.intersection(geoms[code_a].boundary, geoms[code_b].boundary)
    outline = load_province().geometry.iloc[0].boundary
    for x, y in shapely.get_coordinates(shared):
        if not outline.intersects(Point(x, y)):
            return float(x), float(y)
    raise AssertionError(f"{code_a} and {code_b} share no inner vertex")


@pytest.mark.parametrize(("high", "low"), [("03394", "03388"), ("03408", "03388")])
def test_point_on_shared_unit_border_gets_lowest_code(tagger: Geotagger, high: str, low: str) -> None:
    x, y = _shared_vertex(UNITS, low, high)
    geoms = dict(_coded(UNITS))
    assert geoms[low].intersects(Point(x, y))
    assert geoms[high].intersects(Point(x, y))
    assert not geoms[low].contains(Point(x, y))
    assert tagger.tag_one(x, y)[0] == low
    assert tagger.tag([x], [y]).unit_2025[0] == low


def test_point_on_shared_district_border_gets_lowest_code(tagger: Geotagger) -> None:
    x, y = _shared_vertex(DISTRICTS, "105", "106")
    assert tagger.tag_one(x, y)[1] == "105"
    assert tagger.tag([x], [y]).district_2024[0] == "105"


def test_point_on_province_outline_counts_as_inside(tagger: Geotagger) -> None:
    x, y = shapely.get_coordinates(load_province().geometry.iloc[0].exterior)[0]
    unit, district = tagger.tag_one(float(x), float(y))
    assert unit in UNIT_CODES
    assert district in DISTRICT_CODES
    result = tagger.tag([x], [y])
    assert (result.unit_2025[0], result.district_2024[0]) == (unit, district)


def test_vectorized_equals_plain_contains_loop(tagger: Geotagger) -> None:
    lon, lat = sample_points(2_000, seed=20250701)
    result = tagger.tag(lon, lat)
    units, districts = _coded(UNITS), _coded(DISTRICTS)
    expected_units = [_loop_tag(units, x, y) for x, y in zip(lon, lat, strict=True)]
    expected_districts = [_loop_tag(districts, x, y) for x, y in zip(lon, lat, strict=True)]
    assert list(result.unit_2025) == expected_units
    assert list(result.district_2024) == expected_districts
    tagged = sum(code is not None for code in expected_units)
    assert 500 < tagged < 1_500  # the province covers roughly 40 % of its bounding box
    assert len({code for code in expected_units if code is not None}) >= 30
    for i in range(0, 2_000, 7):
        assert tagger.tag_one(float(lon[i]), float(lat[i])) == (expected_units[i], expected_districts[i])


def test_sample_points_are_reproducible_and_in_bbox() -> None:
    lon, lat = sample_points(1_000, seed=7)
    lon2, _ = sample_points(1_000, seed=7)
    lon3, _ = sample_points(1_000, seed=8)
    xmin, ymin, xmax, ymax = load_province().total_bounds
    assert np.array_equal(lon, lon2)
    assert not np.array_equal(lon, lon3)
    assert lon.min() >= xmin
    assert lon.max() <= xmax
    assert lat.min() >= ymin
    assert lat.max() <= ymax


def test_tagger_rejects_duplicate_codes() -> None:
    doubled = UNITS.iloc[[0, 0]]
    with pytest.raises(ValueError, match="not unique"):
        Geotagger(doubled, DISTRICTS)


# --- crosswalk and pieces ---------------------------------------------------------------------


def test_crosswalk_maps_106_communes_onto_all_38_units() -> None:
    communes = communes_2024()
    assert len(communes) == 106
    assert communes["code"].is_unique
    assert list(communes.columns) == ["code", "name", "district_code", "district_name", "new_unit_code"]
    assert set(communes["new_unit_code"]) == set(UNIT_CODES)
    assert set(communes["district_code"]) == set(DISTRICT_CODES)
    assert all(len(code) == 5 and code.startswith("0") for code in communes["code"])


def test_crosswalk_lookups_follow_the_resolution() -> None:
    assert successors_2025("03389") == "03388"  # old Phường Đoàn Kết -> new Phường Đoàn Kết
    assert successors_2025("03391") == "03388"  # xã Lả Nhì Thàng (Phong Thổ) -> Phường Đoàn Kết
    assert successors_2025("03619") == "03595"  # old xã Mường Than -> xã Than Uyên
    assert district_of_commune_2024("03391") == "109"
    assert district_of_commune_2024("03386") == "105"


def test_crosswalk_unknown_code_raises_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="99999"):
        successors_2025("99999")
    with pytest.raises(KeyError, match="3391"):
        district_of_commune_2024("3391")  # leading zero missing: not a valid code


def test_pieces_shares_sum_to_one() -> None:
    pieces = pieces_table()
    assert len(pieces) == 44
    assert "geometry" not in pieces.columns
    assert not pieces.duplicated(["unit_code", "district_code"]).any()
    assert set(pieces["unit_code"]) == set(UNIT_CODES)
    for code, total in pieces.groupby("unit_code")["share_of_unit"].sum().items():
        assert total == pytest.approx(1.0, abs=0.002), code
    for code, total in pieces.groupby("district_code")["share_of_district"].sum().items():
        assert total == pytest.approx(1.0, abs=0.002), code
    assert (pieces.groupby("unit_code").size() == 2).sum() == 6


def test_pieces_match_unit_district_pairs_of_the_crosswalk() -> None:
    pairs = set(zip(pieces_table()["unit_code"], pieces_table()["district_code"], strict=True))
    table = communes_2024()
    implied = set(zip(table["new_unit_code"], table["district_code"], strict=True))
    assert pairs == implied


# --- loaders ----------------------------------------------------------------------------------


def test_loaders_return_independent_copies() -> None:
    units = load_units_2025()
    units.loc[0, "code"] = "mutated"
    assert load_units_2025().loc[0, "code"] == UNIT_CODES[0]
    crosswalk = load_crosswalk()
    crosswalk.loc[0, "new_unit_code"] = "mutated"
    assert "mutated" not in set(load_crosswalk()["new_unit_code"])
    assert len(load_pieces()) == 44


def test_crosswalk_columns_are_strings() -> None:
    crosswalk = load_crosswalk()
    assert len(crosswalk) == 106
    assert all(crosswalk[column].map(type).eq(str).all() for column in crosswalk.columns)


def test_attribution_has_both_languages() -> None:
    vietnamese, english = attribution()
    assert vietnamese.startswith("Ranh giới đơn vị hành chính cấp xã 2025")
    assert "Nghị quyết 1670/NQ-UBTVQH15" in vietnamese
    assert english.startswith("2025 commune-level boundaries")
    assert english.endswith("Resolution 1670/NQ-UBTVQH15 of 16 June 2025.")
    assert "\n" not in vietnamese
    assert "##" not in english
