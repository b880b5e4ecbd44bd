"""/admin/holidays, /admin/rules and /admin/notifications: the calendar (days off and working weekend days),
deadline rule versions, and dead-letter notifications to replay. Administrators only, CSRF on every form, each
refusal beside its field; every change recomputes the open referrals' clocks as the API's does.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.calendar import HolidayIn
from service import i18n
from service.admin.forms import FormResult, decode, label, refused, typed
from service.admin.pages import _notice
from service.auth.guards import PrincipalDep, provide_principal, require_admin
from service.calendar import rules_admin
from service.calendar import service as calendar
from service.clock import local_day, now
from service.db import DbSession
from service.errors import AppError
from service.notifications import service as notifications
from service.referrals.clocks import recompute_open_referrals
from service.web import formatting
from service.web.context import language, page

HttpRequest = Request[Any, Any, Any]
HOLIDAY_FIELDS = ("day", "kind", "name", "name_en", "legal_basis")
RULE_FIELDS = ("amount", "unit", "legal_basis", "valid_from")
KINDS = ("day_off", "working_day")


async def render_holidays(
    request: HttpRequest, session: AsyncSession, year: int, result: FormResult | None = None
) -> Template:
    """One year's days off and working weekend days (removed ones too), and the form to add one."""
    context = {
        "year": year,
        "holidays": await calendar.list_holidays(session, year),
        "result": result or FormResult({"kind": "working_day"}),
        "kinds": [(k, i18n.message(f"ui.admin.holiday.kind.{k}", language(request))) for k in KINDS],
        "notice": _notice(request, language(request)),
    }
    return page(request, "admin/holidays.html.j2", status=result.status if result else 200, **context)


async def render_rules(
    request: HttpRequest, session: AsyncSession, result: FormResult | None = None, rule_id: int | None = None
) -> Template:
    """Every deadline rule and version, with the form of a new version for each rule in force."""
    context = {
        "rules": await rules_admin.list_rules(session),
        "units": rules_admin.VERSIONED_UNITS,
        "result": result or FormResult({}),
        "edited": rule_id,
        "today": local_day(now()),
        "notice": _notice(request, language(request)),
    }
    return page(request, "admin/rules.html.j2", status=result.status if result else 200, **context)


async def render_notifications(
    request: HttpRequest, session: AsyncSession, errors: dict[str, str] | None = None, status: int = 200
) -> Template:
    """Dead letters with the error they failed with, each with a replay form."""
    context = {
        "messages": await notifications.list_messages(session, "dead"),
        "errors": errors or {},
        "notice": _notice(request, language(request)),
    }
    return page(request, "admin/notifications.html.j2", status=status, **context)


def _day(values: dict[str, str], lang: i18n.Language) -> tuple[date | None, dict[str, str]]:
    try:
        return formatting.parse_day(values["day"]), {}
    except ValueError:
        text = i18n.message("field.type", lang, field=label("day", lang), expected=formatting.DAY_FORMAT)
        return None, {"day": text}


