"""The "Tính hạn" page beside the referral inbox: staff check a deadline by hand (no JavaScript needed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from litestar import Controller, MediaType, Request, get
from litestar.di import Provide
from litestar.response import Template

from schemas.calendar import DeadlineUnit, DueDateOut
from service import i18n
from service.auth.guards import provide_principal, require_login
from service.calendar import duedates
from service.calendar.routes import MAX_AMOUNT
from service.db import DbSession
from service.errors import AppError
from service.web.context import language, page
from service.web.failures import error_text

UNITS: tuple[str, ...] = get_args(DeadlineUnit)
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass
class DueDateForm:
    """What the reader typed, and each field's error in their language."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    start: date | None = None
    amount: int | None = None


def parse_start(text: str) -> date | None:
    """A day written dd/mm/yyyy (or YYYY-MM-DD, as a date picker sends it), else None."""
    text = text.strip()
    match = _DMY.fullmatch(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def parse_form(values: dict[str, str], lang: i18n.Language) -> DueDateForm:
    """The form's three fields checked one by one, so that each error sits beside its field."""
    form = DueDateForm(values=values)
    form.start = parse_start(values.get("start", ""))
    if form.start is None:
        form.errors["start"] = i18n.message("calendar.bad_start", lang, value=values.get("start", "")[:40])
    amount = values.get("amount", "").strip()
    if amount.isdigit() and 1 <= int(amount) <= MAX_AMOUNT:
        form.amount = int(amount)
    else:
        form.errors["amount"] = i18n.message("calendar.bad_amount", lang, max=MAX_AMOUNT)
    if values.get("unit") not in UNITS:
        form.errors["unit"] = i18n.message("calendar.bad_unit", lang)
    return form


class DueDatePageController(Controller):
    """GET /referrals/due-date: the form; with its fields filled in, the due date and why."""

    path = "/referrals/due-date"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def due_date_page(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        """Tính hạn / Deadline calculator."""
        lang = language(request)
        values = {k: v for k, v in request.query_params.items() if k in ("start", "amount", "unit")}
        if not values:
            return page(request, "calendar/due_date.html.j2", form=DueDateForm(values={"unit": "working_days"}))
        form = parse_form(values, lang)
        result: DueDateOut | None = None
        if not form.errors and form.start and form.amount:
            try:
                unit: DeadlineUnit = values["unit"]  # checked against UNITS above
                result = await duedates.explain_due_date(db_session, form.start, form.amount, unit)
            except AppError as exc:
                form.errors[exc.field or "start"] = error_text(exc, lang, field=exc.field or "")
        status = 400 if form.errors else 200
        return page(request, "calendar/due_date.html.j2", status=status, form=form, result=result)
