"""Due dates in working days, calendar days, months and years (pure; the caller passes the days off)."""

from __future__ import annotations

import calendar
from collections.abc import Set
from datetime import date, timedelta

SATURDAY = 5


def is_working_day(day: date, days_off: Set[date]) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < SATURDAY and day not in days_off


def next_working_day(day: date, days_off: Set[date]) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, days_off):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int, days_off: Set[date]) -> date:
    """The `count`-th working day after `start` (the start day itself is not counted)."""
    day = start
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1), days_off)
    return day


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(start: date, amount: int, unit: str, days_off: Set[date]) -> date:
    """The last day of a time limit starting on `start`.

    Working days skip weekends and holidays. A limit in calendar days, months or years that ends on a day
    off ends on the next working day (Bộ luật Dân sự 2015, Điều 148 khoản 5). `immediate` is due the same day.
    """
    if unit == "immediate":
        return start
    if unit == "working_days":
        return add_working_days(start, amount, days_off)
    if unit == "calendar_days":
        end = start + timedelta(days=amount)
    elif unit == "months":
        end = add_months(start, amount)
    elif unit == "years":
        end = add_months(start, 12 * amount)
    else:
        raise ValueError(f"unknown deadline unit {unit!r}")
    return next_working_day(end, days_off)


def days_left(due: date, today: date) -> int:
    """Calendar days until the due date (negative once it has passed)."""
    return (due - today).days
