"""GET /sanctions: the sanction decisions the reader may see, filtered as GET /api/sanctions, with its downloads.

A plain GET form (works without JavaScript): each filter is checked on its own and a wrong one is shown beside its
field with what was typed, then the list route's own query (service/sanctions/queries.py, its statement in
repository.py) runs with the same scope, filters and redaction. The CSV and XLSX links carry the same filters to
GET /api/sanctions/export.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, get
from litestar.di import Provide
from litestar.response import Template

from schemas.codes import INCIDENT_KINDS, INFRINGEMENT_ACTS, PaymentStatus, PrincipalSanction
from schemas.sanctions import SanctionListItem
from service import i18n, labels
from service.admin_units.service import geo_registry
from service.auth import repository as agencies
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.db import DbSession
from service.errors import AppError
from service.incidents import disclosures
from service.sanctions import queries
from service.sanctions.repository import SanctionFilters, filter_conditions
from service.web import formatting
from service.web.context import language, page
from service.web.failures import error_text
from service.web.formatting import export_links

Lang = i18n.Language
PAGE_SIZE = 50
MAX_TEXT = 200  # as the API's `q`
FILTERS = tuple(field.name for field in dataclasses.fields(SanctionFilters))
DAYS = ("decided_from", "decided_to")
PAYMENT_STATUSES: tuple[str, ...] = PaymentStatus.__args__  # type: ignore[attr-defined]
PRINCIPAL_SANCTIONS: tuple[str, ...] = PrincipalSanction.__args__  # type: ignore[attr-defined]
EXPORT_PATH = "/api/sanctions/export"
NATIONAL_RECORD_PATH = "/api/sanctions/national-record"


@dataclasses.dataclass
class SanctionForm:
    """The filters as typed (kept on error), the errors beside each, and the checked filters when none failed."""

    values: dict[str, str]
    errors: dict[str, str]
    filters: SanctionFilters
    cursor: str | None


def filter_label(name: str, lang: Lang) -> str:
    """A filter's label, as its field is named in the error beside it."""
    key = f"ui.sanctions.filter.{name}"
    return i18n.message(key, lang) if key in i18n.MESSAGES else name


def _unit_error(unit: str, lang: Lang) -> str | None:
    """The list's own message for a unit filter it would refuse (``2025:03388``, ``2024:105``)."""
    try:
        filter_conditions(SanctionFilters(unit=unit))
    except AppError as exc:
        return error_text(exc, lang, field=filter_label("unit", lang))
    return None


def parse_form(raw: Mapping[str, str], agency_codes: Collection[str], lang: Lang) -> SanctionForm:
    """Each filter checked on its own, as the API's parameters are; every error kept beside its field."""
    values = {name: raw[name].strip() for name in FILTERS if isinstance(raw.get(name), str) and raw[name].strip()}
    errors: dict[str, str] = {}
    checked: dict[str, Any] = {}

    def fail(name: str, code: str, **params: object) -> None:
        errors[name] = i18n.message(code, lang, field=filter_label(name, lang), **params)

    choices: dict[str, Collection[str]] = {
        "agency": agency_codes,
        "payment_status": PAYMENT_STATUSES,
        "principal_sanction": PRINCIPAL_SANCTIONS,
        "act": INFRINGEMENT_ACTS,
        "kind": INCIDENT_KINDS,
    }
    for name, value in values.items():
        if name in choices and value not in choices[name]:
            fail(name, "field.invalid_choice")
        elif name in DAYS:
            try:
                checked[name] = formatting.parse_day(value)
                values[name] = checked[name].isoformat()  # links and downloads; the field shows dd/mm/yyyy
            except ValueError:
                fail(name, "field.type", expected=formatting.DAY_FORMAT)
        elif len(value) > MAX_TEXT:
            fail(name, "field.too_long", limit=MAX_TEXT)
        elif name == "unit" and (error := _unit_error(value, lang)):
            errors[name] = error
        else:
            checked[name] = value
    cursor = raw.get("cursor") or None
    return SanctionForm(values, errors, SanctionFilters(**checked), cursor if isinstance(cursor, str) else None)


def value_label(code: str, lang: Lang) -> str:
    """A sanction code's label (principal sanction, payment status), as the incident page shows it."""
    key = f"ui.incident.value.{code}"
    return i18n.message(key, lang) if key in i18n.MESSAGES else code


def _query(values: Mapping[str, str], **extra: str) -> str:
    return "/sanctions?" + urlencode({**values, **extra}) if values or extra else "/sanctions"


def national_record_links(values: Mapping[str, str]) -> dict[str, str]:
    """The national record (Decree 20/2016) of the period the filters name, this year's by default."""
    period = {key: values[key] for key in ("decided_from", "decided_to") if values.get(key)}
    return {fmt: f"{NATIONAL_RECORD_PATH}?{urlencode(period | {'format': fmt})}" for fmt in ("xlsx", "json")}


class SanctionPageController(Controller):
    """The sanction list page (every logged-in user; the API's scope)."""

    path = "/sanctions"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def sanctions(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession
    ) -> Template:
        """Quyết định xử phạt / Sanction decisions: filters with their errors, the list, its CSV and XLSX."""
        lang = language(request)
        names = {a.code: a.name_vi if lang == "vi" else a.name_en for a in await agencies.list_agencies(db_session)}
        form = parse_form(dict(request.query_params), names, lang)
        items: list[SanctionListItem] = []
        next_cursor: str | None = None
        status = 400 if form.errors else 200
        if not form.errors:
            try:
                found = await queries.list_sanctions(db_session, principal, form.filters, form.cursor, PAGE_SIZE)
                items, next_cursor = found.items, found.next_cursor
                await disclosures.record_sanctions(db_session, principal, items, view="page.sanctions")
            except AppError as exc:
                field = exc.field if exc.field in (*FILTERS, "cursor") else "form"
                # Fields named in the message are named by their labels, as beside the form's fields.
                params = {k: filter_label(str(v), lang) if k == "start" else v for k, v in exc.params.items()}
                form.errors[field] = i18n.message(exc.code, lang, **({"field": filter_label(field, lang)} | params))
                status = exc.status
        units = geo_registry(request).names
        unit_options = sorted(
            ((f"2025:{code}", full) for (code, generation), (_, full) in units.items() if generation == "2025"),
            key=lambda option: option[1],
        )
        context = {
            "form": form,
            "items": items,
            "agency_names": names,
            "next_url": _query(form.values, cursor=next_cursor) if next_cursor else None,
            "first_url": _query(form.values) if form.cursor else None,
            "downloads": None if form.errors else export_links(EXPORT_PATH, **form.values),
            "national_record": national_record_links(form.values),
            "agency_options": [(code, f"{code} – {name}") for code, name in names.items()],
            "kind_options": [(code, labels.label(labels.KINDS, code, lang)) for code in INCIDENT_KINDS],
            "act_options": [(code, labels.label(labels.INFRINGEMENT_ACTS, code, lang)) for code in INFRINGEMENT_ACTS],
            "payment_options": [(code, value_label(code, lang)) for code in PAYMENT_STATUSES],
            "principal_options": [(code, value_label(code, lang)) for code in PRINCIPAL_SANCTIONS],
            "unit_options": unit_options,
            "value": lambda code: value_label(code, lang),
            "kind_label": lambda code: labels.label(labels.KINDS, code, lang),
            "unit_name": lambda code: units.get((code, "2025"), (code or "–", code or "–"))[1],
        }
        return page(request, "sanctions/list.html.j2", status=status, **context)
