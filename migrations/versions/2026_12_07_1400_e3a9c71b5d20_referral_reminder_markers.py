"""referral reminder markers

The due day of each clock already reminded of (reminded_ack_for, reminded_due_for), as escalated_ack_for and
escalated_due_for are for escalations: the 15-minute reminder sweep skips them in SQL. Empty at first: the first
sweep after the upgrade finds the reminders already queued by their outbox keys, queues nothing, and marks them.

Revision ID: e3a9c71b5d20
Revises: 6b1f0c2d9e47
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3a9c71b5d20"
down_revision: str | None = "6b1f0c2d9e47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column("referrals", sa.Column("reminded_ack_for", sa.Date(), nullable=True))
    op.add_column("referrals", sa.Column("reminded_due_for", sa.Date(), nullable=True))


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_column("referrals", "reminded_due_for")
    op.drop_column("referrals", "reminded_ack_for")
