"""calendar: working weekend days, names in both languages, legal basis

The holiday table becomes the calendar's exceptions: `kind` is `day_off` or `working_day` (a weekend day worked in
exchange for a bridged holiday, e.g. Saturday 22 August 2026), each row carries its Vietnamese and English name
and its legal basis, and `is_day_off` is renamed `in_force` (False: an exception that was removed). Rows seeded
from the `holidays` package get both names; the package's days off and working weekend days of 2020-2030 that
are missing are added. Rows an administrator entered keep their name, which serves for both languages until
edited. The data are computed here from `holidays` at migration time, with this revision's own copy of the
legal bases, so that later edits of service/calendar/rules.py never change what this revision did.

Revision ID: 5a7d3c2e9b14
Revises: 4d78e93f93e4
Create Date: 2026-12-06 01:30:00
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import holidays
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import insert

revision: str = "5a7d3c2e9b14"
down_revision: str | None = "4d78e93f93e4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

YEARS = range(2020, 2031)
LABOUR_CODE = "Bộ luật Lao động 2019, Điều 112"
OBSERVED = "Bộ luật Lao động 2019, Điều 112; nghỉ bù: Điều 111 khoản 3"
SWAP_BASIS = {
    2024: "Công văn 2450/VPCP-KGVX năm 2024 của Văn phòng Chính phủ",
    2025: "Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động - Thương binh và Xã hội",
    2026: "Thông báo lịch nghỉ lễ Quốc khánh năm 2026 (verify)",
}
COLUMNS = ("day", "kind", "name", "name_en", "legal_basis", "in_force", "source")
calendar_table = sa.table("holidays", *(sa.column(c) for c in COLUMNS))


def _rows() -> list[dict[str, Any]]:
    vi = holidays.country_holidays("VN", years=YEARS, language="vi")
    en = holidays.country_holidays("VN", years=YEARS, language="en_US")
    workdays = sorted(d for d in vi.weekend_workdays if d.year in YEARS)
    exchanged = {w: next(d for d, n in vi.items() if w.strftime("%d/%m/%Y") in n) for w in workdays}
    swapped = set(exchanged.values())

    def basis(day: date, name: str) -> str:
        if day in swapped:
            return SWAP_BASIS.get(day.year, LABOUR_CODE)
        return OBSERVED if "nghỉ bù" in name else LABOUR_CODE

    rows = [
        {"day": d, "kind": "day_off", "name": n, "name_en": en[d], "legal_basis": basis(d, n)}
        for d, n in sorted(vi.items())
    ]
    rows += [
        {
            "day": work,
            "kind": "working_day",
            "name": f"Ngày làm việc bù cho ngày nghỉ {off:%d/%m/%Y}",
            "name_en": f"Working day in exchange for the day off on {off:%d/%m/%Y}",
            "legal_basis": SWAP_BASIS.get(work.year, LABOUR_CODE),
        }
        for work, off in exchanged.items()
    ]
    return [row | {"in_force": True, "source": "holidays-package"} for row in rows]


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.alter_column("holidays", "is_day_off", new_column_name="in_force")
    op.add_column("holidays", sa.Column("kind", sa.String(length=20), nullable=True))
    op.add_column("holidays", sa.Column("name_en", sa.String(length=200), nullable=True))
    op.add_column("holidays", sa.Column("legal_basis", sa.String(length=300), nullable=True))
    rows = _rows()
    for row in rows:  # about 160 rows: the package's rows get both names and their basis
        seeded = (calendar_table.c.day == row["day"]) & (calendar_table.c.source == "holidays-package")
        values = {k: row[k] for k in ("kind", "name", "name_en", "legal_basis")}
        op.execute(calendar_table.update().where(seeded).values(**values))
    op.execute(
        calendar_table.update()
        .where(calendar_table.c.kind.is_(None))
        .values(kind="day_off", name_en=calendar_table.c.name, legal_basis="")
    )
    op.execute(insert(calendar_table).values(rows).on_conflict_do_nothing(index_elements=["day"]))
    for column in ("kind", "name_en", "legal_basis"):
        op.alter_column("holidays", column, nullable=False)


def downgrade() -> None:
    # The earlier schema cannot say that a weekend day is worked: those rows go with the column that held them.
    op.execute(calendar_table.delete().where(calendar_table.c.kind == "working_day"))
    op.drop_column("holidays", "legal_basis")
    op.drop_column("holidays", "name_en")
    op.drop_column("holidays", "kind")
    op.alter_column("holidays", "in_force", new_column_name="is_day_off")
