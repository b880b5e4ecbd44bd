"""Inspector pages: record an incident on a phone (works without JavaScript), my incidents, one-tap police referral.

The form posts to this controller; with JavaScript, record.js posts the same data to /api/incidents with the
form's idempotency key instead, and offline.js queues it on the phone while the connection is down.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from service import i18n, labels
from service.admin_units.service import geo_registry
from service.attachments import service as attachments
from service.auth.guards import PrincipalDep, provide_principal, require_login, require_member
from service.auth.principal import Principal
from service.cases import flagging
from service.clock import LOCAL_TZ, local_day, now
from service.db import DbSession
from service.errors import AppError
from service.incident_pages import record_queries
from service.incident_pages.record_form import FORM_KINDS, FormErrors, Parsed, defaults, parse, typed_values
from service.incident_pages.record_page import client_data, render_form
from service.incidents import service
from service.referrals import views as referral_views
from service.settings import DEFAULT_UPLOAD_MAX_BYTES, Settings, SettingsDep
from service.web import formatting as fmt
from service.web.context import language, page, translator

PAGE_SIZE = 20
# A browser without JavaScript sends its camera photos with the form; with JavaScript they are shrunk on the
# phone and sent one by one to the attachments API, whose limit is UPLOAD_MAX_BYTES per photo.
FORM_MAX_BODY = 3 * DEFAULT_UPLOAD_MAX_BYTES
KEY_FIELD = "idempotency_key"


def _key(values: dict[str, str | list[str]]) -> str:
    """The form's idempotency key as posted, or a fresh one when it is missing or not a UUID."""
    raw = values.get(KEY_FIELD)
    try:
        return str(uuid.UUID(raw)) if isinstance(raw, str) else str(uuid.uuid4())
    except ValueError:
        return str(uuid.uuid4())


def _refer_message() -> str:
    """The note sent with a one-tap police referral, in Vietnamese for the receiving agency."""
    return i18n.message("ui.incidents.refer.message", "vi", day=fmt.day(local_day(now())))


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


async def _attach(
    session: AsyncSession, principal: Principal, settings: Settings, incident_id: uuid.UUID, photos: list[UploadFile]
) -> None:
    """Store the photos a browser without JavaScript sent with the form (each checked like an API upload)."""
    config = attachments.AttachmentConfig.from_settings(settings)
    for photo in photos:
        content = await photo.read(config.max_bytes + 1)
        upload = attachments.Upload(file_name=photo.filename, content=content)
        await attachments.add_attachment(
            session, config.store, principal, incident_id, upload, max_bytes=config.max_bytes
        )


async def _save(
    request: Request[Any, Any, Any], session: AsyncSession, principal: Principal, settings: Settings, parsed: Parsed
) -> tuple[uuid.UUID | None, int]:
    """Record the parsed incident once per key, with its photos; (its id, 303) or (None, the error's status)."""
    assert parsed.data is not None  # noqa: S101 - only called for a form without errors
    key = _key(parsed.values)
    form = await request.form()
    photos = [p for p in form.getall("photos", []) if isinstance(p, UploadFile) and p.filename]
    try:
        async with session.begin_nested():  # a refusal keeps nothing; the form is shown again
            tagger = geo_registry(request).tagger
            recorded = await service.record_incident(session, principal, tagger, parsed.data, key, flagging.refresh)
            if not recorded.replayed:
                await _attach(session, principal, settings, recorded.incident.id, photos)
    except service.KeyReused as exc:
        # The page was sent before with other content: this is a new incident, so it gets a new key.
        parsed.values[KEY_FIELD] = str(uuid.uuid4())
        parsed.errors.add("form", "ui.incidents.error.key_reused")
        return None, exc.status
    except AppError as exc:
        parsed.errors.add_app_error(exc)
        if photos:
            parsed.errors.add("photos", "ui.incidents.error.photos_again")
        return None, exc.status
    return recorded.incident.id, 303


