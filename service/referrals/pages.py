"""Agency staff pages: referral inbox and outbox with clocks, one referral with its timeline and actions."""

from __future__ import annotations

import dataclasses
import functools
import uuid
from collections.abc import Collection, Mapping
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.incidents import IncidentOut
from schemas.referrals import ReferralActionIn, ReferralOut, ReferralStatus
from service import i18n, labels
from service.admin_units.service import geo_registry
from service.attachments import service as attachments
from service.attachments.models import Attachment
from service.auth import repository as agencies
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.auth.principal import Principal
from service.calendar.repository import load_rules
from service.calendar.workdays import working_days_until
from service.clock import local_day, now
from service.db import DbSession
from service.errors import AppError, field_error_from_message, validation_parts
from service.incidents import briefs as incident_briefs
from service.incidents import queries as incident_queries
from service.referrals import service, views
from service.referrals.incoming import incoming_files

# The API's own scope rule (another agency's queue: coordinators only) and filters, reused as they are.
from service.referrals.routes import queue_agency, queue_filters
from service.referrals.transitions import REFERRAL_TYPES, Action, outcomes_for
from service.web import formatting
from service.web.context import language, page
from service.web.failures import error_text
from service.web.formatting import code_label

Lang = i18n.Language
Errors = dict[str, str]
STATUSES: tuple[str, ...] = ReferralStatus.__args__  # type: ignore[attr-defined]
QUEUE_LIMIT = 100  # what the API returns by default, due first
PARTY_LIMIT = 500  # the API's maximum, read when the page narrows the queue by the other agency
ACTION_TYPES: dict[str, type[Any]] = {cls.__struct_config__.tag: cls for cls in ReferralActionIn.__args__}
FORM_FIELDS = ("action", "note", "outcome", "version")
TRUE = ("true", "1", "on")


def app_error_text(exc: AppError, lang: Lang, field: str | None = None) -> str:
    """An AppError in the reader's language, its field and codes named by their labels."""
    if exc.code == "referral.version_conflict":  # pages never show internal version numbers
        return i18n.message("ui.referrals.stale", lang)
    label = code_label(lang)
    params = {
        name: label(f"ui.referrals.{name}", str(exc.params[name]))
        for name in ("action", "status")
        if name in exc.params
    }
    field = field or (label("ui.referrals.field", exc.field) if exc.field else "")
    return error_text(exc, lang, field=field, **params)


@dataclasses.dataclass
class QueueForm:
    """The queue filters as typed (kept on error) and as checked."""

    values: dict[str, str]
    errors: Errors
    status: str | None = None
    type: str | None = None
    due_before: date | None = None
    overdue: bool = False
    agency: str | None = None
    party: str | None = None


def filter_label(name: str, lang: Lang, incoming: bool) -> str:
    """The label of a queue filter, as its field is named in error messages."""
    key = {"agency": "queue_of", "party": "from_agency" if incoming else "to_agency"}.get(name, name)
    return code_label(lang)("ui.referrals.filter", key)


def parse_queue(raw: Mapping[str, str], agency_codes: Collection[str], lang: Lang, incoming: bool) -> QueueForm:
    """Each filter checked on its own, every error kept beside its field."""
    form = QueueForm(values={k: v for k, v in raw.items() if isinstance(v, str)}, errors={})

    def fail(name: str, code: str, **params: object) -> None:
        form.errors[name] = i18n.message(code, lang, field=filter_label(name, lang, incoming), **params)

    def choice(name: str, allowed: Collection[str]) -> str | None:
        value = raw.get(name) or None
        if value is not None and value not in allowed:
            fail(name, "field.invalid_choice")
            return None
        return value

    form.status, form.type = choice("status", STATUSES), choice("type", REFERRAL_TYPES)
    form.agency, form.party = choice("agency", agency_codes), choice("party", agency_codes)
    try:
        form.due_before = formatting.parse_day(raw["due_before"]) if raw.get("due_before") else None
    except ValueError:
        fail("due_before", "field.type", expected=formatting.DAY_FORMAT)
    overdue = (raw.get("overdue") or "").lower()
    if overdue and overdue not in TRUE:
        fail("overdue", "field.type", expected="true")
    form.overdue = overdue in TRUE
    return form


async def _queue(
    session: AsyncSession, principal: Principal, form: QueueForm, incoming: bool
) -> tuple[list[ReferralOut], bool]:
    """The API's queue for these filters, narrowed to the other agency if asked; and whether it hit the limit."""
    agency_id = await queue_agency(session, principal, form.agency)
    limit = PARTY_LIMIT if form.party else QUEUE_LIMIT
    filters = queue_filters(form.status, form.type, form.due_before, form.overdue, limit)
    items = await views.queue(session, principal, agency_id=agency_id, incoming=incoming, filters=filters)
    full = len(items) >= limit
    if form.party:
        items = [r for r in items if (r.from_agency if incoming else r.to_agency) == form.party]
    return items, full


