"""takedown request numbers with Decree 30's leading zero, as their letters print them

A request sent before this revision was stored "1/2026/YCGG-QLTT" while its letter, its register entry and its
file name say "01/2026/YCGG-QLTT": the stored number becomes that string. Numbers of two or more digits are
unchanged. Downgrade strips the zero again.

Revision ID: 6b1f0c2d9e47
Revises: 9b4e1d7c2a56
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "6b1f0c2d9e47"
down_revision: str | None = "9b4e1d7c2a56"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("UPDATE takedown_requests SET number = '0' || number WHERE number ~ '^[1-9]/'")


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("UPDATE takedown_requests SET number = substr(number, 2) WHERE number ~ '^0[1-9]/'")