class IncidentPageController(Controller):
    """The inspector's pages: the record form and their own incidents (every agency member may use them)."""

    path = "/incidents"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/new", guards=[require_member], media_type=MediaType.HTML)
    async def record_form(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        principal: PrincipalDep,
        settings: SettingsDep,
        kind: FromQuery[str] = "seizure",
    ) -> Template:
        """Ghi nhận vụ việc / Record an incident (a blank form with a fresh idempotency key)."""
        kind = kind if kind in FORM_KINDS else FORM_KINDS[0]
        started = now().astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
        values = defaults(kind) | {"kind": kind, "occurred_at": started, KEY_FIELD: str(uuid.uuid4())}
        parsed = Parsed(kind, values, [], FormErrors())
        return await render_form(request, db_session, principal, settings, parsed, fresh=True)

    @post("/new", guards=[require_member], media_type=MediaType.HTML, request_max_body_size=FORM_MAX_BODY)
    async def record(
        self, request: Request[Any, Any, Any], db_session: DbSession, principal: PrincipalDep, settings: SettingsDep
    ) -> Response[Any]:
        """Gửi biểu mẫu ghi nhận / Submit the record form: 303 to my incidents, or the form again with its errors."""
        form = await request.form()
        values = typed_values(form, form.getall)
        values[KEY_FIELD] = _key(values)
        action = values.get("action")
        if action in ("add_line", "change_kind"):
            # Without JavaScript, adding a goods line or changing the kind is a round trip that saves nothing.
            parsed = parse(values)
            parsed.errors = FormErrors()
            extra = 1 if action == "add_line" else 0
            return await render_form(request, db_session, principal, settings, parsed, extra_lines=extra)
        parsed = parse(values)
        status = 400
        if parsed.data is not None:
            incident_id, status = await _save(request, db_session, principal, settings, parsed)
            if incident_id is not None:
                return Redirect(f"/incidents/mine?recorded={incident_id}", status_code=303)
        return await render_form(request, db_session, principal, settings, parsed, status=status)

    @get("/mine", guards=[require_member], media_type=MediaType.HTML)
    async def my_incidents(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        principal: PrincipalDep,
        settings: SettingsDep,
        cursor: FromQuery[str | None] = None,
        recorded: FromQuery[str | None] = None,
        referred: FromQuery[str | None] = None,
        refer_error: FromQuery[str | None] = None,
    ) -> Template:
        """Vụ việc của tôi / My incidents, newest first, and what is still waiting to send on this phone."""
        found = await record_queries.my_incidents(db_session, principal, cursor, PAGE_SIZE)
        ids = [incident.id for incident in found.items]
        lang = language(request)
        names = geo_registry(request).names
        context: dict[str, Any] = {
            "items": found.items,
            "next_cursor": found.next_cursor,
            "first_page": cursor is None,
            "police": await record_queries.referred_to_police(db_session, principal, ids),
            "referrals": await referral_views.about_incidents(db_session, principal, ids),
            "clocks": await record_queries.clocks_of(db_session, found.items),
            "label": fmt.code_label(lang),
            "agency_names": await record_queries.agency_names(db_session, lang),
            "workdays": lambda _day: 0,
            "recorded": _uuid(recorded),
            "referred": _uuid(referred),
            "refer_error": refer_error if refer_error in i18n.MESSAGES else None,
            "refer_message": _refer_message(),
            "police_agency": record_queries.POLICE,
            "criminal_referral": record_queries.CRIMINAL_REFERRAL,
            "client": client_data(translator(lang), principal, settings),
            "kind_label": lambda code: labels.label(labels.KINDS, code, lang),
            "unit_name": lambda code: names.get((code, "2025"), (code or "–", code or "–"))[1],
        }
        return page(request, "incidents/mine.html.j2", **context)

    @post("/refer-police", guards=[require_member])
    async def refer_to_police(
        self, request: Request[Any, Any, Any], db_session: DbSession, principal: PrincipalDep
    ) -> Redirect:
        """Chuyển hồ sơ có dấu hiệu tội phạm cho Công an / Refer an incident with signs of a crime to the police."""
        form = await request.form()
        incident_id = _uuid(form.get("incident_id"))
        try:
            async with db_session.begin_nested():  # the refusal's redirect commits: keep nothing of it
                if incident_id is None:
                    raise service.IncidentNotFound(field="incident_id")
                await record_queries.refer_to_police(db_session, principal, incident_id, _refer_message())
        except AppError as exc:
            return Redirect(f"/incidents/mine?{urlencode({'refer_error': exc.code})}", status_code=303)
        return Redirect(f"/incidents/mine?referred={incident_id}", status_code=303)
