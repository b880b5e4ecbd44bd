"""Referrals both ways as pages: "Chuyển hồ sơ" from any incident to any agency, and the sender's answer.

The refer form offers the referral types the incident may take and, for each, the receiver's clocks its rules
allow; it posts the API's ReferralIn, so the same schema and service decide. The answer form is the sender's
`provide_information` action with a note, files of the incident and optionally a new file (stored as an
attachment of the incident first, in the same transaction).
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.referrals import ReferralActionIn, ReferralIn
from service import i18n, labels
from service.attachments import service as attachments
from service.auth import repository as agencies
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.auth.principal import Principal
from service.calendar.models import DeadlineRule
from service.calendar.repository import SENDER, Rules, load_rules
from service.clock import local_day, now
from service.db import DbSession
from service.errors import AppError, field_error_from_message, validation_parts
from service.incidents import queries as incident_queries
from service.referrals import mediation, service, views
from service.referrals.pages import Failure, app_error_text, render_referral
from service.referrals.transitions import REFERRAL_TYPES, Action
from service.settings import Settings, SettingsDep
from service.web.context import language, page
from service.web.formatting import code_label

Lang = i18n.Language
REFER_FIELDS = ("to_agency", "type", "due_rule", "message")
FORM_MAX_BODY = 12 * 1024 * 1024  # one photo or PDF (UPLOAD_MAX_BYTES is checked by the attachment service)


def rule_text(rule: DeadlineRule, lang: Lang) -> str:
    """'20 ngày từ ngày tiếp nhận' / '20 day(s) from acknowledgement', as the rule's data says."""
    starts = i18n.message(f"ui.rule.starts.{rule.starts}", lang)
    if rule.unit == "immediate":
        return i18n.message("ui.rule.immediate", lang, starts=starts)
    unit = i18n.message(f"ui.rule.unit.{rule.unit}", lang)
    return i18n.message("ui.rule.limit", lang, amount=rule.amount, unit=unit, starts=starts)


def type_clocks(rules: Rules, kind: str, lang: Lang) -> list[dict[str, Any]]:
    """Each referral type this incident may take, with its clocks: whose duty, how long, on what basis."""
    out = []
    for code in REFERRAL_TYPES:
        try:
            mediation.check_referable(kind, code)
        except AppError:
            continue
        clocks = [
            {"code": r.code, "duty": r.duty, "text": rule_text(r, lang), "basis": r.legal_basis}
            for r in rules.for_type(code)
        ]
        out.append({"code": code, "label": code_label(lang)("ui.referrals.type", code), "clocks": clocks})
    return out


async def render_refer(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    incident_id: uuid.UUID,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    """The refer form of one visible incident (a 404 page when it is not visible)."""
    lang = language(request)
    try:
        incident = await incident_queries.get_incident(session, principal, incident_id)
    except AppError as exc:
        return page(
            request, "referrals/refer.html.j2", status=exc.status, incident=None, problem=app_error_text(exc, lang)
        )
    today = local_day(now())
    rules = await load_rules(session, today)
    others = [a for a in await agencies.list_agencies(session) if a.id != principal.agency_id and a.valid_to is None]
    try:
        files = await attachments.list_attachments(session, principal, incident_id)
    except AppError:
        files = []
    types = type_clocks(rules, incident.kind, lang)
    context = {
        "incident": incident,
        "kind_label": labels.label(labels.KINDS, incident.kind, lang),
        "agencies": [(a.code, f"{a.name_vi if lang == 'vi' else a.name_en} ({a.code})") for a in others],
        "types": types,
        "type_options": [(ty["code"], ty["label"]) for ty in types],
        "files": files,
        "values": values or {},
        "errors": errors or {},
        "label": code_label(lang),
        "sender": SENDER,
    }
    return page(request, "referrals/refer.html.j2", status=status, **context)


def refer_body(incident_id: uuid.UUID, form: Any) -> tuple[dict[str, Any], ReferralIn]:
    """What was typed (kept for a second try) and the API's ReferralIn decoded from it (may raise)."""
    values: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in REFER_FIELDS}
    values["attachment_ids"] = [str(i) for i in form.getall("attachment_ids")] if "attachment_ids" in form else []
    body: dict[str, Any] = {
        "incident_id": str(incident_id),
        "to_agency": values["to_agency"],
        "type": values["type"],
        "message": values["message"],
        "attachment_ids": values["attachment_ids"],
    }
    if values["due_rule"]:
        body["due_rule"] = values["due_rule"]
    return values, msgspec.convert(body, ReferralIn, strict=False)


