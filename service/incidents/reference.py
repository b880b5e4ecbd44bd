"""Versioned Penal Code thresholds of DOMAIN.md §5 (seeded by migration 7c3d5e9a1b20 from its own copy; amend as data).

Items marked (verify) in DOMAIN.md must be confirmed by the province's legal staff; they are kept
here with that note in `legal_basis` so every figure shown can be traced.
"""

from __future__ import annotations

from datetime import date
from typing import Any

_MARK_ACTS = ["HANG_GIA_MAO_NHAN_HIEU", "HANG_GIA_MAO_CDDL", "XAM_PHAM_NHAN_HIEU", "SU_DUNG_CDDL_SAI"]
_COPY_ACTS = ["SAO_CHEP_LAU", "XAM_PHAM_QTG_KHAC"]
_BLHS = "Bộ luật Hình sự 2015 (sửa đổi 2017)"
_IN_FORCE = date(2018, 1, 1)

# (article, acts, measure, threshold, legal basis, valid from, valid to).
CRIME_THRESHOLDS: list[tuple[str, list[str], str, int, str, date, date | None]] = [
    ("BLHS Điều 226", _MARK_ACTS, "illegal_profit", 100_000_000, f"{_BLHS}, Điều 226 khoản 1", _IN_FORCE, None),
    ("BLHS Điều 226", _MARK_ACTS, "damage", 200_000_000, f"{_BLHS}, Điều 226 khoản 1", _IN_FORCE, None),
    ("BLHS Điều 226", _MARK_ACTS, "goods_value", 200_000_000, f"{_BLHS}, Điều 226 khoản 1", _IN_FORCE, None),
    ("BLHS Điều 225", _COPY_ACTS, "illegal_profit", 50_000_000, f"{_BLHS}, Điều 225 khoản 1", _IN_FORCE, None),
    ("BLHS Điều 225", _COPY_ACTS, "damage", 100_000_000, f"{_BLHS}, Điều 225 khoản 1", _IN_FORCE, None),
    ("BLHS Điều 225", _COPY_ACTS, "goods_value", 100_000_000, f"{_BLHS}, Điều 225 khoản 1", _IN_FORCE, None),
    ("BLHS Điều 192", ["HANG_GIA_CHAT_LUONG"], "goods_value", 30_000_000,
     f"{_BLHS}, Điều 192 khoản 1", _IN_FORCE, date(2025, 6, 30)),
    ("BLHS Điều 192", ["HANG_GIA_CHAT_LUONG"], "goods_value", 20_000_000,
     f"{_BLHS}, Điều 192 khoản 1, sửa đổi từ 01/7/2025 (verify)", date(2025, 7, 1), None),
]  # fmt: skip


def crime_threshold_rows() -> list[dict[str, Any]]:
    """Crime thresholds as rows for the seed migration."""
    keys = ("article", "acts", "measure", "threshold_vnd", "legal_basis", "valid_from", "valid_to")
    return [dict(zip(keys, row, strict=True)) for row in CRIME_THRESHOLDS]
