"""Calendar administration; each change has the clocks that follow the calendar recomputed (`Recompute`).

The table holds both kinds of exception: days off, and weekend days worked in exchange (ngày làm bù). Removing
one never deletes its row: `in_force` becomes false, so the table keeps what was announced and what the
government later moved. Every change records who made it and when. In the same transaction every
open referral whose acknowledgement or legal due date moves is recomputed and gets a `deadline_recomputed`
event naming the old and new dates: the app hands the referrals' recomputation in (`Recompute`), so the calendar
names no package above it.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.calendar import HolidayChangeOut, HolidayIn, HolidayOut
from service.audit import service as audit
from service.auth.principal import Principal
from service.calendar import repository
from service.calendar.models import Holiday
from service.calendar.workdays import DAY_OFF, SATURDAY, WORKING_DAY
from service.clock import LOCAL_TZ, now
from service.errors import Invalid, NotFound

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Recomputes what follows the calendar after a change of `day`; the ids of the referrals whose clocks moved.
Recompute = Callable[[AsyncSession, Principal, date], Awaitable[list[uuid.UUID]]]


class BadDay(Invalid):
    code = "holiday.bad_day"


class HolidayNotFound(NotFound):
    code = "holiday.not_found"


class NotAWeekendDay(Invalid):
    code = "holiday.not_a_weekend_day"


def parse_day(text: str, field: str = "day") -> date:
    """A day written YYYY-MM-DD, or a 400 naming the field."""
    if _ISO_DAY.fullmatch(text):
        with contextlib.suppress(ValueError):  # e.g. 2026-02-30
            return date.fromisoformat(text)
    raise BadDay(field=field, value=text[:40])


async def list_holidays(session: AsyncSession, year: int) -> list[HolidayOut]:
    """Every row of one year, days off and moved days alike, in date order."""
    return [_holiday_out(holiday, username) for holiday, username in await repository.holidays_of(session, year)]


async def set_holiday(
    session: AsyncSession, principal: Principal, day: date, data: HolidayIn, recompute: Recompute
) -> HolidayChangeOut:
    """Mark a day off or a working weekend day (a new row, or one re-enabled or changed), then recompute clocks."""
    if data.kind == WORKING_DAY and day.weekday() < SATURDAY:
        raise NotAWeekendDay(field="kind", day=day.isoformat())
    holiday = await repository.locked_holiday(session, day)
    if holiday is None:
        holiday = Holiday(day=day, source="admin")
        session.add(holiday)
    holiday.kind, holiday.name, holiday.name_en = data.kind, data.name, data.name_en or data.name
    holiday.legal_basis, holiday.in_force = data.legal_basis, True
    return await _changed(session, principal, holiday, recompute, "calendar.holiday_set")


async def remove_holiday(
    session: AsyncSession, principal: Principal, day: date, recompute: Recompute
) -> HolidayChangeOut:
    """The government moved the day: the weekday rule applies to it again; the row stays, marked not in force."""
    holiday = await repository.locked_holiday(session, day)
    if holiday is None:
        raise HolidayNotFound(field="day", day=day.isoformat())
    holiday.in_force = False
    return await _changed(session, principal, holiday, recompute, "calendar.holiday_removed")


async def _changed(
    session: AsyncSession, principal: Principal, holiday: Holiday, recompute: Recompute, event: str
) -> HolidayChangeOut:
    holiday.changed_by_id = principal.user_id
    holiday.changed_at = now()
    await session.flush()
    recomputed = await recompute(session, principal, holiday.day)
    detail = {
        "kind": holiday.kind,
        "name": holiday.name,
        "legal_basis": holiday.legal_basis or "",
        "referrals": len(recomputed),
    }
    await audit.record(
        session, event, principal, record_type="holiday", record_ids=[holiday.day.isoformat()], detail=detail
    )
    return HolidayChangeOut(holiday=_holiday_out(holiday, principal.username), recomputed_referral_ids=recomputed)


def _is_day_off(holiday: Holiday) -> bool:
    if holiday.in_force:
        return holiday.kind == DAY_OFF
    return holiday.day.weekday() >= SATURDAY


def _holiday_out(holiday: Holiday, changed_by: str | None) -> HolidayOut:
    return HolidayOut(
        day=holiday.day,
        kind="working_day" if holiday.kind == WORKING_DAY else "day_off",
        name=holiday.name,
        name_en=holiday.name_en,
        legal_basis=holiday.legal_basis,
        in_force=holiday.in_force,
        is_day_off=_is_day_off(holiday),
        source=holiday.source,
        changed_by=changed_by,
        changed_at=holiday.changed_at.astimezone(LOCAL_TZ),
    )
