"""Lookups between the pre-2025 communes and districts and the 2025 units (no geometry)."""

from __future__ import annotations

import functools

import pandas as pd

from maps.boundaries import load_crosswalk, load_pieces

_PIECE_COLUMNS = ["unit_code", "district_code", "area_km2", "share_of_unit", "share_of_district"]


@functools.cache
def _commune_lookup() -> dict[str, tuple[str, str]]:
    """Map old commune code -> (new unit code, old district code)."""
    table = load_crosswalk()
    return {
        str(row.old_commune_code): (str(row.new_unit_code), str(row.old_district_code))
        for row in table.itertuples(index=False)
    }


def _lookup(old_commune_code: str) -> tuple[str, str]:
    """Return (new unit code, old district code) for an old commune code or raise KeyError."""
    try:
        return _commune_lookup()[old_commune_code]
    except KeyError:
        raise KeyError(old_commune_code) from None


def successors_2025(old_commune_code: str) -> str:
    """Return the code of the 2025 unit that the pre-2025 commune was merged into."""
    return _lookup(old_commune_code)[0]


def district_of_commune_2024(old_commune_code: str) -> str:
    """Return the code of the pre-2025 district that the pre-2025 commune belonged to."""
    return _lookup(old_commune_code)[1]


def communes_2024() -> pd.DataFrame:
    """Return the 106 pre-2025 communes: code, name, district_code, district_name, new_unit_code."""
    table = load_crosswalk()
    renamed = table.rename(
        columns={
            "old_commune_code": "code",
            "old_commune_name": "name",
            "old_district_code": "district_code",
            "old_district_name": "district_name",
        }
    )
    return renamed[["code", "name", "district_code", "district_name", "new_unit_code"]].reset_index(drop=True)


def pieces_table() -> pd.DataFrame:
    """Return the 44 (2025 unit x 2024 district) pieces with their areas and shares, no geometry."""
    pieces = load_pieces()
    return pd.DataFrame(pieces[_PIECE_COLUMNS]).reset_index(drop=True)
