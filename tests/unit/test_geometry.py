"""Simplified boundary layers stay faithful (codes, areas, shared edges) while getting much lighter."""

from __future__ import annotations

import gzip
import itertools
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from maps import boundaries, geometry

METRIC = geometry.METRIC_CRS
DEFAULT_TOLERANCE = geometry.tolerance_for_zoom(geometry.DEFAULT_ZOOM)
# Measured: 35.3 KB gzip at zoom 9 (6,630 vertices) against 105 KB for the bundled file.
GZIP_BOUND = 40_000


@pytest.fixture(scope="module")
def simple_2025() -> gpd.GeoDataFrame:
    return geometry.simplified("2025", DEFAULT_TOLERANCE)


def _compact_gzip_size(collection: dict[str, object]) -> int:
    return len(gzip.compress(json.dumps(collection, separators=(",", ":")).encode()))


def test_simplified_units_keep_the_38_codes_and_valid_geometry(simple_2025: gpd.GeoDataFrame) -> None:
    assert simple_2025["code"].tolist() == boundaries.load_units_2025()["code"].tolist()
    assert len(simple_2025) == 38
    assert simple_2025.crs == "EPSG:4326"
    assert simple_2025.is_valid.all()
    assert not simple_2025.is_empty.any()


def test_former_districts_simplify_too() -> None:
    districts = geometry.simplified("2024", DEFAULT_TOLERANCE)
    assert len(districts) == 8
    assert districts.is_valid.all()


def test_total_area_stays_within_one_percent(simple_2025: gpd.GeoDataFrame) -> None:
    original = boundaries.load_units_2025().to_crs(METRIC).area.sum()
    assert simple_2025.to_crs(METRIC).area.sum() == pytest.approx(original, rel=0.01)


def test_neighbours_do_not_overlap_and_leave_no_gaps(simple_2025: gpd.GeoDataFrame) -> None:
    metric = simple_2025.to_crs(METRIC).geometry.to_list()
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(metric, 2))
    assert overlap < 1_000  # m², against a province of about 9,000 km²
    province = boundaries.load_province().to_crs(METRIC).area.sum()
    assert shapely.union_all(metric).area == pytest.approx(province, rel=0.001)


def test_coordinates_are_rounded_to_five_decimals(simple_2025: gpd.GeoDataFrame) -> None:
    coords = shapely.get_coordinates(simple_2025.geometry.to_numpy())
    assert np.array_equal(coords, np.round(coords, geometry.DECIMALS))


def test_each_unit_still_contains_its_own_representative_point(simple_2025: gpd.GeoDataFrame) -> None:
    points = boundaries.load_units_2025().representative_point().to_numpy()
    assert shapely.contains(simple_2025.geometry.to_numpy(), points).all()


def test_zoom_9_layer_gzips_well_under_the_original(simple_2025: gpd.GeoDataFrame) -> None:
    original = gzip.compress((boundaries.DATA_DIR / boundaries.UNITS_2025_FILE).read_bytes())
    light = _compact_gzip_size(geometry.feature_collection(simple_2025))
    print(f"2025 units gzip: bundled file {len(original)} B, simplified zoom 9 {light} B")
    assert light < GZIP_BOUND
    assert light < 0.4 * len(original)


def test_unknown_generation_raises() -> None:
    with pytest.raises(ValueError, match="generation"):
        geometry.simplified("2019", DEFAULT_TOLERANCE)


def test_tolerance_is_about_half_a_pixel_and_finer_when_zooming_in() -> None:
    assert geometry.tolerance_for_zoom(9) == 142.0
    assert geometry.tolerance_for_zoom(8.2) == geometry.tolerance_for_zoom(9)
    tolerances = [geometry.tolerance_for_zoom(z) for z in range(0, 23)]
    assert tolerances == sorted(tolerances, reverse=True)
    assert min(tolerances) == 1.0
    with pytest.raises(ValueError, match="zoom"):
        geometry.tolerance_for_zoom(-1)


def test_feature_collection_joins_properties_on_code_as_plain_json(simple_2025: gpd.GeoDataFrame) -> None:
    codes = simple_2025["code"].tolist()
    props = pd.DataFrame({"code": codes[:2], "cases": np.array([3, 0]), "share": [0.5, np.nan]})
    collection = geometry.feature_collection(simple_2025, props)
    first, second, third = collection["features"][:3]
    assert first["id"] == codes[0]
    assert first["properties"] == {"cases": 3, "share": 0.5}
    assert type(first["properties"]["cases"]) is int
    assert second["properties"] == {"cases": 0, "share": None}
    assert third["properties"] == {"cases": None, "share": None}
    assert set(first) == {"type", "id", "properties", "geometry"}
    json.dumps(collection, allow_nan=False)


def test_feature_collection_rounds_unsimplified_geometry() -> None:
    units = boundaries.load_units_2025().head(2)
    ring = geometry.feature_collection(units)["features"][0]["geometry"]["coordinates"][0]
    assert all(round(value, 5) == value for point in ring for value in point)
