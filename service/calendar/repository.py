"""Reads of the calendar: the exceptions in force as a WorkCalendar, the rows of a span, the years covered, and the
deadline rules in force with the calendar around a day (`load_rules`, what every clock is computed from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import User
from service.calendar.models import CalendarRevision, DeadlineRule, Holiday
from service.calendar.workdays import DAY_OFF, WORKING_DAY, WorkCalendar
from service.db import driver_connection


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


SENDER: Final = "sender"  # a rule whose duty is the sender's (met by sending)


@dataclass(frozen=True)
class Rules:
    """The rules in force and the calendar (days off, working weekend days), loaded once per request."""

    by_code: dict[str, DeadlineRule]
    calendar: WorkCalendar
    # What callers computed from these rules alone (e.g. the incidents' clocks by start day), kept as long as they
    # are: a cached Rules serves many requests (`cached_rules`).
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def default_for(self, referral_type: str) -> DeadlineRule | None:
        """The receiver's first rule listed for this referral type (DOMAIN.md §6), if any."""
        return next((r for r in self.for_type(referral_type) if r.duty != SENDER), None)

    def sender_duty(self, referral_type: str) -> DeadlineRule | None:
        """The sender's own duty for this type (met by sending), if any."""
        return next((r for r in self.for_type(referral_type) if r.duty == SENDER), None)

    def for_type(self, referral_type: str) -> list[DeadlineRule]:
        """Every rule in force for this referral type, in the order listed."""
        return [r for r in self.by_code.values() if r.applies_to == referral_type]


async def load_rules(session: AsyncSession, around: date) -> Rules:
    """Rules valid on `around`, and the calendar's exceptions within three years of it."""
    rules = await session.scalars(
        select(DeadlineRule)
        .where(DeadlineRule.valid_from <= around)
        .where((DeadlineRule.valid_to.is_(None)) | (DeadlineRule.valid_to >= around))
        .order_by(DeadlineRule.id)
    )
    window = (around - timedelta(days=366), around + timedelta(days=3 * 366))
    work_calendar = await load_calendar(session, *window)
    by_code: dict[str, DeadlineRule] = {}
    for rule in rules:
        by_code.setdefault(rule.code, rule)
    return Rules(by_code=by_code, calendar=work_calendar)


# Rules by the day they were loaded around, with the calendar revision they were loaded at (few days are asked for:
# today, and at midnight tomorrow).
_CACHED: dict[date, tuple[int, Rules]] = {}
_CACHED_DAYS = 4


_REVISION = "SELECT revision FROM calendar_revision WHERE id = 1"


async def calendar_revision(session: AsyncSession) -> int | None:
    """The calendar's revision: a new number after every committed change to holidays or deadline rules (None if
    its row is missing, until the next change writes it)."""
    connection = await driver_connection(session)  # every clock asks: straight to the driver (service/db.py)
    revision: int | None = await connection.fetchval(_REVISION)
    return revision


def _detached(rules: Rules) -> Rules:
    """A copy whose rules belong to no session (a commit expires a session's objects; these outlive it)."""
    columns = [attribute.key for attribute in DeadlineRule.__mapper__.column_attrs]
    copies = {code: DeadlineRule(**{k: getattr(rule, k) for k in columns}) for code, rule in rules.by_code.items()}
    return Rules(by_code=copies, calendar=rules.calendar)


def revision_column() -> Any:
    """The calendar's revision as a scalar subquery, for a hot statement to read along with its rows (one round
    trip less); hand what it read to `rules_at_revision`."""
    return select(CalendarRevision.revision).where(CalendarRevision.id == 1).scalar_subquery()


async def cached_rules(session: AsyncSession, around: date) -> Rules:
    """`load_rules(session, around)`, kept in this process while the calendar's revision stays the same: one
    read of one row instead of two queries. Any instance's change raises the revision (a trigger in the writer's
    transaction), so no process answers from rules older than what it can read. The revision is read before the
    rules: a change committed in between makes the pair look old, and the next call loads again. Treat the result
    as read-only: it is shared by the requests of this process."""
    return await rules_at_revision(session, around, await calendar_revision(session))


async def rules_at_revision(session: AsyncSession, around: date, revision: int | None) -> Rules:
    """`cached_rules` for a caller that read the revision already, in the statement that read its rows
    (`revision_column`); None (the revision's row missing) loads the rules without keeping them."""
    if revision is None:
        return await load_rules(session, around)
    hit = _CACHED.get(around)
    if hit is not None and hit[0] == revision:
        return hit[1]
    rules = _detached(await load_rules(session, around))
    if len(_CACHED) >= _CACHED_DAYS:
        _CACHED.clear()
    _CACHED[around] = (revision, rules)
    return rules


async def holidays_of(session: AsyncSession, year: int) -> list[tuple[Holiday, str | None]]:
    """Every row of one year with the user name of who last changed it, in date order."""
    stmt = (
        select(Holiday, User.username)
        .outerjoin(User, User.id == Holiday.changed_by_id)
        .where(Holiday.day.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(Holiday.day)
    )
    return [(holiday, username) for holiday, username in (await session.execute(stmt)).all()]


async def locked_holiday(session: AsyncSession, day: date) -> Holiday | None:
    stmt = select(Holiday).where(Holiday.day == day).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def all_rules(session: AsyncSession) -> list[DeadlineRule]:
    """Every rule and version, by code then start of validity."""
    return list(await session.scalars(select(DeadlineRule).order_by(DeadlineRule.code, DeadlineRule.valid_from)))


async def locked_rule(session: AsyncSession, rule_id: int) -> DeadlineRule | None:
    return (await session.scalars(select(DeadlineRule).where(DeadlineRule.id == rule_id).with_for_update())).first()
