"""The outbox (`OutboxMessage`, table notification_outbox, written in the transaction of the event that caused
each message), who receives what (contacts, preferences, webhook subscriptions) and what was delivered to whom.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from advanced_alchemy.base import BigIntBase, UUIDv7AuditBase
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column


class OutboxMessage(BigIntBase):
    """A notification to deliver, written in the same transaction as the event that caused it."""

    __tablename__ = "notification_outbox"
    __table_args__ = (Index("ix_outbox_pending", "status", "next_attempt_at"),)

    kind: Mapped[str] = mapped_column(String(40))  # referral.sent, referral.acknowledged, reminder, escalation, digest
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referrals.id"), default=None)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)  # one message per (event, recipient)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | sent | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class NotificationContact(BigIntBase):
    """The email address a user receives notifications at (users carry no address of their own)."""

    __tablename__ = "notification_contacts"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class NotificationPreference(BigIntBase):
    """A user's choice for one kind of notification; a kind without a row gets the documented default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # a preferences.Kind
    channel: Mapped[str] = mapped_column(String(10))  # email | none


class WebhookSubscription(UUIDv7AuditBase):
    """An integrator's endpoint for an agency's notifications, signed with HMAC-SHA256.

    The signing secret is never stored: it is derived from SECRET_KEY and `secret_nonce` when a message is
    signed, shown once at creation. Deactivated, never deleted, so deliveries keep their target.
    """

    __tablename__ = "webhook_subscriptions"

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret_nonce: Mapped[str] = mapped_column(String(64))
    kinds: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class NotificationDelivery(BigIntBase):
    """One attempt to deliver an outbox message to one target (`email:<user id>` or `webhook:<subscription id>`).

    At most one successful attempt per message and target: retries and replays skip targets already served.
    """

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        Index(
            "uq_notification_deliveries_once",
            "outbox_id",
            "target",
            unique=True,
            postgresql_where=text("ok"),
        ),
    )

    outbox_id: Mapped[int] = mapped_column(ForeignKey("notification_outbox.id"), index=True)
    target: Mapped[str] = mapped_column(String(80))
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NotificationReplay(BigIntBase):
    """Audit note of an administrator sending a dead letter again, with what it had failed with."""

    __tablename__ = "notification_replays"

    outbox_id: Mapped[int] = mapped_column(ForeignKey("notification_outbox.id"), index=True)
    replayed_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    attempts_before: Mapped[int] = mapped_column(Integer)
    last_error_before: Mapped[str | None] = mapped_column(Text, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
