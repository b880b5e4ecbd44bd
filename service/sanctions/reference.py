"""Versioned fine ceilings of DOMAIN.md §5 (seeded by migration 7c3d5e9a1b20 from its own copy; amend as data).

Items marked (verify) in DOMAIN.md must be confirmed by the province's legal staff; they are kept
here with that note in `legal_basis` so every figure shown can be traced.
"""

from __future__ import annotations

from datetime import date
from typing import Any

# Which fine ceiling applies to an infringement act.
SECTOR_OF_ACT: dict[str, str] = {
    "SAO_CHEP_LAU": "copyright",
    "XAM_PHAM_QTG_KHAC": "copyright",
    "XAM_PHAM_GIONG": "plant_variety",
}
DEFAULT_SECTOR = "industrial_property"

_ND99 = "Nghị định 99/2013/NĐ-CP (sửa đổi bởi 126/2021/NĐ-CP, 46/2024/NĐ-CP), Điều 3"
_ND131 = "Nghị định 131/2013/NĐ-CP (sửa đổi bởi 28/2017/NĐ-CP), Điều 3 (verify)"
_ND341 = "Nghị định 341/2025/NĐ-CP, hiệu lực 15/02/2026"
_ND31 = "Nghị định 31/2023/NĐ-CP, Điều 4 (verify)"

# (sector, violator type, maximum fine, legal basis, valid from, valid to). Household businesses are
# fined as individuals; organisations twice as much (DOMAIN.md §5).
FINE_CEILINGS: list[tuple[str, str, int, str, date, date | None]] = [
    ("industrial_property", "individual", 250_000_000, _ND99, date(2013, 10, 15), None),
    ("industrial_property", "household_business", 250_000_000, _ND99, date(2013, 10, 15), None),
    ("industrial_property", "organisation", 500_000_000, _ND99, date(2013, 10, 15), None),
    ("copyright", "individual", 250_000_000, _ND131, date(2013, 11, 25), date(2026, 2, 14)),
    ("copyright", "household_business", 250_000_000, _ND131, date(2013, 11, 25), date(2026, 2, 14)),
    ("copyright", "organisation", 500_000_000, _ND131, date(2013, 11, 25), date(2026, 2, 14)),
    ("copyright", "individual", 250_000_000, _ND341, date(2026, 2, 15), None),
    ("copyright", "household_business", 250_000_000, _ND341, date(2026, 2, 15), None),
    ("copyright", "organisation", 500_000_000, _ND341, date(2026, 2, 15), None),
    ("plant_variety", "individual", 50_000_000, _ND31, date(2023, 6, 5), None),
    ("plant_variety", "household_business", 50_000_000, _ND31, date(2023, 6, 5), None),
    ("plant_variety", "organisation", 100_000_000, _ND31, date(2023, 6, 5), None),
]


def fine_ceiling_rows() -> list[dict[str, Any]]:
    """Fine ceilings as rows for the seed migration."""
    keys = ("sector", "violator_type", "max_fine_vnd", "legal_basis", "valid_from", "valid_to")
    return [dict(zip(keys, row, strict=True)) for row in FINE_CEILINGS]
