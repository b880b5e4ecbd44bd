"""Loaders for the bundled Lai Châu boundary files in ``maps/data/``.

Every loader reads its file once (``functools.cache``) and hands out a copy, so callers may
modify what they get without affecting later calls. Code columns are always strings: GSO codes
have leading zeros (``"03388"``) that must be kept.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd

DATA_DIR: Path = Path(__file__).resolve().parent / "data"

UNITS_2025_FILE = "lai_chau_units_2025.geojson"
DISTRICTS_2024_FILE = "lai_chau_districts_2024.geojson"
PIECES_FILE = "lai_chau_units_2025_x_districts_2024.geojson"
PROVINCE_FILE = "lai_chau_province.geojson"
CROSSWALK_FILE = "lai_chau_old_to_new_2025.csv"
ATTRIBUTION_FILE = "ATTRIBUTION.md"

ATTRIBUTION_HEADING_VI = "Tiếng Việt"
ATTRIBUTION_HEADING_EN = "English"


def _read_layer(file_name: str, code_columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Read one GeoJSON file, force code columns to str and sort rows by them."""
    frame = gpd.read_file(DATA_DIR / file_name)
    for column in code_columns:
        frame[column] = frame[column].astype(str)
    return frame.sort_values(list(code_columns), ignore_index=True)


@functools.cache
def _units_2025() -> gpd.GeoDataFrame:
    """Cached 2025 units."""
    return _read_layer(UNITS_2025_FILE, ("code",))


@functools.cache
def _districts_2024() -> gpd.GeoDataFrame:
    """Cached pre-2025 districts."""
    return _read_layer(DISTRICTS_2024_FILE, ("code",))


@functools.cache
def _pieces() -> gpd.GeoDataFrame:
    """Cached unit x district pieces."""
    return _read_layer(PIECES_FILE, ("unit_code", "district_code"))


@functools.cache
def _province() -> gpd.GeoDataFrame:
    """Cached province outline."""
    return _read_layer(PROVINCE_FILE, ("code",))


@functools.cache
def _crosswalk() -> pd.DataFrame:
    """Cached old-commune to 2025-unit table."""
    frame = pd.read_csv(DATA_DIR / CROSSWALK_FILE, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.sort_values("old_commune_code", ignore_index=True)


def load_units_2025() -> gpd.GeoDataFrame:
    """Return the 38 commune-level units valid from 2025-07-01 (EPSG:4326, sorted by code)."""
    return _units_2025().copy()


def load_districts_2024() -> gpd.GeoDataFrame:
    """Return the 8 former districts valid until 2025-06-30 (EPSG:4326, sorted by code)."""
    return _districts_2024().copy()


def load_pieces() -> gpd.GeoDataFrame:
    """Return the 44 pieces of (2025 unit x 2024 district), sorted by unit then district code."""
    return _pieces().copy()


def load_province() -> gpd.GeoDataFrame:
    """Return the province outline as a one-row GeoDataFrame (code "12")."""
    return _province().copy()


def load_crosswalk() -> pd.DataFrame:
    """Return the 106-row old commune -> 2025 unit table, all columns str, sorted by old code."""
    return _crosswalk().copy()


def _markdown_section(text: str, heading: str) -> str:
    """Return the body of the ``## heading`` section of a Markdown text as one paragraph."""
    pattern = rf"^## {re.escape(heading)}[ \t]*\n(.*?)(?=^## |\Z)"
    match = re.search(pattern, text, flags=re.MULTILINE | re.DOTALL)
    if match is None:
        raise ValueError(f"section '## {heading}' not found in {ATTRIBUTION_FILE}")
    body = " ".join(match.group(1).split())
    if not body:
        raise ValueError(f"section '## {heading}' of {ATTRIBUTION_FILE} is empty")
    return body


@functools.cache
def attribution() -> tuple[str, str]:
    """Return the (Vietnamese, English) attribution paragraphs for the bundled data."""
    text = (DATA_DIR / ATTRIBUTION_FILE).read_text(encoding="utf-8")
    return _markdown_section(text, ATTRIBUTION_HEADING_VI), _markdown_section(text, ATTRIBUTION_HEADING_EN)
