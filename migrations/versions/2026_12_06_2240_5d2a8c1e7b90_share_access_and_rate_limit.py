"""share access log and per-partner rate limit: every partner call recorded (issue 18)

Revision ID: 5d2a8c1e7b90
Revises: a7c3e5f1d9b2
Create Date: 2026-12-06 21:40:00.000000
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5d2a8c1e7b90"
down_revision: str | None = "a7c3e5f1d9b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column("share_partners", sa.Column("rate_limit", sa.Integer(), nullable=True))
    op.create_table(
        "share_access",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("partner_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("dataset", sa.String(length=60), nullable=True),
        sa.Column("query", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=True),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["share_partners.id"], name=op.f("fk_share_access_partner_id_share_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_access")),
    )
    op.create_index("ix_share_access_partner_at", "share_access", ["partner_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_share_access_partner_at", table_name="share_access")
    op.drop_table("share_access")
    op.drop_column("share_partners", "rate_limit")
