"""The audit trail's tables: events (append-only, hash-chained) and the anchors left by the retention job."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from advanced_alchemy.base import BigIntBase
from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column


class AuditEvent(BigIntBase):
    """One security or accountability event; `hash` covers its content and the hash of the row before it.

    A trigger refuses UPDATE, and DELETE of any row newer than the latest anchor (migration `9c4e1a7b2d55`)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_actor_id_id", "actor_id", "id"),
        Index("ix_audit_events_event_id", "event", "id"),
        Index("ix_audit_events_record_ids", "record_ids", postgresql_using="gin"),
    )

    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    event: Mapped[str] = mapped_column(String(60))
    # Who: the user (no foreign key: the trail outlives any change to the users table) and their name then.
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_name: Mapped[str | None] = mapped_column(String(100))
    # Which record(s): a type ("incident", "user", …) and their ids; which fields of them were shown or changed.
    record_type: Mapped[str | None] = mapped_column(String(40))
    record_ids: Mapped[list[str]] = mapped_column(JSONB, default=list)
    fields: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # From where: the client address (after the trusted proxies), the browser, the request id in the logs.
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditAnchor(BigIntBase):
    """Where the chain starts after the retention job deleted its oldest rows: the last deleted row and its hash."""

    __tablename__ = "audit_anchors"

    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    through_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    through_hash: Mapped[str] = mapped_column(String(64))
    deleted: Mapped[int] = mapped_column(Integer)
