"""GET /reports: the report form (a year or a period, units, language), the tables at a glance, the downloads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from service import i18n
from service.auth.guards import require_coordinator
from service.clock import local_day, now
from service.db import DbSession
from service.errors import AppError
from service.reports import service
from service.reports.layout import display
from service.reports.tables import Period
from service.web import formatting
from service.web.context import language, page
from service.web.failures import error_pair

Errors = dict[str, tuple[str, str]]
DOWNLOADS = ("xlsx", "csv", "pdf")


@dataclass
class Form:
    """What the user asked for (kept on error), the errors beside their fields, and the checked request."""

    values: dict[str, str]
    errors: Errors = field(default_factory=dict)
    period: Period | None = None
    generation: str = "2025"
    lang: i18n.Language = "vi"

    def fail(self, name: str, code: str, **params: object) -> None:
        """Keep an error beside its field."""
        self.errors[name] = i18n.both(code, field=name, **params)

    def downloads(self) -> dict[str, str]:
        """The API address of each file of this report."""
        mode = self.values["mode"]
        query: dict[str, str] = {"generation": self.generation, "lang": self.lang}
        if mode == "year":
            path, query = "/api/reports/yearly", {"year": self.values["year"], **query}
        else:
            path, query = "/api/reports/period", {"start": self.values["start"], "end": self.values["end"], **query}
        files = {fmt: f"{path}?{urlencode({**query, 'format': fmt})}" for fmt in DOWNLOADS}
        if mode == "year":  # the yearly report as the agency's signed document (docs/documents.md)
            signed = {"year": self.values["year"], "generation": self.generation}
            files["signed"] = f"/api/reports/yearly/signed?{urlencode(signed)}"
        return files


def _day(form: Form, name: str) -> date | None:
    value = form.values.get(name, "")
    if not value:
        form.fail(name, "field.required")
        return None
    try:
        parsed = formatting.parse_day(value)
    except ValueError:
        form.fail(name, "field.type", expected=formatting.DAY_FORMAT)
        return None
    form.values[name] = parsed.isoformat()  # the downloads' query; the field shows it as dd/mm/yyyy
    return parsed


def _period(form: Form, today: date) -> Period | None:
    """The year or the period asked for, each rule checked as the API checks it."""
    try:
        if form.values["mode"] == "year":
            return service.year_period(int(form.values["year"]), today)
        start, end = _day(form, "start"), _day(form, "end")
        return service.checked_period(start, end) if start and end else None
    except ValueError:
        form.fail("year", "field.type", expected="YYYY")
    except AppError as exc:
        form.errors[exc.field or "form"] = error_pair(exc)
    return None


def parse(raw: Mapping[str, str], today: date, reader: i18n.Language) -> Form:
    """The form's fields checked one by one; defaults: this year, the 2025 units, the reader's language."""
    values = {k: v for k, v in raw.items() if isinstance(v, str)}
    values.setdefault("mode", "period" if values.get("start") or values.get("end") else "year")
    values.setdefault("year", str(today.year))
    values.setdefault("generation", "2025")
    values.setdefault("lang", reader)
    form = Form(values)
    for name, allowed in (("mode", ("year", "period")), ("generation", ("2025", "2024")), ("lang", ("vi", "en"))):
        if values[name] not in allowed:
            form.fail(name, "field.invalid_choice")
    if form.errors:
        return form
    form.generation, form.lang = values["generation"], values["lang"]  # type: ignore[assignment]
    form.period = _period(form, today)
    return form


async def report_context(request: Request[Any, Any, Any], session: AsyncSession) -> tuple[dict[str, Any], int]:
    """The page's context and status: the report when the form is good, else 400 with the errors."""
    form = parse(dict(request.query_params), local_day(now()), language(request))
    context: dict[str, Any] = {"form": form, "report": None}
    if form.period is None:
        return context, 400
    laid = await service.laid_out(session, form.period, form.generation, form.lang)
    context |= {"report": laid, "downloads": form.downloads(), "cell": lambda v, c: display(v, c, form.lang)}
    return context, 200


class ReportPageController(Controller):
    """The reports page, for coordinators and administrators (others get a 403 page)."""

    path = "/reports"
    guards = [require_coordinator]
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def reports(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        """Báo cáo / Reports."""
        context, status = await report_context(request, db_session)
        return page(request, "reports/index.html.j2", status=status, **context)
