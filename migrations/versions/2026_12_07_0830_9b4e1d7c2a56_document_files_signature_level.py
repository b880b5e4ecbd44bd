"""document files: the PAdES level each signed file reached and why a timestamp is missing (issue 20)

Revision ID: 9b4e1d7c2a56
Revises: 2e26f10408bc
Create Date: 2026-12-07 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9b4e1d7c2a56"
down_revision: str | None = "2e26f10408bc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column("document_files", sa.Column("signature_level", sa.String(length=8), nullable=True))
    op.add_column("document_files", sa.Column("timestamp_problem", sa.String(length=40), nullable=True))
    # Every file signed before this revision was PAdES B-B (no timestamp authority was asked).
    op.execute("UPDATE document_files SET signature_level = 'B-B' WHERE signed")


def downgrade() -> None:
    op.drop_column("document_files", "timestamp_problem")
    op.drop_column("document_files", "signature_level")
