"""Referrals, their append-only events, and mediation sessions (the outbox is service/notifications/models.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from advanced_alchemy.base import BigIntBase, UUIDv7AuditBase
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.orm import Mapped, mapped_column


class Referral(UUIDv7AuditBase):
    """One hand-off of an incident from one agency to another; status moves only along transitions.py."""

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_to_status_due", "to_agency_id", "status", "due_on"),
        Index("ix_referrals_from_status_due", "from_agency_id", "status", "due_on"),
        # The overdue and reminder sweeps look only at open clocks (tests/benchmarks/bench_referrals.py).
        Index(
            "ix_referrals_open_due_on",
            "due_on",
            postgresql_where=text("status IN ('sent', 'acknowledged', 'in_progress')"),
        ),
        Index("ix_referrals_sent_ack_due_on", "ack_due_on", postgresql_where=text("status = 'sent'")),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    from_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    to_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="sent")
    version: Mapped[int] = mapped_column(Integer, default=1)
    message: Mapped[str] = mapped_column(Text, default="")
    attachment_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(PG_UUID(as_uuid=True)), default=list)
    outcome: Mapped[str | None] = mapped_column(String(40), default=None)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Clocks, recomputed when the holiday table changes: the legal limit and the province's
    # acknowledgement SLA, as Lai Châu calendar days, with the rule each came from.
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    due_rule: Mapped[str | None] = mapped_column(String(60), default=None)
    ack_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    # The due dates already reminded of and escalated, so a steady-state sweep skips them in SQL without
    # reading the outbox; the outbox's dedupe keys remain what guarantees "once".
    reminded_ack_for: Mapped[date | None] = mapped_column(Date, default=None)
    reminded_due_for: Mapped[date | None] = mapped_column(Date, default=None)
    escalated_ack_for: Mapped[date | None] = mapped_column(Date, default=None)
    escalated_due_for: Mapped[date | None] = mapped_column(Date, default=None)
    sent_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # Since when the receiver waits for the sender's information (None: not waiting), and the days such waits
    # added to the decision clock under the `information_pause` rule (kept when the clocks are recomputed).
    information_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    paused_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ReferralEvent(BigIntBase):
    """Append-only: actor, action, from and to status, time and note, written with the status change."""

    __tablename__ = "referral_events"

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id"), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)  # None: the system
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20), default=None)
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class MediationSession(BigIntBase):
    """One session (phiên hòa giải) of a dispute referred to mediation or arbitration."""

    __tablename__ = "mediation_sessions"

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")
    minutes: Mapped[str] = mapped_column(Text, default="")  # biên bản hòa giải, summarised
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