async def _shared(request: Request[Any, Any, Any], session: AsyncSession) -> dict[str, Any]:
    """Agency names, code labels and the working-day counter every referral page uses."""
    lang = language(request)
    today = local_day(now())
    work_calendar = (await load_rules(session, today)).calendar
    names = {a.code: a.name_vi if lang == "vi" else a.name_en for a in await agencies.list_agencies(session)}
    return {
        "agency_names": names,
        "label": code_label(lang),
        "kind_label": lambda code: labels.label(labels.KINDS, code, lang),
        "workdays": working_days_until(today, work_calendar),
    }


async def render_queue(
    request: Request[Any, Any, Any], session: AsyncSession, principal: Principal, *, incoming: bool
) -> Template:
    """An inbox or outbox page: filters (errors beside their field, status 400/403/404) and the referrals."""
    lang = language(request)
    shared = await _shared(request, session)
    names, label = shared["agency_names"], shared["label"]
    form = parse_queue(dict(request.query_params), names, lang, incoming)
    items: list[ReferralOut] = []
    full, status = False, 400 if form.errors else 200
    if not form.errors:
        try:
            items, full = await _queue(session, principal, form, incoming)
        except AppError as exc:
            field = exc.field or "form"
            form.errors[field] = app_error_text(exc, lang, filter_label(field, lang, incoming))
            status = exc.status
    units = geo_registry(request).names
    context = {
        "briefs": await incident_briefs.briefs(session, principal, [r.incident_id for r in items], units),
        "incoming": incoming,
        "form": form,
        "items": items,
        "full": full,
        "limit": PARTY_LIMIT if form.party else QUEUE_LIMIT,
        "coordinator": principal.sees_all_agencies,
        "status_options": [(code, label("ui.referrals.status", code)) for code in STATUSES],
        "type_options": [(code, label("ui.referrals.type", code)) for code in REFERRAL_TYPES],
        "agency_options": [(code, f"{code} – {name}") for code, name in names.items()],
    }
    return page(request, "referrals/queue.html.j2", status=status, **shared, **context)


@dataclasses.dataclass(frozen=True)
class ActionForm:
    """One action the reader may take now, and what its form asks for."""

    action: str
    note_min: int  # 0: the note is optional
    outcomes: tuple[str, ...]


@functools.cache
def note_minimum(action: str) -> int:
    """The shortest note the action's schema accepts (0 when the note may be left empty)."""
    info = msgspec.inspect.type_info(ACTION_TYPES[action])
    note = next(f for f in info.fields if f.name == "note")  # type: ignore[attr-defined]
    return int(getattr(note.type, "min_length", None) or 0)


def action_forms(referral: ReferralOut) -> list[ActionForm]:
    """The forms of the actions the API allows this reader on this referral, in table order."""
    return [
        ActionForm(a, note_minimum(a), outcomes_for(referral.type) if a == Action.CLOSE else ())
        for a in referral.allowed_actions
    ]


@dataclasses.dataclass
class Failure:
    """An action that was refused: which one, the errors by field, and what was typed."""

    action: str
    errors: Errors
    values: dict[str, str]
    status: int


def decode_action(values: Mapping[str, str]) -> ReferralActionIn:
    """The API's action body from the form's fields (the same schema, so the same rules)."""
    body: dict[str, Any] = {"action": values["action"], "note": values["note"].strip()}
    if values["version"]:
        body["version"] = values["version"]
    if values["action"] == Action.CLOSE:
        body["outcome"] = values["outcome"]
    action: ReferralActionIn = msgspec.convert(body, ReferralActionIn, strict=False)
    return action


def invalid_form(exc: msgspec.ValidationError, values: dict[str, str], lang: Lang) -> Failure:
    """A schema refusal as an error beside the field it names."""
    text, path = validation_parts(exc)
    field = path or "action"
    error = field_error_from_message(code_label(lang)("ui.referrals.field", field), text)
    message = error.message_vi if lang == "vi" else error.message_en
    return Failure(values["action"], {field: message}, values, 400)


