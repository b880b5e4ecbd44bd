"""Reads of the calendar table: the exceptions in force as a WorkCalendar, the rows of a span, the years covered."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.calendar.models import Holiday
from service.calendar.workdays import DAY_OFF, WORKING_DAY, WorkCalendar


async def load_calendar(session: AsyncSession, first: date | None = None, last: date | None = None) -> WorkCalendar:
    """The days off and working weekend days in force between `first` and `last` (the whole table by default)."""
    stmt = select(Holiday.day, Holiday.kind).where(Holiday.in_force.is_(True))
    if first is not None:
        stmt = stmt.where(Holiday.day >= first)
    if last is not None:
        stmt = stmt.where(Holiday.day <= last)
    rows = (await session.execute(stmt)).all()
    return WorkCalendar(
        days_off=frozenset(day for day, kind in rows if kind == DAY_OFF),
        working_weekend_days=frozenset(day for day, kind in rows if kind == WORKING_DAY),
    )


async def rows_between(session: AsyncSession, first: date, last: date) -> list[Holiday]:
    """The exceptions in force from `first` to `last`, in date order."""
    stmt = select(Holiday).where(Holiday.in_force.is_(True), Holiday.day.between(first, last)).order_by(Holiday.day)
    return list(await session.scalars(stmt))


async def seeded_years(session: AsyncSession) -> tuple[int, int] | None:
    """The first and last year the seed covers (the years of its rows), or None for an empty table."""
    stmt = select(func.min(Holiday.day), func.max(Holiday.day)).where(Holiday.source == "holidays-package")
    first, last = (await session.execute(stmt)).one()
    return (first.year, last.year) if first and last else None
