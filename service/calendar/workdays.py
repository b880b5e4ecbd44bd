"""Due dates in working days, calendar days, months and years (pure; the caller passes the calendar).

A working day is Monday to Friday unless the calendar makes it a day off (a public holiday or a day off given
in exchange), or a weekend day the calendar makes a working day (ngày làm bù: a Saturday worked in exchange
for a bridged holiday, e.g. Saturday 22 August 2026 for Monday 31 August 2026).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from service.clock import LOCAL_TZ

SATURDAY = 5
DAY_OFF, WORKING_DAY = "day_off", "working_day"
UNITS = ("working_days", "calendar_days", "months", "years")
HOURS = "hours"  # a limit on the clock (a platform's 24 hours, Nghị định 17/2023/NĐ-CP): no day off moves it


@dataclass(frozen=True)
class WorkCalendar:
    """The calendar's exceptions in force: weekdays that are days off, weekend days that are working days."""

    days_off: frozenset[date] = frozenset()
    working_weekend_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a day off, or a weekend day made a working day."""
        if day in self.days_off:
            return False
        return day.weekday() < SATURDAY or day in self.working_weekend_days

    def exception(self, day: date) -> str | None:
        """`day_off` or `working_day` when the calendar says so about this day, else None."""
        if day in self.days_off:
            return DAY_OFF
        return WORKING_DAY if day in self.working_weekend_days else None


def is_working_day(day: date, work_calendar: WorkCalendar) -> bool:
    """Whether staff work on this day (weekends and days off excluded, working weekend days included)."""
    return work_calendar.is_working_day(day)


def next_working_day(day: date, work_calendar: WorkCalendar) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not work_calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int, work_calendar: WorkCalendar) -> date:
    """The `count`-th working day after `start` (the start day itself is not counted)."""
    day = start
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1), work_calendar)
    return day


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def nominal_end(start: date, amount: int, unit: str) -> date:
    """The last day of a limit in calendar days, months or years before any day off moves it."""
    if unit == "calendar_days":
        return start + timedelta(days=amount)
    if unit == "months":
        return add_months(start, amount)
    if unit == "years":
        return add_months(start, 12 * amount)
    raise ValueError(f"unknown deadline unit {unit!r}")


def due_date(start: date, amount: int, unit: str, work_calendar: WorkCalendar) -> date:
    """The last day of a time limit starting on `start`.

    Working days skip weekends and days off and count working weekend days. A limit in calendar days, months or
    years that ends on a day off ends on the next working day (Bộ luật Dân sự 2015, Điều 148 khoản 5).
    `immediate` is due the same day; a limit in hours, on the day its last hour ends counted from the start of
    `start` at the latest (use `due_moment` for the exact moment).
    """
    if unit == "immediate":
        return start
    if unit == HOURS:
        return start + timedelta(days=math.ceil(amount / 24))
    if unit == "working_days":
        return add_working_days(start, amount, work_calendar)
    return next_working_day(nominal_end(start, amount, unit), work_calendar)


def due_moment(start: datetime, amount: int, unit: str, work_calendar: WorkCalendar) -> datetime:
    """The moment a time limit starting at `start` runs out: `amount` hours later for a limit in hours, else the
    end (local midnight) of its last day as `due_date` counts it."""
    if unit == HOURS:
        return start + timedelta(hours=amount)
    last_day = due_date(start.astimezone(LOCAL_TZ).date(), amount, unit, work_calendar)
    return datetime.combine(last_day + timedelta(days=1), time(), tzinfo=LOCAL_TZ)


def days_between(start: date, end: date) -> Iterator[date]:
    """The days after `start` up to and including `end`."""
    return (start + timedelta(days=n) for n in range(1, (end - start).days + 1))


def days_left(due: date, today: date) -> int:
    """Calendar days until the due date (negative once it has passed)."""
    return (due - today).days


def working_days_until(today: date, work_calendar: WorkCalendar) -> Callable[[date], int]:
    """Working days after today up to and including a due day (0 when it is today or past)."""

    def count(due: date) -> int:
        return len([day for day in days_between(today, due) if work_calendar.is_working_day(day)])

    return count
