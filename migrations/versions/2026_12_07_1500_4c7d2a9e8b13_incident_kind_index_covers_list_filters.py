"""incident kind index covers the list's filters

ix_incidents_kind_recorded (kind, recorded_at, id) also carries occurred_at and infringement_acts (INCLUDE), so the
incident list finds a page's ids by kind, date and act on the index alone (service/incidents/repository/lists.py)
instead of reading each incident it skips from the table. Rebuilt in place: same name, same key columns.

Revision ID: 4c7d2a9e8b13
Revises: e3a9c71b5d20
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4c7d2a9e8b13"
down_revision: str | None = "e3a9c71b5d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_incidents_kind_recorded"


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index(NAME, table_name="incidents")
    op.create_index(
        NAME, "incidents", ["kind", "recorded_at", "id"], postgresql_include=["occurred_at", "infringement_acts"]
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index(NAME, table_name="incidents")
    op.create_index(NAME, "incidents", ["kind", "recorded_at", "id"])