class AdminCalendarPageController(Controller):
    """Calendar, deadline rules and dead letters, for administrators."""

    path = "/admin"
    guards = [require_admin]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/holidays", media_type=MediaType.HTML)
    async def holidays(
        self, request: HttpRequest, db_session: DbSession, year: FromQuery[int | None] = None
    ) -> Template:
        """Ngày nghỉ và ngày làm bù / Days off and working weekend days of a year."""
        shown = year if year and 2000 <= year <= 2100 else local_day(now()).year
        return await render_holidays(request, db_session, shown)

    @post("/holidays", media_type=MediaType.HTML)
    async def set_holiday(self, request: HttpRequest, principal: PrincipalDep, db_session: DbSession) -> Response[Any]:
        """Thêm ngày nghỉ hoặc ngày làm bù / Add a day off or a working weekend day; open clocks are recomputed."""
        lang = language(request)
        values = typed(await request.form(), HOLIDAY_FIELDS)
        day, errors = (
            _day(values, lang)
            if values["day"]
            else (None, {"day": i18n.message("field.required", lang, field=label("day", lang))})
        )
        data, schema_errors = decode({k: v for k, v in values.items() if k != "day"}, HolidayIn, lang)
        errors |= schema_errors
        year = day.year if day else local_day(now()).year
        if day is None or data is None:
            return await render_holidays(request, db_session, year, FormResult(values, errors, 400))
        try:
            async with db_session.begin_nested():
                await calendar.set_holiday(db_session, principal, day, data, recompute_open_referrals)
        except AppError as exc:
            return await render_holidays(
                request, db_session, year, FormResult(values, refused(exc, lang, HOLIDAY_FIELDS), exc.status)
            )
        return Redirect(f"/admin/holidays?year={day.year}&done=holiday_set", status_code=303)

    @post("/holidays/{day:str}/remove", media_type=MediaType.HTML)
    async def remove_holiday(
        self, request: HttpRequest, day: FromPath[str], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Bỏ ngày ngoại lệ / Remove an exception (the row is kept, not in force)."""
        lang = language(request)
        try:
            async with db_session.begin_nested():
                parsed = calendar.parse_day(day)
                await calendar.remove_holiday(db_session, principal, parsed, recompute_open_referrals)
        except AppError as exc:
            return await render_holidays(
                request, db_session, local_day(now()).year, FormResult({}, refused(exc, lang, ()), exc.status)
            )
        return Redirect(f"/admin/holidays?year={parsed.year}&done=holiday_removed", status_code=303)

    @get("/rules", media_type=MediaType.HTML)
    async def rules(self, request: HttpRequest, db_session: DbSession) -> Template:
        """Quy tắc thời hạn / Deadline rules and their versions, with their legal basis."""
        return await render_rules(request, db_session)

    @post("/rules/{rule_id:int}/version", media_type=MediaType.HTML)
    async def new_rule_version(
        self, request: HttpRequest, rule_id: FromPath[int], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Phiên bản mới của quy tắc / A new version of a rule from a day on; the old one ends the day before."""
        lang = language(request)
        values = typed(await request.form(), RULE_FIELDS)
        errors: dict[str, str] = {}
        amount = int(values["amount"]) if values["amount"].isdigit() else None
        if amount is None:
            errors["amount"] = i18n.message("field.type", lang, field=label("amount", lang), expected="0, 1, 2…")
        valid_from = None
        try:
            valid_from = formatting.parse_day(values["valid_from"])
        except ValueError:
            errors["valid_from"] = i18n.message(
                "field.type", lang, field=label("valid_from", lang), expected=formatting.DAY_FORMAT
            )
        if len(values["legal_basis"]) < 3:
            errors["legal_basis"] = i18n.message("field.required", lang, field=label("legal_basis", lang))
        if errors or amount is None or valid_from is None:
            return await render_rules(request, db_session, FormResult(values, errors, 400), rule_id)
        try:
            async with db_session.begin_nested():
                await rules_admin.new_version(
                    db_session,
                    principal,
                    rule_id,
                    amount=amount,
                    unit=values["unit"],
                    legal_basis=values["legal_basis"][:300],
                    valid_from=valid_from,
                    recompute=partial(recompute_open_referrals, reason="referral.rule_recomputed"),
                )
        except AppError as exc:
            return await render_rules(
                request, db_session, FormResult(values, refused(exc, lang, RULE_FIELDS), exc.status), rule_id
            )
        return Redirect("/admin/rules?done=rule_versioned", status_code=303)

    @get("/notifications", media_type=MediaType.HTML)
    async def dead_letters(self, request: HttpRequest, db_session: DbSession) -> Template:
        """Thông báo gửi thất bại / Dead-letter notifications."""
        return await render_notifications(request, db_session)

    @post("/notifications/{notification_id:int}/replay", media_type=MediaType.HTML)
    async def replay(
        self, request: HttpRequest, notification_id: FromPath[int], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Gửi lại / Replay a dead letter: pending again, attempts reset, the replay recorded with its note."""
        note = str((await request.form()).get("note") or "").strip()[:1000]
        try:
            async with db_session.begin_nested():
                await notifications.replay(db_session, principal, notification_id, note, now())
        except AppError as exc:
            return await render_notifications(request, db_session, refused(exc, language(request), ()), exc.status)
        return Redirect("/admin/notifications?done=replayed", status_code=303)
