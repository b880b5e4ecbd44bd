"""One incident as a page: its facts, history, attachments and referrals."""

from __future__ import annotations

import dataclasses
import re
import uuid
from typing import Any

from litestar import Controller, MediaType, Request, get
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.incidents import INCIDENT_INPUTS, HistoryEntryOut, IncidentOut
from schemas.referrals import ReferralOut
from service import i18n, labels
from service.admin_units import service as admin_units
from service.attachments import service as attachments
from service.auth import repository as agencies
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.auth.principal import Principal
from service.calendar.repository import load_rules
from service.calendar.workdays import working_days_until
from service.cases import queries as case_queries
from service.clock import local_day, now
from service.db import DbSession
from service.errors import AppError
from service.incident_pages import repository
from service.incidents import disclosures, queries
from service.referrals import views as referral_views
from service.sanctions import service as sanctions
from service.takedowns import pages as takedown_pages
from service.web import formatting as fmt
from service.web.context import language, page
from service.web.failures import error_text
from service.web.formatting import code_label

Lang = i18n.Language
# Fields every kind has, shown as the incident's facts; the rest are the kind's own details.
COMMON_FIELDS = frozenset.intersection(*(frozenset(c.__struct_fields__) for c in INCIDENT_INPUTS.values()))
FACT_FIELDS = (
    "occurred_at",
    "detected_at",
    "team",
    "subject_matter",
    "infringement_acts",
    "right_holder",
    "violator",
    "legal_basis",
    "is_counterfeit",
    "is_ip_infringement",
    "illegal_profit_vnd",
    "damage_vnd",
)
SHOWN_APART = frozenset({"kind", "goods", "location", "unit", "summary"})
CODE_TABLES = {"subject_matter": labels.SUBJECT_MATTERS, "infringement_acts": labels.INFRINGEMENT_ACTS}
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T")
MAX_CHANGE_TEXT = 500


@dataclasses.dataclass(frozen=True)
class Shower:
    """Turns stored values into text for the reader: labels for codes, dd/mm/yyyy, `1.250.000 ₫`."""

    lang: Lang

    def label(self, prefix: str, code: str) -> str:
        """A catalogue label, or the code itself."""
        return code_label(self.lang)(prefix, code)

    def field(self, name: str, parent: str = "") -> str:
        """A field's label, looked up under its parent first (`goods.unit` is not the administrative unit)."""
        key = f"ui.incident.field.{parent}.{name}"
        return i18n.message(key, self.lang) if parent and key in i18n.MESSAGES else self.field_only(name)

    def field_only(self, name: str) -> str:
        """A field's own label."""
        return self.label("ui.incident.field", name)

    def value(self, name: str, value: Any) -> str:
        """Any stored value as text."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return i18n.message("ui.incident.yes" if value else "ui.incident.no", self.lang)
        if isinstance(value, int | float):
            return fmt.vnd(value) if name.endswith("_vnd") else fmt.number(value, 0 if isinstance(value, int) else 5)
        if isinstance(value, str):
            return self.text(name, value)
        if isinstance(value, list):
            return "; ".join(self.item(name, item) for item in value)
        if isinstance(value, dict):
            return self.mapping(name, value)
        return str(value)

    def text(self, name: str, value: str) -> str:
        """A string: a date, a moment, a code with a label, or plain text."""
        if ISO_DAY.match(value):
            return fmt.day(value)
        if ISO_MOMENT.match(value):
            return fmt.moment(value)
        table = CODE_TABLES.get(name)
        if table is not None:
            return labels.label(table, value, self.lang)
        for prefix in ("ui.incident.value", "ui.referrals.outcome"):
            if f"{prefix}.{value}" in i18n.MESSAGES:
                return self.label(prefix, value)
        return value

    def item(self, name: str, item: Any) -> str:
        """One element of a list (a legal basis cited as lawyers write it, a party as `role: name`)."""
        if name == "legal_basis" and isinstance(item, dict):
            parts = [str(item.get("document", ""))]
            parts += [self.cite(key, item.get(key)) for key in ("article", "clause", "point") if item.get(key)]
            return ", ".join(parts)
        if name == "parties" and isinstance(item, dict):
            return f"{self.text('role', str(item.get('role', '')))}: {item.get('name', '')}"
        return self.value(name, item)

    def cite(self, key: str, number: Any) -> str:
        """`Điều 12` / `art. 12`."""
        return i18n.message(f"ui.incident.basis.{key}", self.lang, n=number)

    def mapping(self, name: str, value: dict[str, Any]) -> str:
        """A nested object as `label: value` pairs (a numbered decision as `number, dd/mm/yyyy`)."""
        if set(value) == {"number", "date"}:
            return f"{value['number']}, {fmt.day(value['date'])}"
        pairs = [(k, self.value(k, v)) for k, v in value.items()]
        return "; ".join(f"{self.field(k, name)}: {text}" for k, text in pairs if text)

    def pairs(self, names: Any, data: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, text) for each named field that has a value."""
        shown = ((n, self.value(n, data.get(n))) for n in names)
        return [(self.field_only(n), text) for n, text in shown if text]


def kind_fields(kind: str) -> list[str]:
    """The fields of this kind's input beyond those every incident has, in the schema's order."""
    cls = INCIDENT_INPUTS.get(kind)
    fields = cls.__struct_fields__ if cls else ()
    return [name for name in fields if name not in COMMON_FIELDS and name not in SHOWN_APART]


