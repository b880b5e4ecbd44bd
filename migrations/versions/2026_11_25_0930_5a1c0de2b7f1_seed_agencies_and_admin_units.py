"""seed agencies and admin units

Reference data: the agencies of DOMAIN.md §2 and the admin-unit registry of both generations
(8 districts + 106 communes of 2024, 38 units of 2025, 106 mergers, 44 district × unit pieces).

Revision ID: 5a1c0de2b7f1
Revises: 0f6d167f3972
Create Date: 2026-11-25 09:30:00
"""

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

# This revision's own copy of the rows it seeded (service/auth/seed.py and service/admin_units/seed.py as they were
# then); tests/test_migrations.py checks they still agree with the live seeds.
SEED = Path(__file__).parent.parent / "data" / "5a1c0de2b7f1_agencies_and_admin_units.json"
_DATES = ("valid_from", "valid_to")


def _rows(name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(SEED.read_text(encoding="utf-8"))[name]
    return [row | {k: date.fromisoformat(row[k]) for k in _DATES if row.get(k)} for row in rows]


def unit_rows() -> list[dict[str, Any]]:
    return _rows("admin_units")


def succession_rows() -> list[dict[str, Any]]:
    return _rows("successions")


def agency_rows() -> list[dict[str, Any]]:
    return _rows("agencies")


revision: str = "5a1c0de2b7f1"
down_revision: str | None = "0f6d167f3972"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

admin_units = sa.table(
    "admin_units",
    *(
        sa.column(c)
        for c in (
            "code",
            "generation",
            "level",
            "kind",
            "name",
            "full_name",
            "name_en",
            "parent_code",
            "parent_generation",
            "area_km2",
            "has_geometry",
            "valid_from",
            "valid_to",
        )
    ),
)
successions = sa.table(
    "admin_unit_successions",
    *(
        sa.column(c)
        for c in (
            "from_code",
            "from_generation",
            "to_code",
            "to_generation",
            "kind",
            "area_km2",
            "share_of_from",
            "share_of_to",
            "legal_basis",
        )
    ),
)
agencies = sa.table(
    "agencies",
    *(
        sa.column(c)
        for c in (
            "id",
            "code",
            "name_vi",
            "name_en",
            "role_vi",
            "role_en",
            "parent_id",
            "valid_from",
            "valid_to",
            "created_at",
            "updated_at",
        )
    ),
)


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.bulk_insert(admin_units, unit_rows())
    op.bulk_insert(successions, succession_rows())
    now = datetime.now(UTC)
    ids = {row["code"]: uuid.uuid4() for row in agency_rows()}
    op.bulk_insert(
        agencies,
        [
            {
                **{k: v for k, v in row.items() if k != "parent_code"},
                "id": ids[row["code"]],
                "parent_id": ids[row["parent_code"]] if row["parent_code"] else None,
                "valid_to": None,
                "created_at": now,
                "updated_at": now,
            }
            for row in agency_rows()
        ],
    )


def downgrade() -> None:
    codes = [row["code"] for row in agency_rows()]
    op.execute(agencies.update().where(agencies.c.code.in_(codes)).values(parent_id=None))
    op.execute(agencies.delete().where(agencies.c.code.in_(codes)))
    op.execute(successions.delete())
    op.execute(admin_units.delete().where(admin_units.c.parent_code.is_not(None)))
    op.execute(admin_units.delete())
