"""Public holidays (seeded for Vietnam, amended by admins) and versioned deadline rules."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from advanced_alchemy.base import BigIntBase
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column


class Holiday(BigIntBase):
    """A day off in Vietnam; `is_day_off` False records a removed day (history kept, never deleted)."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_day_off: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(40))  # "holidays-package" | "admin"
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DeadlineRule(BigIntBase):
    """A legal or province-set time limit (DOMAIN.md §6), versioned with its basis."""

    __tablename__ = "deadline_rules"

    code: Mapped[str] = mapped_column(String(60), index=True)
    applies_to: Mapped[str] = mapped_column(String(60))  # a referral type, or "incident"
    starts: Mapped[str] = mapped_column(String(30))  # sent | acknowledged | recorded | occurred
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))  # working_days | calendar_days | months | immediate | years
    is_sla: Mapped[bool] = mapped_column(Boolean, default=False)  # province-set, not law
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)
