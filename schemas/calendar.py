"""The calendar: days off and working weekend days that deadlines follow, amended by administrators."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from schemas.base import Name, Schema

ExceptionKind = Literal["day_off", "working_day"]
DeadlineUnit = Literal["working_days", "calendar_days", "months", "years"]
LegalBasis = Annotated[str, msgspec.Meta(max_length=300)]


class HolidayIn(Schema, kw_only=True):
    """Mark a day as a day off, or a weekend day as a working day (ngày làm bù), under this name."""

    name: Name  # Vietnamese
    name_en: Name | None = None  # the Vietnamese name when not given
    kind: ExceptionKind = "day_off"
    legal_basis: LegalBasis = ""


class HolidayOut(Schema, kw_only=True):
    """One exception of the calendar; `in_force` false records one that was removed (the row is kept).

    `is_day_off` says whether the day is off with this row taken into account: true for a day off in force, false
    for a working weekend day in force; for a removed row, whether the day is a weekend day.
    """

    day: date
    kind: ExceptionKind
    name: str
    name_en: str
    legal_basis: str
    in_force: bool
    is_day_off: bool
    source: str
    changed_by: str | None
    changed_at: datetime


class HolidayChangeOut(Schema, kw_only=True):
    """The amended day and the open referrals whose deadlines were recomputed because of it."""

    holiday: HolidayOut
    recomputed_referral_ids: list[uuid.UUID]


class CalendarDayOut(Schema, kw_only=True):
    """A day off or a working weekend day inside a deadline's span, with its names and legal basis."""

    day: date
    kind: ExceptionKind
    name_vi: str
    name_en: str
    legal_basis: str


class DueDateOut(Schema, kw_only=True):
    """The last day of a time limit, and why: the calendar's exceptions in the span, the weekend days skipped.

    `nominal_end` is where a limit in calendar days, months or years would end before a day off moves it to the
    next working day (Bộ luật Dân sự 2015, Điều 148 khoản 5); `moved` says whether it did.
    """

    start: date
    amount: int
    unit: DeadlineUnit
    due_date: date
    nominal_end: date | None
    moved: bool
    working_days: int  # working days after the start, up to and including the due date
    weekend_days_skipped: int  # ordinary Saturdays and Sundays in the span
    days_off_skipped: int  # days off in the span
    exceptions: list[CalendarDayOut]
