"""seed holidays and deadline rules

Vietnam's public holidays 2020-2030 (from the `holidays` package; admins amend them as data) and the
deadline rules of DOMAIN.md §6 (its own copy in migrations/data/).

Revision ID: 9b2e4f6a8c31
Revises: 76772ece5fd9
Create Date: 2026-11-25 11:10:00
"""

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import holidays
import sqlalchemy as sa
from alembic import op

# This revision's own copy of the deadline rules it seeded (service/calendar/rules.py as it was then);
# tests/test_migrations.py checks they still agree with the live rules.
SEED = Path(__file__).parent.parent / "data" / "9b2e4f6a8c31_deadline_rules.json"


def rule_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(SEED.read_text(encoding="utf-8"))["deadline_rules"]
    return [row | {"valid_from": date.fromisoformat(row["valid_from"])} for row in rows]


revision: str = "9b2e4f6a8c31"
down_revision: str | None = "76772ece5fd9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

holidays_table = sa.table("holidays", *(sa.column(c) for c in ("day", "name", "is_day_off", "source")))
rules_table = sa.table(
    "deadline_rules",
    *(
        sa.column(c)
        for c in ("code", "applies_to", "starts", "amount", "unit", "is_sla", "legal_basis", "valid_from", "valid_to")
    ),
)


def _holiday_rows() -> list[dict[str, object]]:
    # This revision's own copy of the seed as it was first written (5a7d3c2e9b14 adds names in both languages).
    days = holidays.country_holidays("VN", years=range(2020, 2031))
    return [{"day": d, "name": n, "is_day_off": True, "source": "holidays-package"} for d, n in sorted(days.items())]


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.bulk_insert(holidays_table, _holiday_rows())
    op.bulk_insert(rules_table, rule_rows())


def downgrade() -> None:
    op.execute(rules_table.delete())
    op.execute(holidays_table.delete().where(holidays_table.c.source == "holidays-package"))
