"""GET /incidents: the incident list as a page, filtered as the API's list is (the maps link here, one unit at a time).

Filters: unit (`2025:03388`, `2024:105`, `2024:03386`), occurred_from / occurred_to (typed dd/mm/yyyy, or ISO as
links carry them), kind, agency, subject_matter, act. Each bad filter is shown beside its field, in the reader's
language, and the list is not run; the data comes from the same scoped query as GET /api/incidents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, get
from litestar.di import Provide
from litestar.response import Template

from schemas.codes import INCIDENT_KINDS, INCIDENT_STATUSES, INFRINGEMENT_ACTS, SUBJECT_MATTERS
from service import i18n, labels
from service.admin_units.service import geo_registry
from service.auth import repository as agencies
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.db import DbSession
from service.errors import AppError
from service.incidents import summaries
from service.incidents.repository import filters
from service.incidents.repository.filters import IncidentFilters
from service.web import formatting
from service.web.context import language, page
from service.web.failures import error_text

PAGE_SIZE = 50
FILTERS = (
    "unit",
    "occurred_from",
    "occurred_to",
    "kind",
    "agency",
    "status",
    "q",
    "duplicates",
    "subject_matter",
    "act",
    "cursor",
)
DUPLICATES = ("flagged", "linked")
CHOICES: dict[str, tuple[str, ...]] = {
    "kind": INCIDENT_KINDS,
    "subject_matter": SUBJECT_MATTERS,
    "act": INFRINGEMENT_ACTS,
    "status": INCIDENT_STATUSES,
    "duplicates": DUPLICATES,
}


@dataclass
class ListForm:
    """What was asked (kept as typed), the errors beside their fields, and the filters when there are none."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    filters: IncidentFilters = field(default_factory=IncidentFilters)

    def query(self, **extra: str) -> str:
        """The list's own query string (dates as ISO), for its next page and its CSV/XLSX of the same rows."""
        return urlencode({**{k: v for k, v in self.values.items() if k != "cursor"}, **extra})


def parse(raw: Mapping[str, Any], lang: i18n.Language) -> ListForm:
    """Each filter checked on its own; days typed dd/mm/yyyy (or ISO)."""
    values = {name: raw[name].strip() for name in FILTERS if isinstance(raw.get(name), str) and raw[name].strip()}
    form = ListForm(values)
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name == "cursor":
            continue
        if name in CHOICES and value not in CHOICES[name]:
            form.errors[name] = i18n.message("field.invalid_choice", lang, field=name, choices=", ".join(CHOICES[name]))
        elif name.startswith("occurred_"):
            try:
                checked[name] = formatting.parse_day(value)
                values[name] = checked[name].isoformat()
            except ValueError:
                form.errors[name] = i18n.message("field.type", lang, field=name, expected=formatting.DAY_FORMAT)
        elif name == "unit" and not filters.UNIT_FILTER.match(value):
            form.errors[name] = i18n.message("incident.bad_unit_filter", lang, field=name)
        else:
            checked[name] = value[:100]
    form.filters = IncidentFilters(**checked)
    return form


def _unit_title(request: Request[Any, Any, Any], unit: str | None, lang: i18n.Language) -> str | None:
    if not unit or ":" not in unit:
        return None
    generation, code = unit.split(":", 1)
    names = geo_registry(request).names.get((code, generation))
    return names[1] if names else unit


class IncidentListPageController(Controller):
    """The incident list page (logged-in users; each sees what the API's list shows them)."""

    path = "/incidents"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/", media_type=MediaType.HTML)
    async def incident_list(
        self, request: Request[Any, Any, Any], db_session: DbSession, principal: PrincipalDep
    ) -> Template:
        """Danh sách vụ việc / Incidents, filtered (by unit, period, kind, agency…), newest recorded first."""
        lang = language(request)
        form = parse(dict(request.query_params), lang)
        found, status = None, 200
        if form.errors:
            status = 400
        else:
            try:
                found = await summaries.list_summaries(
                    db_session, principal, form.filters, form.values.get("cursor"), PAGE_SIZE
                )
            except AppError as exc:
                form.errors[exc.field or "unit"] = error_text(exc, lang, field=exc.field or "")
                status = exc.status
        names = geo_registry(request).names
        context = {
            "form": form,
            "found": found,
            "unit_title": _unit_title(request, form.filters.unit, lang),
            "kinds": [(code, labels.label(labels.KINDS, code, lang)) for code in INCIDENT_KINDS],
            "statuses": [(code, i18n.message(f"ui.incidents.status.{code}", lang)) for code in INCIDENT_STATUSES],
            "duplicate_options": [
                (code, i18n.message(f"ui.incidents.list.duplicates.{code}", lang)) for code in DUPLICATES
            ],
            "agencies": [
                (a.code, f"{a.code} – {a.name_vi if lang == 'vi' else a.name_en}")
                for a in await agencies.list_agencies(db_session)
            ],
            "unit_options": sorted(
                ((f"{gen}:{code}", name[1]) for (code, gen), name in names.items() if gen == "2025"), key=lambda o: o[1]
            ),
            "kind_label": lambda code: labels.label(labels.KINDS, code, lang),
            "unit_name": lambda code: names.get((code, "2025"), (code or "–", code or "–"))[1],
        }
        return page(request, "incidents/list.html.j2", status=status, **context)
