"""Platforms (data, never deleted), URL captures (the chain of custody), takedown requests and their timeline."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from advanced_alchemy.base import BigIntBase, UUIDv7AuditBase
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.orm import Mapped, mapped_column

# The statuses a request's clocks still run in (the sweeps' partial indexes name them too).
OPEN_SQL = "status IN ('sent', 'acknowledged', 'partly_done', 'overdue')"


class Platform(UUIDv7AuditBase):
    """An online platform requests are sent to; ended by `valid_to`, never deleted (requests keep their platform)."""

    __tablename__ = "platforms"

    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # e_commerce | social_network | hosting | search | other
    # For e-commerce: the Ministry of Industry and Trade's registration (online.gov.vn).
    registration_number: Mapped[str] = mapped_column(String(60), default="")
    contact: Mapped[str] = mapped_column(String(300))  # where requests go: an address, an email, a portal
    website: Mapped[str] = mapped_column(String(300), default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)
    changed_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class UrlCapture(UUIDv7AuditBase):
    """What the agency saw at one URL: when, the HTTP status, the saved page or screenshot (an attachment) and
    its SHA-256, and who captured it. Append-only: a new capture is a new row."""

    __tablename__ = "url_captures"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(253))
    seller_account: Mapped[str] = mapped_column(String(200), default="")
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    http_status: Mapped[int] = mapped_column(Integer)
    attachment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident_attachments.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    captured_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class TakedownRequest(UUIDv7AuditBase):
    """A written request of the recording agency to a platform about the URLs of an incident, with its clocks."""

    __tablename__ = "takedown_requests"
    __table_args__ = (
        UniqueConstraint("agency_id", "number"),
        Index("ix_takedown_requests_open_platform", "platform_id", "status", postgresql_where=text(OPEN_SQL)),
        Index("ix_takedown_requests_open_action_due", "action_due_at", postgresql_where=text(OPEN_SQL)),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    platform_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("platforms.id"), index=True)
    # Số hiệu: given when the request is sent, unique per agency ("12/2026/YCGG-QLTT").
    number: Mapped[str | None] = mapped_column(String(60), default=None)
    status: Mapped[str] = mapped_column(String(20), default="drafted")
    version: Mapped[int] = mapped_column(Integer, default=1)
    urls: Mapped[list[str]] = mapped_column(ARRAY(Text))
    seller_account: Mapped[str] = mapped_column(String(200), default="")
    seller_key: Mapped[str] = mapped_column(String(200), default="", index=True)  # folded, for the repeat view
    legal_basis: Mapped[str] = mapped_column(Text)
    measures: Mapped[list[str]] = mapped_column(ARRAY(String(30)))  # remove | block | suspend_account | ...
    note: Mapped[str] = mapped_column(Text, default="")
    drafted_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    sent_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Clocks from the deadline rules in force when sent (rule codes kept: the rules are versioned data).
    action_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    action_rule: Mapped[str | None] = mapped_column(String(60), default=None)
    report_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    report_rule: Mapped[str | None] = mapped_column(String(60), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    answer: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # The due moment already escalated, so a steady sweep skips it (the outbox's keys guarantee "once").
    escalated_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class TakedownEvent(BigIntBase):
    """Append-only timeline of a request: who, when, what (action, from and to status), why, with any evidence."""

    __tablename__ = "takedown_events"

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("takedown_requests.id"), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)  # None: the system
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20), default=None)
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    note: Mapped[str] = mapped_column(Text, default="")
    attachment_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(PG_UUID(as_uuid=True)), default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
