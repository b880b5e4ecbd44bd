"""Partner systems that receive shared data (`share_partners`, never deleted: revoked instead) and every call
they make (`share_access`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from advanced_alchemy.base import BigIntBase, UUIDv7AuditBase
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column


class SharePartner(UUIDv7AuditBase):
    """A partner system registered by an administrator, with the datasets it is granted."""

    __tablename__ = "share_partners"

    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(200))  # the agency or external body running the system
    contact: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[str] = mapped_column(Text)
    datasets: Mapped[list[str]] = mapped_column(ARRAY(String(60)))
    expires_on: Mapped[date | None] = mapped_column(Date, default=None)
    client_id: Mapped[str] = mapped_column(String(40), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    # Raised at each rotation: tokens carry it, so a rotation ends every token issued before it.
    secret_version: Mapped[int] = mapped_column(Integer, default=1)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Calls a minute this partner may make; None: the SHARE_RATE_LIMIT setting.
    rate_limit: Mapped[int | None] = mapped_column(Integer, default=None)


class ShareAccess(BigIntBase):
    """One call of a known partner, answered or refused: what it asked, how many rows it got, the status."""

    __tablename__ = "share_access"
    __table_args__ = (Index("ix_share_access_partner_at", "partner_id", "at"),)

    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("share_partners.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    path: Mapped[str] = mapped_column(String(200))
    dataset: Mapped[str | None] = mapped_column(String(60), default=None)
    query: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # the OData options as sent
    rows: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str | None] = mapped_column(String(60), default=None)  # the error code of a refusal
    via: Mapped[str] = mapped_column(String(10), default="token")  # token or gateway
