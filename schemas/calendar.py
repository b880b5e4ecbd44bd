"""The holiday table: days off that working-day deadlines skip, amended by administrators."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from schemas.base import Name, Schema


class HolidayIn(Schema, kw_only=True):
    """Mark a day as a public holiday (or re-enable a removed one) under this name."""

    name: Name


class HolidayOut(Schema, kw_only=True):
    """One row of the holiday table; `is_day_off` false records a day the government moved."""

    day: date
    name: str
    is_day_off: bool
    source: str
    changed_by: str | None
    changed_at: datetime


class HolidayChangeOut(Schema, kw_only=True):
    """The amended day and the open referrals whose deadlines were recomputed because of it."""

    holiday: HolidayOut
    recomputed_referral_ids: list[uuid.UUID]
