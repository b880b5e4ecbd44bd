"""/api/holidays: read the holiday table (any user); mark or remove a day off (administrators)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, put
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from schemas.calendar import HolidayChangeOut, HolidayIn, HolidayOut
from service.auth.guards import PrincipalDep, provide_principal, require_admin, require_login
from service.calendar import service
from service.clock import local_day, now
from service.db import DbSession

Year = Annotated[
    int | None, QueryParameter(ge=2000, le=2100, description="Năm (mặc định: năm nay) / Year (default: this year)")
]


class HolidayController(Controller):
    """Days off that working-day deadlines skip; amending one recomputes open referrals' clocks."""

    path = "/api/holidays"
    tags = ["calendar"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @get()
    async def list_holidays(self, db_session: DbSession, year: Year = None) -> list[HolidayOut]:
        """Ngày nghỉ lễ trong năm / The holiday table for one year (moved days included, `is_day_off` false)."""
        return await service.list_holidays(db_session, year or local_day(now()).year)

    @put("/{day:str}", guards=[require_admin])
    async def set_holiday(
        self, day: FromPath[str], data: JSONBody[HolidayIn], principal: PrincipalDep, db_session: DbSession
    ) -> HolidayChangeOut:
        """Đánh dấu ngày nghỉ (quản trị) / Mark a day off (admin); open referrals' deadlines are recomputed."""
        return await service.set_holiday(db_session, principal, service.parse_day(day), data.name)

    @delete("/{day:str}", guards=[require_admin], status_code=HTTP_200_OK)
    async def remove_holiday(
        self, day: FromPath[str], principal: PrincipalDep, db_session: DbSession
    ) -> HolidayChangeOut:
        """Bỏ ngày nghỉ do Nhà nước đổi ngày (quản trị) / The government moved the day (admin); the row is kept."""
        return await service.remove_holiday(db_session, principal, service.parse_day(day))
