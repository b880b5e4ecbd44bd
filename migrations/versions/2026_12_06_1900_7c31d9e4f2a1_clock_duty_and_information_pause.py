"""clock duty and information pause: whose duty each deadline rule is, the pause while a sender adds information

Each deadline rule says whose duty it is (`sender`: the criminal referral's "transfer immediately", met by
sending; `receiver`: the receiving agency's clocks; `agency`: the recording agency's incident clocks). A referral
remembers since when the receiver waits for the sender's information and how many days such waits added to its
decision clock; the pause itself is a rule (`information_pause`) with its basis, valid from the day it was added.
Referrals whose stored decision rule was the sender's immediate duty get the receiver's rule (police decision,
20 days from acknowledgement, moved past days off as BLDS 2015 Điều 148 khoản 5 says).

Revision ID: 7c31d9e4f2a1
Revises: 9c4e1a7b2d55
Create Date: 2026-12-06 19:00:00.000000
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "7c31d9e4f2a1"
down_revision: str | None = "9c4e1a7b2d55"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# This migration's own copy of the data (migrations never import live seed modules).
PAUSE_RULE = {
    "code": "information_pause",
    "applies_to": "*",
    "starts": "information_requested",
    "amount": 0,
    "unit": "pause",
    "is_sla": True,
    "duty": "receiver",
    "legal_basis": (
        "Quy định của tỉnh (SLA, verify): thời gian chờ bên chuyển bổ sung thông tin không tính vào thời hạn "
        "giải quyết của bên nhận; tương tự BLTTHS 2015 Điều 147 khoản 3, Điều 148"
    ),
    "valid_from": date(2026, 12, 6),
    "valid_to": None,
}
POLICE_DAYS = 20
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def _police_due(acknowledged_at: datetime, days_off: set[date], working: set[date]) -> date:
    day = acknowledged_at.astimezone(LOCAL).date() + timedelta(days=POLICE_DAYS)
    while day in days_off or (day.weekday() >= 5 and day not in working):
        day += timedelta(days=1)
    return day


def _move_sender_rule() -> None:
    conn = op.get_bind()
    holidays = conn.execute(sa.text("SELECT day, kind FROM holidays WHERE in_force")).all()
    days_off = {day for day, kind in holidays if kind == "day_off"}
    working = {day for day, kind in holidays if kind == "working_day"}
    rows = conn.execute(sa.text("SELECT id, acknowledged_at FROM referrals WHERE due_rule = 'criminal_referral'")).all()
    for referral_id, acknowledged_at in rows:
        due = _police_due(acknowledged_at, days_off, working) if acknowledged_at else None
        conn.execute(
            sa.text("UPDATE referrals SET due_rule = 'police_decision', due_on = :due WHERE id = :id"),
            {"due": due, "id": referral_id},
        )


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column("deadline_rules", sa.Column("duty", sa.String(length=20), server_default="receiver", nullable=False))
    op.execute("UPDATE deadline_rules SET duty = 'sender' WHERE code = 'criminal_referral'")
    op.execute("UPDATE deadline_rules SET duty = 'agency' WHERE applies_to IN ('incident', 'customs_suspension')")
    op.add_column("referrals", sa.Column("information_requested_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("referrals", sa.Column("paused_days", sa.Integer(), server_default="0", nullable=False))
    rules = sa.table(
        "deadline_rules",
        *(sa.column(name) for name in PAUSE_RULE),
    )
    op.bulk_insert(rules, [PAUSE_RULE])
    _move_sender_rule()


def downgrade() -> None:
    op.execute("DELETE FROM deadline_rules WHERE code = 'information_pause'")
    op.drop_column("referrals", "paused_days")
    op.drop_column("referrals", "information_requested_at")
    op.drop_column("deadline_rules", "duty")
