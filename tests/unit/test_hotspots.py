"""Tests of maps.hotspots: Gi* with permutation p-values and FDR over the 38 units and over H3 cells."""

from __future__ import annotations

import dataclasses

import esda
import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import W
from shapely.geometry import box

from maps import hotspots
from maps.boundaries import load_province, load_units_2025
from maps.hotspots import (
    COLUMNS,
    LABELS,
    NOT_SIGNIFICANT,
    HotspotParams,
    Shortage,
    hotspots_by_hex,
    hotspots_by_unit,
    min_fdr_cluster,
    queen_neighbours,
    unit_neighbours,
)

UNITS = load_units_2025()
CODES = sorted(UNITS["code"])
CENTRE = "03388"  # Đoàn Kết
FAST = HotspotParams(permutations=99)
LARGE_COMMUNE = "03463"  # about 510 km², the largest 2025 unit


def _neighbours(code: str) -> set[str]:
    return set(unit_neighbours()[code])


def _cluster_counts(seed: int = 0) -> tuple[pd.Series, set[str]]:
    """100 incidents in Đoàn Kết and each of its neighbours, Poisson(2) elsewhere."""
    cluster = {CENTRE, *_neighbours(CENTRE)}
    counts = pd.Series(np.random.default_rng(seed).poisson(2, len(CODES)), index=CODES)
    counts[sorted(cluster)] = 100
    return counts, cluster


def test_unit_neighbours_are_symmetric_queen_links_without_islands() -> None:
    neighbours = unit_neighbours()
    assert sorted(neighbours) == CODES
    assert all(neighbours[code] and code not in neighbours[code] for code in CODES)
    assert all(a in neighbours[b] for a in CODES for b in neighbours[a])


def test_strong_cluster_is_hot_after_fdr_and_far_units_are_not() -> None:
    counts, cluster = _cluster_counts()
    result = hotspots_by_unit(counts, HotspotParams(permutations=999))
    table = result.table
    assert result.enough_data
    assert result.shortage is None
    assert list(table.columns) == list(COLUMNS)
    assert list(table.index) == CODES
    assert set(table["label"]) <= set(LABELS)
    assert table.loc[CENTRE, "label"] in {"hot_99", "hot_95"}
    assert result.p_fdr_threshold is not None
    assert (table.loc[table["significant"], "p_sim"] <= result.p_fdr_threshold).all()
    near = cluster.union(*(_neighbours(code) for code in cluster))
    far = table.drop(sorted(near))
    assert len(far) > 10
    assert (far["label"] == NOT_SIGNIFICANT).all()
    hot = table[table["label"].str.startswith("hot")]
    assert set(hot.index) <= cluster
    assert not table["label"].str.startswith("cold").any()


def test_labels_only_where_significant_and_level_follows_p() -> None:
    counts, _ = _cluster_counts(seed=1)
    table = hotspots_by_unit(counts, HotspotParams(permutations=999)).table
    labelled = table[table["label"] != NOT_SIGNIFICANT]
    assert not labelled.empty
    assert labelled["significant"].all()
    assert (labelled.loc[labelled["label"].str.endswith("99"), "p_sim"] <= 0.01).all()
    assert (np.sign(labelled["z"]) == labelled["label"].str.startswith("hot").map({True: 1, False: -1})).all()


def test_uniform_counts_give_no_hot_or_cold_units() -> None:
    counts = pd.Series(20, index=CODES)
    table = hotspots_by_unit(counts, FAST).table
    assert (table["label"] == NOT_SIGNIFICANT).all()


def test_too_few_incidents_says_so_and_labels_nothing() -> None:
    counts = pd.Series({CENTRE: 10, "03394": 5})
    result = hotspots_by_unit(counts, FAST)
    assert not result.enough_data
    assert result.shortage == Shortage("incidents", 15, 30)
    assert result.p_fdr_threshold is None
    assert (result.table["label"] == NOT_SIGNIFICANT).all()
    assert result.table["z"].isna().all()
    assert int(result.table["count"].sum()) == 15


def test_too_few_areas_with_incidents_says_so() -> None:
    counts = pd.Series({CENTRE: 100, "03394": 100})
    result = hotspots_by_unit(counts, FAST)
    assert not result.enough_data
    assert result.shortage == Shortage("areas", 2, 5)


def test_same_seed_same_result_and_params_are_returned() -> None:
    counts, _ = _cluster_counts()
    params = HotspotParams(permutations=199, seed=7)
    context = {"period": "2025-07-01/2025-09-30", "filters": {"kind": "seizure"}}
    first = hotspots_by_unit(counts, params, context=context)
    second = hotspots_by_unit(counts, params, context=context)
    pd.testing.assert_frame_equal(first.table, second.table)
    rule = hotspots.WEIGHTS_RULE["queen"]
    assert first.params == {**dataclasses.asdict(params), "weights_rule": rule, "areas": "units_2025", **context}
    assert first.params["seed"] == 7
    assert first.params["permutations"] == 199
    other = hotspots_by_unit(counts, dataclasses.replace(params, seed=8))
    assert not np.array_equal(first.table["p_sim"], other.table["p_sim"])


