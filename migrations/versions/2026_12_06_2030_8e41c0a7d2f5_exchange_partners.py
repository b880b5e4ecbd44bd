"""exchange partners: other nodes and the signing keys pinned when they were added (docs/exchange.md)

Revision ID: 8e41c0a7d2f5
Revises: 9bd5f52bc60f
Create Date: 2026-12-06 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "8e41c0a7d2f5"
down_revision: str | None = "9bd5f52bc60f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "exchange_partners",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("node_id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("descriptor_url", sa.String(length=500), nullable=False),
        sa.Column("inbox_url", sa.String(length=500), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("public_jwk", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("pinned_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_partners")),
        sa.UniqueConstraint("node_id", name=op.f("uq_exchange_partners_node_id")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_exchange_partners_fingerprint")),
    )


def downgrade() -> None:
    op.drop_table("exchange_partners")
