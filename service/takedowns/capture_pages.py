"""Evidence capture from the pages: the request page offers, for each of its URLs, a multipart form (no script
needed) that stores the file of what the inspector saw, checked by content as the API checks it
(service/takedowns/evidence.py), and adds the link to the incident's chain of custody. A refusal shows the page
again with each error beside its field, in the reader's language, and keeps nothing of the refused capture."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, post
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.takedowns import CaptureFields
from service import i18n
from service.attachments.service import UPLOAD_FIELD, AttachmentConfig, Upload
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.auth.principal import Principal
from service.db import DbSession
from service.errors import AppError, Invalid, field_invalid
from service.settings import Settings, SettingsDep
from service.takedowns import captures, views
from service.takedowns.captures import CaptureFacts
from service.takedowns.pages import moment, render_request
from service.takedowns.service import WrongAgency
from service.web.context import language
from service.web.failures import error_texts

FIELDS = ("url", "http_status", "captured_at", "seller_account", "note")
# One screenshot or saved page and its form fields (the upload limit itself is checked by the attachments' service,
# beside the `file` field); a larger body is refused by the framework before it is read.
FORM_MAX_BODY = 24 * 1024 * 1024


@dataclass
class CaptureFailure:
    """A refused capture: the URL whose form it was, what was typed (kept for a retry), the errors by field."""

    url: str
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 400


def _facts(values: dict[str, str]) -> CaptureFacts:
    """The capturer's statement decoded by the API's own types (may raise msgspec.ValidationError)."""
    raw: dict[str, Any] = {name: values[name] for name in ("url", "http_status", "seller_account", "note")}
    if values["captured_at"]:
        raw["captured_at"] = moment(values["captured_at"])
    data = msgspec.convert(raw, CaptureFields, strict=False)
    return CaptureFacts(data.url, data.http_status, data.captured_at, data.seller_account, data.note)


async def _upload(form: Any, max_bytes: int) -> Upload:
    """The chosen file, read up to one byte past the limit; a form without one is refused beside `file`."""
    chosen = form.get(UPLOAD_FIELD)
    if not isinstance(chosen, UploadFile) or not chosen.filename:
        raise Invalid(field=UPLOAD_FIELD).with_code("field.required")
    content = await chosen.read(max_bytes + 1)
    if not content:
        raise Invalid(field=UPLOAD_FIELD).with_code("field.required")
    return Upload(file_name=chosen.filename, content=content)


async def _add(
    session: AsyncSession, config: AttachmentConfig, principal: Principal, takedown_id: uuid.UUID, form: Any
) -> None:
    takedown = await views.get_takedown(session, principal, takedown_id)
    if takedown.agency != principal.agency_code:
        raise WrongAgency(field="url")
    stated = _facts({name: str(form.get(name) or "").strip() for name in FIELDS})
    url = await captures.check_incident_url(session, takedown.incident_id, stated.url)
    upload = await _upload(form, config.max_bytes)
    facts = CaptureFacts(url, stated.http_status, stated.captured_at, stated.seller_account, stated.note)
    await captures.add_capture(
        session, config.store, principal, takedown.incident_id, upload, facts, max_bytes=config.max_bytes
    )


def _beside(exc: AppError, lang: i18n.Language) -> dict[str, str]:
    """Each problem under the form field it names ("form" for the rest)."""
    errors: dict[str, str] = {}
    for path, text in error_texts(exc, lang):
        name = path.split(".")[0].split("[")[0]
        errors.setdefault(name if name in (*FIELDS, UPLOAD_FIELD) else "form", text)
    return errors


async def add_from_form(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    takedown_id: uuid.UUID,
    request: Request[Any, Any, Any],
) -> CaptureFailure | None:
    """Record one URL's capture posted from the request page; the failure to show, None when it was recorded."""
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in FIELDS}
    try:
        async with session.begin_nested():  # nothing of a refused capture is kept, its file's row neither
            await _add(session, AttachmentConfig.from_settings(settings), principal, takedown_id, form)
    except msgspec.ValidationError as exc:
        return CaptureFailure(values["url"], values, _beside(field_invalid(exc), language(request)))
    except AppError as exc:
        return CaptureFailure(values["url"], values, _beside(exc, language(request)), exc.status)
    return None


class CapturePageController(Controller):
    """The capture form of each URL on a takedown request's page."""

    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @post("/takedowns/{takedown_id:uuid}/captures", media_type=MediaType.HTML, request_max_body_size=FORM_MAX_BODY)
    async def capture(
        self,
        request: Request[Any, Any, Any],
        takedown_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
    ) -> Response[Any]:
        """Lưu chứng cứ của một đường dẫn / Upload what was seen at one URL (multipart; works without script)."""
        failure = await add_from_form(db_session, settings, principal, takedown_id, request)
        if failure is None:
            return Redirect(f"/takedowns/{takedown_id}?done=captured#custody-title", status_code=303)
        return await render_request(
            request, db_session, principal, takedown_id, status=failure.status, capture_failure=failure
        )
