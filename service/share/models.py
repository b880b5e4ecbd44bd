"""Partner systems that receive shared data: table `share_partners` (never deleted: revoked instead)."""

from __future__ import annotations

from datetime import date, datetime

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
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