def test_default_params_are_the_documented_ones() -> None:
    params = HotspotParams()
    assert (params.permutations, params.seed, params.alpha, params.weights) == (999, 20250701, 0.10, "queen")
    assert params.alternative == "two-sided"


@pytest.mark.parametrize(
    "bad",
    [{"permutations": 10}, {"alpha": 0.5}, {"k": 0}, {"min_incidents": 0}, {"weights": "rook"}],
)
def test_bad_params_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must"):
        HotspotParams(**bad)  # type: ignore[arg-type]


def test_unknown_unit_code_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown unit codes"):
        hotspots_by_unit(pd.Series({"99999": 5}), FAST)


def test_island_is_joined_to_its_nearest_unit() -> None:
    squares = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(5, 5, 6, 6)]
    units = gpd.GeoDataFrame({"code": ["a", "b", "c", "island"]}, geometry=squares, crs="EPSG:4326")
    neighbours = queen_neighbours(units)
    assert neighbours["island"] == ["b"] or neighbours["island"] == ["c"]
    nearest = neighbours["island"][0]
    assert "island" in neighbours[nearest]
    assert neighbours["a"] == ["b", "c"]


def test_hex_cluster_inside_one_large_commune_is_hot() -> None:
    centre = UNITS.set_index("code").geometry[LARGE_COMMUNE].representative_point()
    minx, miny, maxx, maxy = load_province().total_bounds
    rng = np.random.default_rng(0)
    lon = np.concatenate([rng.uniform(minx, maxx, 1400), centre.x + rng.normal(0, 0.03, 600)])
    lat = np.concatenate([rng.uniform(miny, maxy, 1400), centre.y + rng.normal(0, 0.03, 600)])
    params = HotspotParams(weights="kring", permutations=9999)
    result = hotspots_by_hex(lon, lat, 6, params, context={"period": "2025-Q3"})
    table = result.table
    assert result.enough_data
    centre_cell = h3.latlng_to_cell(centre.y, centre.x, 6)
    assert table.loc[centre_cell, "label"] == "hot_99"
    hot = table.index[table["label"].str.startswith("hot")]
    assert all(h3.grid_distance(centre_cell, cell) <= 2 for cell in hot)
    assert not table["label"].str.startswith("cold").any()
    assert result.params["resolution"] == 6
    assert result.params["extent"] == "province"
    assert result.params["period"] == "2025-Q3"
    assert int(table["count"].sum()) == 2000


def test_hex_areas_include_empty_cells_and_drop_bad_points() -> None:
    lon = np.array([103.46, 103.46, np.nan])
    lat = np.array([22.40, 22.40, 22.40])
    result = hotspots_by_hex(lon, lat, 7, HotspotParams(weights="kring", permutations=99), extent="rings")
    assert not result.enough_data
    assert len(result.table) == 7
    assert int(result.table["count"].sum()) == 2
    assert result.params["points_dropped"] == 1


def test_hex_rejects_queen_params() -> None:
    with pytest.raises(ValueError, match="k-ring"):
        hotspots_by_hex([103.4], [22.4], 7, HotspotParams(weights="queen"))


def test_fewest_cells_that_can_pass_fdr_when_permutations_are_too_few_for_the_areas() -> None:
    assert min_fdr_cluster(38, HotspotParams()) == 1
    assert min_fdr_cluster(3900, HotspotParams(weights="kring")) == 78
    assert min_fdr_cluster(3900, HotspotParams(weights="kring", permutations=9999)) == 8
    counts, _ = _cluster_counts()
    assert hotspots_by_unit(counts, HotspotParams()).min_fdr_cluster == 1
    few = hotspots_by_unit(counts, HotspotParams(permutations=99))
    assert few.min_fdr_cluster == 8


def test_fractional_counts_are_kept_not_truncated() -> None:
    counts, _ = _cluster_counts()
    counts = counts.astype(float)
    counts[CENTRE] = 100.37
    table = hotspots_by_unit(counts, FAST).table
    assert table.loc[CENTRE, "count"] == 100.37
    assert table["count"].sum() == pytest.approx(counts.sum(), abs=1e-9)


def test_z_is_the_standard_gi_star_z_not_the_row_standardised_one() -> None:
    counts, _ = _cluster_counts()
    table = hotspots_by_unit(counts, FAST).table
    neighbours = unit_neighbours()
    binary = W({c: [c, *neighbours[c]] for c in CODES}, id_order=CODES, silence_warnings=True)
    expected = esda.G_Local(counts[CODES].to_numpy(float), binary, transform="B", permutations=0, star=True).Zs
    np.testing.assert_allclose(table.loc[CODES, "z"], expected, atol=1e-9)
    assert table.loc[CENTRE, "z"] > 1.96
