"""Partner nodes with their pinned keys, and the log of every message exchanged with them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from advanced_alchemy.base import BigIntBase, UUIDv7AuditBase
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.orm import Mapped, mapped_column


class ExchangePartner(UUIDv7AuditBase):
    """Another ipcoord node (or any system speaking docs/exchange.md) and the key pinned when it was added."""

    __tablename__ = "exchange_partners"

    node_id: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    descriptor_url: Mapped[str] = mapped_column(String(500))
    inbox_url: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSONB)
    pinned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ExchangeMessage(BigIntBase):
    """The log of one message that left or arrived: who, what, its SHA-256, when, and what became of it.

    An arrived message is stored once per sender and id (a resend is answered as a duplicate, nothing stored);
    a refused one is not stored at all. A leaving message is written at its first delivery attempt with its
    signed bytes, which every retry sends again unchanged.
    """

    __tablename__ = "exchange_messages"
    __table_args__ = (UniqueConstraint("direction", "partner_node", "message_id", name="exchange_message_once"),)

    message_id: Mapped[uuid.UUID] = mapped_column(PG_UUID(as_uuid=True))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    partner_node: Mapped[str] = mapped_column(String(16), index=True)
    type: Mapped[str] = mapped_column(String(10))  # referral | status
    action: Mapped[str | None] = mapped_column(String(40), default=None)  # a status message's action
    sha256: Mapped[str] = mapped_column(String(64))  # of the compact JWS, as sent or received
    token: Mapped[str] = mapped_column(Text)
    referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referrals.id"), index=True, default=None)
    # The partner's id of the same referral: the sender's id on an arrived referral, quoted back in statuses.
    remote_referral_id: Mapped[uuid.UUID | None] = mapped_column(PG_UUID(as_uuid=True), default=None)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("notification_outbox.id"), unique=True, default=None)
    result: Mapped[str] = mapped_column(String(20))  # in: accepted; out: pending | delivered | failed
    http_status: Mapped[int | None] = mapped_column(Integer, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
