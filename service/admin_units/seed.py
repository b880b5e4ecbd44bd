"""Rows of the admin-unit registry, built from the bundled boundary files (used by a data migration)."""

from __future__ import annotations

from datetime import date
from typing import Any

from maps import boundaries, crosswalk
from service.admin_units.models import Generation, Level, SuccessionKind
from service.text import ascii_title

REFORM_DAY = date(2025, 7, 1)
LAST_DAY_2024 = date(2025, 6, 30)
RESOLUTION = "Nghị quyết 1670/NQ-UBTVQH15 ngày 16/6/2025"
_COMMUNE_PREFIXES = (("Thị trấn ", "thị trấn"), ("Phường ", "phường"), ("Xã ", "xã"))


def _split_kind(full_name: str) -> tuple[str, str]:
    """('xã', 'Mường Tè') from 'Xã Mường Tè'."""
    for prefix, kind in _COMMUNE_PREFIXES:
        if full_name.startswith(prefix):
            return kind, full_name[len(prefix) :]
    raise ValueError(f"unknown commune kind in {full_name!r}")


def unit_rows() -> list[dict[str, Any]]:
    """38 units of 2025, 8 districts of 2024 and 106 communes of 2024 (districts first: parents)."""
    rows: list[dict[str, Any]] = []
    for d in boundaries.load_districts_2024().itertuples():
        rows.append(_row(d.code, Generation.G2024, Level.DISTRICT, d.kind, d.name, d.full_name, d.full_name_en))
        rows[-1].update(area_km2=float(d.area_km2), has_geometry=True)
    for u in boundaries.load_units_2025().itertuples():
        rows.append(
            _row(u.code, Generation.G2025, Level.COMMUNE, u.kind, u.name, u.full_name, ascii_title(u.full_name))
        )
        rows[-1].update(area_km2=float(u.area_km2), has_geometry=True)
    for c in crosswalk.communes_2024().itertuples():
        kind, name = _split_kind(c.name)
        rows.append(_row(c.code, Generation.G2024, Level.COMMUNE, kind, name, c.name, ascii_title(c.name)))
        rows[-1].update(parent_code=c.district_code, parent_generation=Generation.G2024.value)
    return rows


def _row(
    code: str, gen: Generation, level: Level, kind: str, name: str, full_name: str, name_en: str
) -> dict[str, Any]:
    old = gen == Generation.G2024
    return {
        "code": code,
        "generation": gen.value,
        "level": level.value,
        "kind": kind,
        "name": name,
        "full_name": full_name,
        "name_en": name_en,
        "parent_code": None,
        "parent_generation": None,
        "area_km2": None,
        "has_geometry": False,
        "valid_from": None if old else REFORM_DAY,
        "valid_to": LAST_DAY_2024 if old else None,
    }


def succession_rows() -> list[dict[str, Any]]:
    """106 commune mergers (each old commune whole into one unit) and 44 district × unit pieces."""
    rows: list[dict[str, Any]] = []
    for r in boundaries.load_crosswalk().itertuples():
        rows.append(
            {
                "from_code": r.old_commune_code,
                "from_generation": Generation.G2024.value,
                "to_code": r.new_unit_code,
                "to_generation": Generation.G2025.value,
                "kind": SuccessionKind.MERGED_INTO.value,
                "area_km2": None,
                "share_of_from": 1.0,
                "share_of_to": None,
                "legal_basis": f"{RESOLUTION}, Điều 1 khoản {r.resolution_clause}",
            }
        )
    for p in crosswalk.pieces_table().itertuples():
        rows.append(
            {
                "from_code": p.district_code,
                "from_generation": Generation.G2024.value,
                "to_code": p.unit_code,
                "to_generation": Generation.G2025.value,
                "kind": SuccessionKind.OVERLAPS.value,
                "area_km2": float(p.area_km2),
                "share_of_from": float(p.share_of_district),
                "share_of_to": float(p.share_of_unit),
                "legal_basis": RESOLUTION,
            }
        )
    return rows
