"""map results cache and the data version it is keyed on (service/map_views/models.py, docs/maps.md)

Every statement writing incidents, sanction decisions or agencies inserts a row into map_data_changes in its own
transaction (a statement trigger, so no code path can forget it); the data version is the sum of their weights.

Revision ID: 72348df1416e
Revises: 15891b23a86a
Create Date: 2026-12-06 21:48:23.829316
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "72348df1416e"
down_revision: str | None = "15891b23a86a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the maps count: incidents (place, kind, period, status, case), their fines, the agency codes.
TABLES = ("incidents", "sanction_decisions", "agencies")
BUMP = """
CREATE FUNCTION map_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO map_data_changes (weight) VALUES (1);
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "map_data_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("weight", sa.BigInteger(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_map_data_changes")),
    )
    op.create_table(
        "map_results",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("data_version", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_map_results")),
    )
    op.create_index(op.f("ix_map_results_expires_at"), "map_results", ["expires_at"], unique=False)
    op.execute(BUMP)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_map_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION map_data_changed()"
        )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_map_data_version ON {table}")
    op.execute("DROP FUNCTION map_data_changed()")
    op.drop_index(op.f("ix_map_results_expires_at"), table_name="map_results")
    op.drop_table("map_results")
    op.drop_table("map_data_changes")
