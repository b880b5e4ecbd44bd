"""The deadline calculator: a due date from the calendar, with the days off and working weekend days behind it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.calendar import CalendarDayOut, DeadlineUnit, DueDateOut
from schemas.clocks import ClockOut, Duty
from service.calendar import repository
from service.calendar.models import DeadlineRule, Holiday
from service.calendar.workdays import (
    SATURDAY,
    WORKING_DAY,
    WorkCalendar,
    days_between,
    days_left,
    due_date,
    nominal_end,
)
from service.errors import Invalid


class OutsideCalendar(Invalid):
    code = "calendar.outside_years"


class BeyondCalendar(Invalid):
    code = "calendar.beyond_years"


async def calendar_years(session: AsyncSession) -> tuple[int, int]:
    """The first and last year the calendar covers (none: an empty table, every date is outside)."""
    return await repository.seeded_years(session) or (0, -1)


async def explain_due_date(session: AsyncSession, start: date, amount: int, unit: DeadlineUnit) -> DueDateOut:
    """The due date of `amount` `unit` from `start`, or a 400 naming the field when the calendar cannot tell."""
    first, last = await calendar_years(session)
    if not first <= start.year <= last:
        raise OutsideCalendar(field="start", start=start.isoformat(), first=first, last=last)
    work_calendar = await repository.load_calendar(session)
    due = due_date(start, amount, unit, work_calendar)
    if due.year > last:
        raise BeyondCalendar(field="amount", due=due.isoformat(), last=last)
    end = None if unit == "working_days" else nominal_end(start, amount, unit)
    rows = await repository.rows_between(session, start + timedelta(days=1), due)
    return _out(start, amount, unit, due, end, work_calendar, rows)


def _out(
    start: date,
    amount: int,
    unit: DeadlineUnit,
    due: date,
    end: date | None,
    work_calendar: WorkCalendar,
    rows: list[Holiday],
) -> DueDateOut:
    span = list(days_between(start, due))
    off = [d for d in span if d in work_calendar.days_off]
    plain_weekend = [
        d for d in span if d.weekday() >= SATURDAY and d not in off and d not in work_calendar.working_weekend_days
    ]
    return DueDateOut(
        start=start,
        amount=amount,
        unit=unit,
        due_date=due,
        nominal_end=end,
        moved=end is not None and end != due,
        working_days=len([d for d in span if work_calendar.is_working_day(d)]),
        weekend_days_skipped=len(plain_weekend),
        days_off_skipped=len(off),
        exceptions=[_day_out(row) for row in rows],
    )


def _day_out(row: Holiday) -> CalendarDayOut:
    return CalendarDayOut(
        day=row.day,
        kind="working_day" if row.kind == WORKING_DAY else "day_off",
        name_vi=row.name,
        name_en=row.name_en,
        legal_basis=row.legal_basis,
    )


def clock_out(
    name: str, rule: DeadlineRule, due_on: date, today: date, *, duty: Duty, met: bool = False, paused: bool = False
) -> ClockOut:
    """A running time limit as referrals and incidents show it: due day, days left, overdue unless met or paused."""
    left = days_left(due_on, today)
    return ClockOut(
        name=name,
        rule=rule.code,
        legal_basis=rule.legal_basis,
        due_on=due_on,
        days_left=left,
        overdue=left < 0 and not met and not paused,
        duty=duty,
        met=met,
        paused=paused,
    )
