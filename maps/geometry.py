"""Light boundary layers for web maps: coverage simplification and compact GeoJSON.

Pure: frames in, frames or dicts out (STYLE rule 8). Simplification runs on the whole coverage at once
(``shapely.coverage_simplify``), so neighbours keep sharing the same edge: no gaps, no slivers. Every polygon
written follows the right-hand rule (``right_hand``): exterior rings counter-clockwise, holes clockwise.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from maps import boundaries

METRIC_CRS = "EPSG:3405"  # VN-2000 / UTM zone 48N: metres, low distortion over Lai Châu
WEB_CRS = "EPSG:4326"
DECIMALS = 5  # 1e-5 degree is about 1 m: finer than any screen pixel the maps use
REFERENCE_LATITUDE = 22.0  # the province spans 21.7-22.8 °N
GROUND_RESOLUTION_Z0 = 156543.03  # metres per pixel at zoom 0 on the equator (256 px Web Mercator tiles)
DEFAULT_ZOOM = 9  # the province fits a laptop screen at zoom 8-9
MAX_ZOOM = 22

_LOADERS: dict[str, Callable[[], gpd.GeoDataFrame]] = {
    "2025": boundaries.load_units_2025,
    "2024": boundaries.load_districts_2024,
}


def tolerance_for_zoom(zoom: float) -> float:
    """Return the simplification tolerance in metres for a web-map zoom: about half a pixel at 22 °N.

    Ground resolution is ``156543.03 * cos(22°) / 2**zoom`` m/px; a fractional zoom is rounded up (finer)
    and the result to whole metres, so nearby zooms share one cached layer:

    ====  ======  ====  ====  ====  ===  ===  ===  ==  ==  =====
    zoom  6       7     8     9     10   11   12   13  14  >= 15
    m     1134    567   283   142   71   35   18   9   4   2 .. 1
    ====  ======  ====  ====  ====  ===  ===  ===  ==  ==  =====

    ``coverage_simplify`` reads the tolerance as the square root of the triangle areas it removes; on the
    2025 units, 142 m moves edges by 134 m at the median and 237 m at most (under one pixel at zoom 9).
    """
    if not math.isfinite(zoom) or zoom < 0:
        raise ValueError("zoom must be a finite number >= 0")
    level = min(math.ceil(zoom), MAX_ZOOM)
    metres_per_pixel = GROUND_RESOLUTION_Z0 * math.cos(math.radians(REFERENCE_LATITUDE)) / 2**level
    return float(max(1, round(metres_per_pixel / 2)))


def round_coordinates(geometries: Any) -> Any:
    """Return geometries with every coordinate rounded to ``DECIMALS`` places (about 1 m)."""
    return shapely.transform(geometries, lambda coords: np.round(coords, DECIMALS))


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Return a valid polygonal geometry, repairing one that rounding made invalid."""
    if shapely.is_valid(geometry):
        return geometry
    repaired = shapely.make_valid(geometry)
    parts = [part for part in shapely.get_parts(repaired) if part.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


@functools.lru_cache(maxsize=32)  # zoom levels map to a handful of tolerances
def _simplified(generation: str, tolerance_m: float) -> gpd.GeoDataFrame:
    """Cached body of ``simplified``."""
    frame = _LOADERS[generation]()
    metric = frame.geometry.to_crs(METRIC_CRS)
    simple = shapely.coverage_simplify(metric.to_numpy(), tolerance_m, simplify_boundary=True)
    back = gpd.GeoSeries(simple, crs=METRIC_CRS, index=frame.index).to_crs(WEB_CRS)
    rounded = [right_hand(_polygonal(geometry)) for geometry in round_coordinates(back.to_numpy())]
    column = frame.geometry.name
    return gpd.GeoDataFrame(
        frame.drop(columns=column), geometry=gpd.GeoSeries(rounded, index=frame.index, name=column), crs=WEB_CRS
    )


def simplified(generation: str, tolerance_m: float) -> gpd.GeoDataFrame:
    """Return the 2025 units or 2024 districts simplified as one coverage, in EPSG:4326, rounded to ~1 m.

    Simplification is done in VN-2000 / UTM 48N metres; neighbours keep sharing their edges. Cached per
    ``(generation, tolerance_m)``; each call returns a copy.
    """
    if generation not in _LOADERS:
        raise ValueError(f"unknown generation {generation!r}: expected one of {sorted(_LOADERS)}")
    if not math.isfinite(tolerance_m) or tolerance_m < 0:
        raise ValueError("tolerance_m must be a finite number >= 0")
    return _simplified(generation, float(tolerance_m)).copy()


def json_value(value: Any) -> Any:
    """Return ``value`` as a JSON-safe Python object: numpy scalars to Python, NaN/NA to None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    return str(value)


def _coordinates(value: Any) -> Any:
    """Return nested coordinate tuples as lists with each number rounded to ``DECIMALS``."""
    if isinstance(value, (tuple, list)):
        return [_coordinates(item) for item in value]
    return round(float(value), DECIMALS)


def right_hand(geometry: Any) -> Any:
    """Polygons with counter-clockwise exterior rings and clockwise holes (RFC 7946 section 3.1.6).

    ``coverage_simplify`` reverses some rings (one unit of 2025 and part of one 2024 district), so every
    polygon is oriented again before it is written.
    """
    return shapely.orient_polygons(geometry, exterior_cw=False)


def geometry_dict(geometry: shapely.Geometry) -> dict[str, Any]:
    """Return a GeoJSON geometry dict (right-hand rings, coordinates as lists, rounded to ~1 m)."""
    geo = mapping(right_hand(geometry))
    return {"type": geo["type"], "coordinates": _coordinates(geo["coordinates"])}


def _property_rows(properties: pd.DataFrame | None, ids: pd.Series, id_column: str) -> list[dict[str, Any]]:
    """Return one properties dict per id, looked up in ``properties`` (by column or index ``id_column``)."""
    if properties is None:
        return [{} for _ in ids]
    table = properties.set_index(id_column) if id_column in properties.columns else properties
    table = table.set_axis(table.index.astype(str))
    if not table.index.is_unique:
        raise ValueError(f"properties has duplicate {id_column!r} values")
    # Column by column: a row-wise walk would upcast ints to float in mixed-type frames.
    found: dict[str, dict[str, Any]] = {code: {} for code in table.index}
    for column in table.columns:
        for code, value in table[column].items():
            found[code][str(column)] = json_value(value)
    missing = dict.fromkeys(map(str, table.columns))
    return [dict(found.get(code, missing)) for code in ids]


def feature_collection(
    frame: gpd.GeoDataFrame, properties: pd.DataFrame | None = None, *, id_column: str = "code"
) -> dict[str, Any]:
    """Return a compact GeoJSON FeatureCollection: id from ``id_column``, properties joined on it.

    Rows of ``frame`` without a properties row get None values. ``properties`` may carry ``id_column`` as a
    column or as its index.
    """
    ids = frame[id_column].astype(str)
    rows = _property_rows(properties, ids, id_column)
    geometries = frame.geometry.to_crs(WEB_CRS) if frame.crs is not None else frame.geometry
    features = [
        {"type": "Feature", "id": code, "properties": props, "geometry": geometry_dict(geometry)}
        for code, props, geometry in zip(ids, rows, geometries, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def hex_feature_collection(
    cells: Sequence[str], properties: pd.DataFrame | None = None, *, id_column: str = "cell"
) -> dict[str, Any]:
    """Return a compact GeoJSON FeatureCollection of H3 cell polygons (id = cell), properties joined on it."""
    outlines = [shapely.Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(cell)]) for cell in cells]
    frame = gpd.GeoDataFrame({id_column: list(cells)}, geometry=outlines, crs=WEB_CRS)
    return feature_collection(frame, properties, id_column=id_column)
