"""seed fine ceilings and crime thresholds

Versioned legal reference data of DOMAIN.md §5, as it was seeded: this migration keeps its own copy, so a later
change to service/sanctions/reference.py or service/incidents/reference.py needs a migration of its own.

Revision ID: 7c3d5e9a1b20
Revises: f32e11b9d13a
Create Date: 2026-11-25 10:10:00
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7c3d5e9a1b20"
down_revision: str | None = "f32e11b9d13a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

fine_ceilings = sa.table(
    "fine_ceilings",
    *(sa.column(c) for c in ("sector", "violator_type", "max_fine_vnd", "legal_basis", "valid_from", "valid_to")),
)
crime_thresholds = sa.table(
    "crime_thresholds",
    sa.column("article"),
    sa.column("acts", postgresql.ARRAY(sa.String(40))),
    *(sa.column(c) for c in ("measure", "threshold_vnd", "legal_basis", "valid_from", "valid_to")),
)


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


def fine_ceiling_rows() -> list[dict[str, Any]]:
    """The fine ceilings seeded here, as rows."""
    keys = ("sector", "violator_type", "max_fine_vnd", "legal_basis", "valid_from", "valid_to")
    return [dict(zip(keys, row, strict=True)) for row in FINE_CEILINGS]


def crime_threshold_rows() -> list[dict[str, Any]]:
    """The crime thresholds seeded here, as rows."""
    keys = ("article", "acts", "measure", "threshold_vnd", "legal_basis", "valid_from", "valid_to")
    return [dict(zip(keys, row, strict=True)) for row in CRIME_THRESHOLDS]


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.bulk_insert(fine_ceilings, fine_ceiling_rows())
    op.bulk_insert(crime_thresholds, crime_threshold_rows())


def downgrade() -> None:
    op.execute(crime_thresholds.delete())
    op.execute(fine_ceilings.delete())
