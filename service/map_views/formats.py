"""The map figures as GeoJSON (boundaries simplified for the zoom) and as CSV tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import msgspec
import pandas as pd

from maps import geometry
from maps.boundaries import attribution
from schemas.base import Schema
from schemas.maps import ChoroplethOut, HexbinsOut, HotspotsOut

GEOJSON = "application/geo+json"
CSV = "text/csv; charset=utf-8"
DATA_ZOOM = 11  # boundaries for integrators: about 20 m tolerance, still a fraction of the full file


def csv_table(rows: Sequence[Schema], row_type: type[Schema]) -> str:
    """Rows of one struct type as CSV, a header line of its field names first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    names = [f.name for f in msgspec.structs.fields(row_type)]
    writer.writerow(names)
    for row in rows:
        writer.writerow([getattr(row, name) for name in names])
    return buffer.getvalue()


def _metadata(out: Schema, *drop: str) -> dict[str, Any]:
    """Everything but the per-area rows, as plain JSON values."""
    data: dict[str, Any] = msgspec.to_builtins(out)
    return {k: v for k, v in data.items() if k not in drop}


def _properties(rows: list[dict[str, Any]], key: str) -> pd.DataFrame | None:
    return pd.DataFrame(rows).set_index(key) if rows else None


def _collection(
    frame: gpd.GeoDataFrame | list[str], rows: list[dict[str, Any]], key: str, meta: dict[str, Any]
) -> dict[str, Any]:
    """Unit polygons (a frame) or H3 cells (a list of ids) with the rows as properties, plus metadata."""
    if isinstance(frame, list):
        collection = geometry.hex_feature_collection(frame, _properties(rows, key), id_column="cell")
    else:
        collection = geometry.feature_collection(frame, _properties(rows, key), id_column="code")
    vi, en = attribution()
    collection["ipcoord"] = meta
    collection["attribution"] = {"vi": vi, "en": en}
    return collection


def choropleth_geojson(out: ChoroplethOut, zoom: float = DATA_ZOOM) -> dict[str, Any]:
    """One feature per unit of the generation, its figures as properties."""
    frame = geometry.simplified(out.generation, geometry.tolerance_for_zoom(zoom))
    rows = [msgspec.to_builtins(unit) for unit in out.units]
    return _collection(frame, rows, "code", _metadata(out, "units"))


def hotspots_geojson(out: HotspotsOut, zoom: float = DATA_ZOOM) -> dict[str, Any]:
    """Units: one feature per unit; hexagons: one feature per significant cell."""
    if out.areas == "units_2025":
        frame = geometry.simplified("2025", geometry.tolerance_for_zoom(zoom))
        rows = [msgspec.to_builtins(unit) for unit in out.units]
        return _collection(frame, rows, "code", _metadata(out, "units", "cells"))
    rows = [msgspec.to_builtins(cell) for cell in out.cells]
    return _collection([cell.cell for cell in out.cells], rows, "cell", _metadata(out, "units", "cells"))


def hexbins_geojson(out: HexbinsOut) -> dict[str, Any]:
    """One feature per shown cell."""
    rows = [msgspec.to_builtins(cell) for cell in out.cells]
    return _collection([cell.cell for cell in out.cells], rows, "cell", _metadata(out, "cells"))
