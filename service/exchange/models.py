"""Partner nodes with their pinned keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import DateTime, String, func
from sqlalchemy.dialects.postgresql import JSONB
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
