"""The calendar's exceptions (seeded for Vietnam, amended by admins) and versioned deadline rules."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from advanced_alchemy.base import BigIntBase
from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column


class Holiday(BigIntBase):
    """One exception to the Monday-to-Friday week: a day off, or a weekend day worked in exchange (ngày làm bù).

    `in_force` False records a removed exception (history kept, never deleted). `name` is Vietnamese.
    """

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="day_off")  # day_off | working_day
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[str] = mapped_column(String(300))
    in_force: Mapped[bool] = mapped_column(Boolean, default=True)
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
    unit: Mapped[str] = mapped_column(String(20))  # working_days | calendar_days | months | immediate | years | pause
    is_sla: Mapped[bool] = mapped_column(Boolean, default=False)  # province-set, not law
    # Whose duty: `sender` (met by sending), `receiver` (the receiving agency's), `agency` (the recording agency's).
    duty: Mapped[str] = mapped_column(String(20), default="receiver", server_default="receiver")
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)


class CalendarRevision(BigIntBase):
    """One row: a number raised by triggers on every change to `holidays` or `deadline_rules`, so a process that
    keeps the rules in memory can see, by one cheap read, whether any instance changed them since it loaded them
    (service/calendar/repository.py, `cached_rules`)."""

    __tablename__ = "calendar_revision"

    revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
