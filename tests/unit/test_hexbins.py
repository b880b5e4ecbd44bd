"""Tests of maps.hexbins: H3 point density with small cells suppressed."""

from __future__ import annotations

import h3
import numpy as np
import pytest

from maps.hexbins import HEX_COLUMNS, MAX_RESOLUTION, hexbin, zoom_to_resolution


def _points() -> tuple[np.ndarray, np.ndarray]:
    """Ten points in one place, two in a second, one alone, one without a position."""
    lon = np.array([103.46] * 10 + [103.20] * 2 + [102.80, np.nan])
    lat = np.array([22.40] * 10 + [22.10] * 2 + [22.30, 22.30])
    return lon, lat


def test_cells_under_min_count_are_suppressed_and_totals_add_up() -> None:
    lon, lat = _points()
    result = hexbin(lon, lat, 7, min_count=3)
    assert list(result.cells.columns) == list(HEX_COLUMNS)
    assert list(result.cells["cell"]) == [h3.latlng_to_cell(22.40, 103.46, 7)]
    assert list(result.cells["count"]) == [10]
    assert (result.suppressed_cells, result.suppressed_points, result.dropped_points) == (2, 3, 1)
    assert result.shown_points + result.suppressed_points + result.dropped_points == len(lon)


def test_min_count_one_shows_every_cell() -> None:
    lon, lat = _points()
    result = hexbin(lon, lat, 7, min_count=1)
    assert result.suppressed_cells == 0
    assert sorted(result.cells["count"]) == [1, 2, 10]
    assert list(result.cells["cell"]) == sorted(result.cells["cell"])


def test_random_points_totals_match() -> None:
    rng = np.random.default_rng(3)
    lon = rng.uniform(103.0, 103.5, 5000)
    lat = rng.uniform(22.0, 22.5, 5000)
    result = hexbin(lon, lat, 8, min_count=3)
    assert (result.cells["count"] >= 3).all()
    assert result.suppressed_cells > 0
    assert result.shown_points + result.suppressed_points == 5000


def test_centre_and_boundary_are_geojson_lon_lat() -> None:
    result = hexbin(np.array([103.46] * 3), np.array([22.40] * 3), 7)
    row = result.cells.iloc[0]
    assert row["lat"] == pytest.approx(22.40, abs=0.02)
    assert row["lon"] == pytest.approx(103.46, abs=0.02)
    (ring,) = row["boundary"]
    assert ring[0] == ring[-1]
    assert len(ring) == 7
    assert all(103.4 < lon < 103.5 and 22.3 < lat < 22.5 for lon, lat in ring)


def test_empty_input_gives_empty_frame() -> None:
    result = hexbin(np.array([]), np.array([]), 7)
    assert result.cells.empty
    assert list(result.cells.columns) == list(HEX_COLUMNS)
    assert result.shown_points == 0


@pytest.mark.parametrize("bad", [{"resolution": 16}, {"min_count": 0}])
def test_bad_arguments_are_rejected(bad: dict[str, int]) -> None:
    kwargs = {"resolution": 7, "min_count": 3, **bad}
    with pytest.raises(ValueError, match="must"):
        hexbin(np.array([103.4]), np.array([22.4]), **kwargs)


def test_zoom_mapping_is_monotonic_and_bounded() -> None:
    resolutions = [zoom_to_resolution(z) for z in np.arange(0, 22, 0.5)]
    assert resolutions == sorted(resolutions)
    assert resolutions[0] == 4
    assert resolutions[-1] == MAX_RESOLUTION
    assert zoom_to_resolution(10) == 7
    with pytest.raises(ValueError, match="zoom"):
        zoom_to_resolution(-1)