@dataclasses.dataclass(frozen=True)
class HistoryLine:
    """One history entry as the page shows it."""

    entry: HistoryEntryOut
    changes: list[tuple[str, str]]


def history_lines(entries: list[HistoryEntryOut], show: Shower) -> list[HistoryLine]:
    """Each change as `field: old → new` (the first entry is the record itself, shown above)."""
    lines = []
    for entry in entries:
        changes = [] if entry.action == "created" else [change_text(k, v, show) for k, v in entry.changes.items()]
        lines.append(HistoryLine(entry, changes))
    return lines


def change_text(name: str, value: Any, show: Shower) -> tuple[str, str]:
    """(field label, what changed), cut to a readable length."""
    if isinstance(value, dict) and set(value) == {"old", "new"}:
        text = f"{show.value(name, value['old']) or '–'} → {show.value(name, value['new']) or '–'}"
    else:
        text = show.value(name, value)
    return show.field_only(name), text if len(text) <= MAX_CHANGE_TEXT else text[:MAX_CHANGE_TEXT] + "…"


def crime_sign_texts(incident: IncidentOut, show: Shower) -> list[str]:
    """Each criminal threshold the incident reaches, in words."""
    return [
        i18n.message(
            "ui.incident.crime_sign",
            show.lang,
            article=sign.article,
            measure=show.label("ui.incident.measure", sign.measure),
            value=fmt.vnd(sign.value_vnd),
            threshold=fmt.vnd(sign.threshold_vnd),
            basis=sign.legal_basis,
        )
        for sign in incident.crime_signs
    ]


async def referrals_about(
    session: AsyncSession, principal: Principal, incident_id: uuid.UUID, codes: dict[uuid.UUID, str]
) -> list[ReferralOut]:
    """The referrals about this incident the reader may see (sent or received by their agency), with clocks."""
    rows = await repository.referrals_about(session, principal, incident_id)
    today = local_day(now())
    rules = await load_rules(session, today)
    return [
        referral_views.referral_out(r, codes[r.from_agency_id], codes[r.to_agency_id], rules, today, principal)
        for r in rows
    ]


async def _unit_names(session: AsyncSession) -> dict[tuple[str, str], str]:
    return {(u.code, u.generation): u.full_name for u in await admin_units.list_units(session, None, None)}


async def _lookups(session: AsyncSession, lang: Lang) -> dict[str, Any]:
    """Agency names and ids, unit names, labels and the working-day counter of the page."""
    today = local_day(now())
    every = await agencies.list_agencies(session)
    work_calendar = (await load_rules(session, today)).calendar
    return {
        "agency_names": {a.code: a.name_vi if lang == "vi" else a.name_en for a in every},
        "agency_codes": {a.id: a.code for a in every},
        "unit_names": await _unit_names(session),
        "label": code_label(lang),
        "workdays": working_days_until(today, work_calendar),
    }


async def render_incident(
    request: Request[Any, Any, Any], session: AsyncSession, principal: Principal, incident_id: uuid.UUID
) -> Template:
    """The incident as the API shows it to this reader (same scope, same redaction), with everything about it."""
    lang = language(request)
    try:
        incident = await queries.get_incident(session, principal, incident_id)
    except AppError as exc:
        return page(request, "incidents/view.html.j2", status=exc.status, incident=None, problem=error_text(exc, lang))
    show = Shower(lang)
    lookups = await _lookups(session, lang)
    history = await queries.history(session, principal, incident_id)
    context: dict[str, Any] = {
        "incident": incident,
        "kind_label": labels.label(labels.KINDS, incident.kind, lang),
        "facts": show.pairs(FACT_FIELDS, incident.data),
        "details": show.pairs(kind_fields(incident.kind), incident.data),
        "crime_signs": crime_sign_texts(incident, show),
        "decisions": await sanctions.list_sanctions(session, principal, incident_id),
        "files": await attachments.list_attachments(session, principal, incident_id),
        "referrals": await referrals_about(session, principal, incident_id, lookups.pop("agency_codes")),
        **await takedown_pages.incident_section(session, principal, incident_id),
        "history": history_lines(history, show),
        "show": show,
        "case_note": await case_queries.case_note(session, principal, incident_id),
        "coordinator": principal.sees_all_agencies,
        "can_sanction": principal.sees_all_agencies or incident.agency_code == principal.agency_code,
        "can_refer": True,  # any reader of the incident may refer it (the referral service decides the rest)
        "kind_labels": {code: labels.label(labels.KINDS, code, lang) for code in labels.KINDS},
    }
    shown = disclosures.shown_fields(incident.data)
    shown += [field for entry in history for field in disclosures.history_fields(entry.changes)]
    shown += [field for record in context["decisions"] for field in disclosures.decision_fields(record)]
    await disclosures.record_payloads(session, principal, [(incident.id, shown)], view="page.incident")
    return page(request, "incidents/view.html.j2", **lookups, **context)


class IncidentViewPageController(Controller):
    """GET /incidents/{id}: one incident for whoever may read it through the API."""

    path = "/incidents"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/{incident_id:uuid}", media_type=MediaType.HTML)
    async def incident(
        self,
        request: Request[Any, Any, Any],
        incident_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> Template:
        """Vụ việc / One incident: facts, goods, place, crime signs, sanctions, attachments, referrals, history."""
        return await render_incident(request, db_session, principal, incident_id)