async def render_referral(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    referral_id: uuid.UUID,
    failure: Failure | None = None,
) -> Template:
    """One referral: its clocks, the incident it is about, the actions allowed now, its timeline."""
    lang = language(request)
    try:
        referral = await views.get_referral(session, principal, referral_id)
    except AppError as exc:
        status = failure.status if failure else exc.status
        return page(
            request, "referrals/referral.html.j2", status=status, referral=None, problem=app_error_text(exc, lang)
        )
    forms = [f for f in action_forms(referral) if f.action != Action.PROVIDE_INFORMATION]
    shown = {f.action for f in forms}
    top = [] if failure is None else [m for f, m in failure.errors.items() if f not in ("note", "outcome")]
    if failure is not None and failure.action not in shown:
        top = list(failure.errors.values())
    events = await views.timeline(session, principal, referral_id)
    incident_files = await _incident_files(session, principal, referral.incident_id)
    asked = next((e.note for e in reversed(events) if e.action == Action.REQUEST_INFORMATION), None)
    context = {
        "referral": referral,
        "events": events,
        "asked": asked if referral.awaiting_information else None,
        "incident_files": incident_files,
        "file_names": {f.id: f.file_name for f in incident_files},
        "sender": referral.from_agency == principal.agency_code,
        "incident": await _incident(session, principal, referral.incident_id),
        "files": await _sent_files(session, principal, referral),
        "incoming": await incoming_files(session, referral.id, referral.incident_id),
        "units": geo_registry(request).names,
        "forms": forms,
        "failure": failure,
        "top_errors": top,
        "notice": _notice(request, referral, lang),
        "receiver": referral.to_agency == principal.agency_code,
    }
    shared = await _shared(request, session)
    return page(request, "referrals/referral.html.j2", status=failure.status if failure else 200, **shared, **context)


async def _incident_files(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> list[Attachment]:
    """The incident's files the reader may download, or none when the incident is not visible."""
    try:
        return await attachments.list_attachments(session, principal, incident_id)
    except AppError:
        return []


async def _sent_files(session: AsyncSession, principal: Principal, referral: ReferralOut) -> list[Attachment]:
    """The incident's files the sender attached to the referral, for the download links."""
    if not referral.attachment_ids:
        return []
    try:
        files = await attachments.list_attachments(session, principal, referral.incident_id)
    except AppError:
        return []
    return [f for f in files if f.id in set(referral.attachment_ids)]


async def _incident(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> IncidentOut | None:
    """The referred incident as the API shows it to this reader (scope and redaction included), if visible."""
    try:
        return await incident_queries.get_incident(session, principal, incident_id)
    except AppError:
        return None


def _notice(request: Request[Any, Any, Any], referral: ReferralOut, lang: Lang) -> str | None:
    done = request.query_params.get("done")
    if done == "sent":
        return i18n.message("ui.refer.sent", lang)
    if done not in ACTION_TYPES:
        return None
    label = code_label(lang)
    action, status = label("ui.referrals.action", done), label("ui.referrals.status", referral.status)
    return i18n.message("ui.referrals.done", lang, action=action, status=status)


class ReferralPageController(Controller):
    """The referral inbox and outbox, one referral, and its action forms (logged-in users; API scope)."""

    path = "/referrals"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/inbox", media_type=MediaType.HTML)
    async def inbox(self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession) -> Template:
        """Hồ sơ đến / Incoming referrals, due first."""
        return await render_queue(request, db_session, principal, incoming=True)

    @get("/outbox", media_type=MediaType.HTML)
    async def outbox(self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession) -> Template:
        """Hồ sơ đã chuyển / Referrals sent by my agency, due first."""
        return await render_queue(request, db_session, principal, incoming=False)

    @get("/{referral_id:uuid}", media_type=MediaType.HTML)
    async def referral(
        self,
        request: Request[Any, Any, Any],
        referral_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> Template:
        """Hồ sơ chuyển giao / One referral with its clocks, incident, actions and timeline."""
        return await render_referral(request, db_session, principal, referral_id)

    @post("/{referral_id:uuid}/actions", media_type=MediaType.HTML)
    async def act(
        self,
        request: Request[Any, Any, Any],
        referral_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        """Thực hiện thao tác bằng biểu mẫu / Act on a referral with the form; back to it with a notice."""
        lang = language(request)
        values = {name: str(data.get(name) or "") for name in FORM_FIELDS}
        try:
            async with db_session.begin_nested():  # nothing of a refused action is kept, nor shown below
                await service.act(db_session, principal, referral_id, decode_action(values))
        except msgspec.ValidationError as exc:
            failure = invalid_form(exc, values, lang)
        except AppError as exc:
            failure = Failure(values["action"], {exc.field or "form": app_error_text(exc, lang)}, values, exc.status)
        else:
            return Redirect(f"/referrals/{referral_id}?done={values['action']}", status_code=303)
        return await render_referral(request, db_session, principal, referral_id, failure)