def schema_errors(exc: msgspec.ValidationError, lang: Lang, default: str) -> dict[str, str]:
    """A schema refusal as an error beside the field it names, labelled as the page names it."""
    text, path = validation_parts(exc)
    field = (path or default).split("[")[0]
    error = field_error_from_message(code_label(lang)("ui.referrals.field", field), text)
    return {field: error.message_vi if lang == "vi" else error.message_en}


async def _store_file(
    session: AsyncSession, principal: Principal, settings: Settings, incident_id: uuid.UUID, upload: Any
) -> list[uuid.UUID]:
    """The new file of an answer, stored as an attachment of the incident (checked like an API upload)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return []
    config = attachments.AttachmentConfig.from_settings(settings)
    content = await upload.read(config.max_bytes + 1)
    if not content:
        return []
    added = await attachments.add_attachment(
        session,
        config.store,
        principal,
        incident_id,
        attachments.Upload(file_name=upload.filename, content=content),
        max_bytes=config.max_bytes,
    )
    return [added.attachment.id]


class ReferPageController(Controller):
    """The refer form of an incident, and the sender's answer to a request for information."""

    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/incidents/{incident_id:uuid}/refer", media_type=MediaType.HTML)
    async def refer_form(
        self,
        request: Request[Any, Any, Any],
        incident_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> Template:
        """Chuyển hồ sơ / Refer this incident to another agency: types, their clocks, files to send."""
        return await render_refer(request, db_session, principal, incident_id)

    @post("/incidents/{incident_id:uuid}/refer", media_type=MediaType.HTML)
    async def refer(
        self,
        request: Request[Any, Any, Any],
        incident_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> Response[Any]:
        """Gửi hồ sơ chuyển / Send the referral; to its page, or the form again with each error beside its field."""
        lang = language(request)
        form = await request.form()
        values: dict[str, Any] = {name: str(form.get(name) or "") for name in REFER_FIELDS}
        try:
            values, data = refer_body(incident_id, form)
            async with db_session.begin_nested():
                referral = await service.refer(db_session, principal, data)
        except msgspec.ValidationError as exc:
            return await render_refer(
                request, db_session, principal, incident_id, values, schema_errors(exc, lang, "type"), 400
            )
        except AppError as exc:
            field = exc.field if exc.field in (*REFER_FIELDS, "attachment_ids") else "form"
            errors = {field: app_error_text(exc, lang)}
            return await render_refer(request, db_session, principal, incident_id, values, errors, exc.status)
        return Redirect(f"/referrals/{referral.id}?done=sent", status_code=303)

    @post("/referrals/{referral_id:uuid}/answer", media_type=MediaType.HTML, request_max_body_size=FORM_MAX_BODY)
    async def answer(
        self,
        request: Request[Any, Any, Any],
        referral_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
    ) -> Response[Any]:
        """Bổ sung thông tin / The sender answers the receiver's request with a note and files."""
        lang = language(request)
        form = await request.form()
        action = Action.PROVIDE_INFORMATION.value
        values = {"action": action, "note": str(form.get("note") or ""), "outcome": "", "version": ""}
        chosen = [str(i) for i in form.getall("attachment_ids")] if "attachment_ids" in form else []
        try:
            async with db_session.begin_nested():  # nothing of a refused answer is kept, its file neither
                referral = await _visible(db_session, principal, referral_id)
                new = await _store_file(db_session, principal, settings, referral, form.get("file"))
                body = {"action": action, "note": values["note"].strip(), "attachment_ids": [*chosen, *map(str, new)]}
                if form.get("version"):
                    body["version"] = str(form.get("version"))
                data = msgspec.convert(body, ReferralActionIn, strict=False)
                await service.act(db_session, principal, referral_id, data)
        except msgspec.ValidationError as exc:
            failure = Failure(action, schema_errors(exc, lang, "note"), values, 400)
        except AppError as exc:
            failure = Failure(action, {exc.field or "form": app_error_text(exc, lang)}, values, exc.status)
        else:
            return Redirect(f"/referrals/{referral_id}?done={action}", status_code=303)
        return await render_referral(request, db_session, principal, referral_id, failure)


async def _visible(session: AsyncSession, principal: Principal, referral_id: uuid.UUID) -> uuid.UUID:
    """The incident of a referral the reader may see (the answer's new file belongs to it)."""
    return (await views.get_referral(session, principal, referral_id)).incident_id
