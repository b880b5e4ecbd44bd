"""/api/holidays: read the calendar (any user), amend it (administrators); /api/calendar/due-date: the calculator."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, delete, get, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from schemas.calendar import DeadlineUnit, DueDateOut, HolidayChangeOut, HolidayIn, HolidayOut
from service.auth.guards import PrincipalDep, provide_principal, require_admin, require_login
from service.calendar import duedates, service
from service.calendar.service import Recompute
from service.clock import local_day, now
from service.db import DbSession

Year = Annotated[
    int | None, QueryParameter(ge=2000, le=2100, description="Năm (mặc định: năm nay) / Year (default: this year)")
]
MAX_AMOUNT = 3660  # ten years of calendar days; a limit ending past the calendar's years is refused anyway
Start = Annotated[date, QueryParameter(description="Ngày bắt đầu tính (YYYY-MM-DD) / Day the limit starts from")]
Amount = Annotated[int, QueryParameter(ge=1, le=MAX_AMOUNT, description="Độ dài thời hạn / Length of the limit")]
Unit = Annotated[DeadlineUnit, QueryParameter(description="Đơn vị / Unit of the limit")]
# What follows the calendar (open referrals' clocks), provided by the app (service/app.py) from a package above.
RecomputeDep = NamedDependency[Recompute]


class HolidayController(Controller):
    """Days off and working weekend days that deadlines follow; amending one recomputes open referrals' clocks."""

    path = "/api/holidays"
    tags = ["calendar"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @get()
    async def list_holidays(self, db_session: DbSession, year: Year = None) -> list[HolidayOut]:
        """Ngày nghỉ và ngày làm bù trong năm / The year's days off and working weekend days (removed ones too)."""
        return await service.list_holidays(db_session, year or local_day(now()).year)

    @put("/{day:str}", guards=[require_admin])
    async def set_holiday(
        self,
        day: FromPath[str],
        data: JSONBody[HolidayIn],
        principal: PrincipalDep,
        db_session: DbSession,
        recompute_clocks: RecomputeDep,
    ) -> HolidayChangeOut:
        """Đánh dấu ngày nghỉ hoặc ngày làm bù (quản trị) / Mark a day off or a working weekend day (admin)."""
        return await service.set_holiday(db_session, principal, service.parse_day(day), data, recompute_clocks)

    @delete("/{day:str}", guards=[require_admin], status_code=HTTP_200_OK)
    async def remove_holiday(
        self, day: FromPath[str], principal: PrincipalDep, db_session: DbSession, recompute_clocks: RecomputeDep
    ) -> HolidayChangeOut:
        """Bỏ một ngày ngoại lệ (quản trị) / The government moved the day (admin); the row is kept."""
        return await service.remove_holiday(db_session, principal, service.parse_day(day), recompute_clocks)


class CalendarController(Controller):
    """The deadline calculator over the calendar every clock of the service uses."""

    path = "/api/calendar"
    tags = ["calendar"]
    guards = [require_login]

    @get("/due-date")
    async def due_date(self, db_session: DbSession, start: Start, amount: Amount, unit: Unit) -> DueDateOut:
        """Tính hạn / The due date of a limit, with the days off and working weekend days in its span."""
        return await duedates.explain_due_date(db_session, start, amount, unit)
