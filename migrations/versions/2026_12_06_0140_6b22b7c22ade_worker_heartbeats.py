"""worker heartbeats: each `ipcoord worker` process records when it was last seen, for /health

Revision ID: 6b22b7c22ade
Revises: 5a7d3c2e9b14
Create Date: 2026-12-06 01:23:14.501769
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6b22b7c22ade"
down_revision: str | None = "5a7d3c2e9b14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "worker_heartbeats",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queue_depth", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker_heartbeats")),
        sa.UniqueConstraint("name", name=op.f("uq_worker_heartbeats_name")),
    )
    op.create_index(op.f("ix_worker_heartbeats_last_seen_at"), "worker_heartbeats", ["last_seen_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_worker_heartbeats_last_seen_at"), table_name="worker_heartbeats")
    op.drop_table("worker_heartbeats")
