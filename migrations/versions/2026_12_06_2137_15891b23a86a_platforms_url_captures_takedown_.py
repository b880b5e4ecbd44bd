"""platforms, url captures, takedown requests and events; the takedown deadline rules (docs/takedowns.md)

The two rules are data with their legal basis (Nghị định 17/2023/NĐ-CP, Điều 113, as practitioners summarise
it: to be verified by the province's legal staff, then versioned from /admin/calendar like every rule).

Revision ID: 15891b23a86a
Revises: 5d2c8e7a41b9
Create Date: 2026-12-06 21:37:30.448047
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "15891b23a86a"
down_revision: str | None = "5d2c8e7a41b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_SINCE = date(2023, 7, 1)  # Nghị định 17/2023/NĐ-CP in force (issued 26 April 2023)
_ART_113 = "Nghị định 17/2023/NĐ-CP, Điều 113 (theo tóm tắt; pháp chế cần xác minh)"
# A copy of service/calendar/rules.py TAKEDOWN_RULES as of this revision (tests/test_migrations.py compares).
TAKEDOWN_RULES = [
    ("takedown_action", "takedown", "sent", 24, "hours", False, "receiver", _ART_113),
    ("takedown_report", "takedown", "sent", 72, "hours", True, "receiver", f"Quy định của tỉnh (SLA báo cáo); {_ART_113}"),
]  # fmt: skip


OPEN_SQL = "status IN ('sent', 'acknowledged', 'partly_done', 'overdue')"


def takedown_rule_rows() -> list[dict[str, Any]]:
    """The takedown rules as deadline_rules rows."""
    keys = ("code", "applies_to", "starts", "amount", "unit", "is_sla", "duty", "legal_basis")
    return [dict(zip(keys, row, strict=True)) | {"valid_from": _SINCE, "valid_to": None} for row in TAKEDOWN_RULES]


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "platforms",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("registration_number", sa.String(length=60), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("changed_by_id", sa.Uuid(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], name=op.f("fk_platforms_changed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platforms")),
    )
    op.create_index(op.f("ix_platforms_name"), "platforms", ["name"], unique=False)
    op.create_table(
        "takedown_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("urls", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("seller_account", sa.String(length=200), nullable=False),
        sa.Column("seller_key", sa.String(length=200), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("measures", postgresql.ARRAY(sa.String(length=30)), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("drafted_by_id", sa.Uuid(), nullable=False),
        sa.Column("sent_by_id", sa.Uuid(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("action_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("action_rule", sa.String(length=60), nullable=True),
        sa.Column("report_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_rule", sa.String(length=60), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_takedown_requests_agency_id_agencies")),
        sa.ForeignKeyConstraint(["drafted_by_id"], ["users.id"], name=op.f("fk_takedown_requests_drafted_by_id_users")),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_takedown_requests_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platforms.id"], name=op.f("fk_takedown_requests_platform_id_platforms")
        ),
        sa.ForeignKeyConstraint(["sent_by_id"], ["users.id"], name=op.f("fk_takedown_requests_sent_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_requests")),
        sa.UniqueConstraint("agency_id", "number", name=op.f("uq_takedown_requests_agency_id")),
    )
    op.create_index(op.f("ix_takedown_requests_agency_id"), "takedown_requests", ["agency_id"], unique=False)
    op.create_index(op.f("ix_takedown_requests_incident_id"), "takedown_requests", ["incident_id"], unique=False)
    op.create_index(
        "ix_takedown_requests_open_action_due",
        "takedown_requests",
        ["action_due_at"],
        unique=False,
        postgresql_where=sa.text(OPEN_SQL),
    )
    op.create_index(
        "ix_takedown_requests_open_platform",
        "takedown_requests",
        ["platform_id", "status"],
        unique=False,
        postgresql_where=sa.text(OPEN_SQL),
    )
    op.create_index(op.f("ix_takedown_requests_platform_id"), "takedown_requests", ["platform_id"], unique=False)
    op.create_index(op.f("ix_takedown_requests_seller_key"), "takedown_requests", ["seller_key"], unique=False)
    op.create_table(
        "takedown_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("attachment_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_takedown_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["request_id"], ["takedown_requests.id"], name=op.f("fk_takedown_events_request_id_takedown_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_events")),
    )
    op.create_index(op.f("ix_takedown_events_request_id"), "takedown_events", ["request_id"], unique=False)
    op.create_table(
        "url_captures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("host", sa.String(length=253), nullable=False),
        sa.Column("seller_account", sa.String(length=200), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("captured_by_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["incident_attachments.id"],
            name=op.f("fk_url_captures_attachment_id_incident_attachments"),
        ),
        sa.ForeignKeyConstraint(["captured_by_id"], ["users.id"], name=op.f("fk_url_captures_captured_by_id_users")),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_url_captures_incident_id_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_url_captures")),
    )
    op.create_index(op.f("ix_url_captures_incident_id"), "url_captures", ["incident_id"], unique=False)
    rules = sa.table(
        "deadline_rules",
        *(sa.column(name) for name in ("code", "applies_to", "starts", "amount", "unit", "is_sla", "duty")),
        *(sa.column(name) for name in ("legal_basis", "valid_from", "valid_to")),
    )
    op.bulk_insert(rules, takedown_rule_rows())


def downgrade() -> None:
    op.execute("DELETE FROM deadline_rules WHERE applies_to = 'takedown'")
    op.drop_index(op.f("ix_url_captures_incident_id"), table_name="url_captures")
    op.drop_table("url_captures")
    op.drop_index(op.f("ix_takedown_events_request_id"), table_name="takedown_events")
    op.drop_table("takedown_events")
    op.drop_index(op.f("ix_takedown_requests_seller_key"), table_name="takedown_requests")
    op.drop_index(op.f("ix_takedown_requests_platform_id"), table_name="takedown_requests")
    op.drop_index(
        "ix_takedown_requests_open_platform", table_name="takedown_requests", postgresql_where=sa.text(OPEN_SQL)
    )
    op.drop_index(
        "ix_takedown_requests_open_action_due", table_name="takedown_requests", postgresql_where=sa.text(OPEN_SQL)
    )
    op.drop_index(op.f("ix_takedown_requests_incident_id"), table_name="takedown_requests")
    op.drop_index(op.f("ix_takedown_requests_agency_id"), table_name="takedown_requests")
    op.drop_table("takedown_requests")
    op.drop_index(op.f("ix_platforms_name"), table_name="platforms")
    op.drop_table("platforms")
