"""Linked cases and likely-duplicate flags (the reference numbers they compare are service/incidents/models.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from advanced_alchemy.base import BigIntBase, UUIDv7AuditBase
from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column


class LinkedCase(UUIDv7AuditBase):
    """Incidents a coordinator judged to be one case; members point here by ``incidents.case_id``."""

    __tablename__ = "linked_cases"

    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class DuplicateFlag(BigIntBase):
    """Two incidents that look like one case, for a coordinator to link or dismiss; ``incident_a < incident_b``."""

    __tablename__ = "duplicate_flags"
    __table_args__ = (
        UniqueConstraint("incident_a_id", "incident_b_id", name="duplicate_pair_once"),
        CheckConstraint("incident_a_id < incident_b_id", name="duplicate_pair_ordered"),
        Index("ix_duplicate_flags_status", "status", "flagged_at"),
    )

    incident_a_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    incident_b_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    reasons: Mapped[list[str]] = mapped_column(ARRAY(String(30)))
    distance_km: Mapped[float | None] = mapped_column(Float, default=None)
    days_apart: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="open")
    flagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    decision_reason: Mapped[str | None] = mapped_column(Text, default=None)
