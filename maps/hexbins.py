"""Point density on H3 hexagons, with small cells suppressed so no single violator can be located.

Pure: arrays in, a frame out (STYLE rule 8).
"""

from __future__ import annotations

from dataclasses import dataclass

import h3
import numpy as np
import numpy.typing as npt
import pandas as pd
from h3.api import basic_int

# Web-map zoom -> H3 resolution. Chosen so a hexagon spans roughly 10-40 screen pixels at that zoom
# (H3 average edge: res 5 ~ 9.9 km, 6 ~ 3.7 km, 7 ~ 1.4 km, 8 ~ 0.53 km, 9 ~ 0.2 km).
#   zoom <= 7 -> 4 | 8 -> 5 | 9 -> 6 | 10-11 -> 7 | 12 -> 8 | >= 13 -> 9 (capped: finer cells add
#   little for incident data whose GPS is often only good to tens of metres, and make suppression bite).
ZOOM_TO_RESOLUTION: tuple[tuple[int, int], ...] = ((7, 4), (8, 5), (9, 6), (11, 7), (12, 8))
MAX_RESOLUTION = 9
HEX_COLUMNS: tuple[str, ...] = ("cell", "count", "lat", "lon", "boundary")


def zoom_to_resolution(zoom: float) -> int:
    """Return the H3 resolution for a web-map zoom level (table above); non-decreasing in ``zoom``."""
    if not np.isfinite(zoom) or zoom < 0:
        raise ValueError("zoom must be a finite number >= 0")
    for max_zoom, resolution in ZOOM_TO_RESOLUTION:
        if zoom <= max_zoom:
            return resolution
    return MAX_RESOLUTION


@dataclass(frozen=True, eq=False)
class HexbinResult:
    """Shown cells (``HEX_COLUMNS``, sorted by cell) and what was withheld.

    ``shown_points + suppressed_points + dropped_points`` equals the number of input points;
    ``dropped_points`` had a non-finite lon or lat.
    """

    cells: pd.DataFrame
    resolution: int
    min_count: int
    suppressed_cells: int
    suppressed_points: int
    dropped_points: int

    @property
    def shown_points(self) -> int:
        """Return the number of points in shown cells."""
        return int(self.cells["count"].sum())


def _boundary(cell: str) -> list[list[float]]:
    """Return the cell outline as a closed GeoJSON ring of [lon, lat] pairs."""
    ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(cell)]
    return [*ring, ring[0]]


def cell_counts(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], resolution: int) -> pd.Series:
    """Points per occupied H3 cell (index: cell as a string, sorted), for finite coordinates only.

    Cells are found as 64-bit integers and only the occupied ones turned into strings: about half the cost of
    asking for strings point by point.
    """
    find = basic_int.latlng_to_cell
    found = [find(y, x, resolution) for x, y in zip(lon.tolist(), lat.tolist(), strict=True)]
    cells, counts = np.unique(np.asarray(found, dtype=np.uint64), return_counts=True)
    index = pd.Index([h3.int_to_str(int(cell)) for cell in cells], dtype=object)
    return pd.Series(counts.astype(np.int64), index=index).sort_index()


def hexbin(lon: npt.ArrayLike, lat: npt.ArrayLike, resolution: int, min_count: int = 3) -> HexbinResult:
    """Count points per H3 cell at ``resolution``, keeping only cells with at least ``min_count`` points.

    ``boundary`` holds GeoJSON Polygon coordinates (one closed ring of [lon, lat]); ``lat``/``lon`` are the
    cell centre.
    """
    if not 0 <= resolution <= 15:
        raise ValueError("resolution must be 0..15")
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("lon and lat must be 1-D arrays of the same length")
    keep = np.isfinite(x) & np.isfinite(y)
    counts = cell_counts(x[keep], y[keep], resolution)
    shown = counts[counts >= min_count]
    hidden = counts[counts < min_count]
    centres = [h3.cell_to_latlng(cell) for cell in shown.index]
    frame = pd.DataFrame(
        {
            "cell": pd.Series(shown.index, dtype=object),
            "count": shown.to_numpy(dtype=np.int64),
            "lat": [c[0] for c in centres],
            "lon": [c[1] for c in centres],
            "boundary": [[_boundary(cell)] for cell in shown.index],
        },
        columns=list(HEX_COLUMNS),
    )
    return HexbinResult(
        cells=frame,
        resolution=resolution,
        min_count=min_count,
        suppressed_cells=int(hidden.size),
        suppressed_points=int(hidden.sum()),
        dropped_points=int((~keep).sum()),
    )
