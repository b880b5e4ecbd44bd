"""Attachments of an incident over HTTP: multipart upload, list, download."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import msgspec
from litestar import Controller, Request, Response, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, MultipartBody
from litestar.status_codes import HTTP_201_CREATED

from schemas.attachments import AttachmentCreatedOut, AttachmentForm, AttachmentOut, LocationSuggestion
from schemas.errors import ErrorBody
from service.attachments import service
from service.attachments.models import Attachment
from service.attachments.service import AddedAttachment, AttachmentConfig, Upload
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.contract.declare import documented
from service.db import DbSession
from service.settings import Settings
from service.text import ascii_title
from service.web.handlers import handle_app_error

# Room for the multipart framing around the file (boundaries, part headers, a `_csrf_token` part).
MULTIPART_ALLOWANCE = 64 * 1024
# Saved web pages (text/html, multipart/related) come only as captures of a URL (service/takedowns/evidence.py).
STORED_TYPES = (
    *(media for media, _ in (*service.IMAGE_TYPES.values(), service.PDF_TYPE)),
    "text/html",
    "multipart/related",
)

# Where attachments are stored and the size limit, injected by name (see attachment_router).
AttachmentsDep = NamedDependency[AttachmentConfig]


def attachment_out(attachment: Attachment) -> AttachmentOut:
    """The API view of a stored attachment."""
    return msgspec.convert(attachment, AttachmentOut, from_attributes=True)


def created_out(added: AddedAttachment) -> AttachmentCreatedOut:
    """The stored attachment with its location suggestion, if any."""
    out = msgspec.convert(added.attachment, AttachmentCreatedOut, from_attributes=True)
    if added.suggested_location is not None:
        lon, lat = added.suggested_location
        out.suggested_location = LocationSuggestion(lon=lon, lat=lat)
    return out


def content_disposition(file_name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266, RFC 5987)."""
    fallback = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in ascii_title(file_name)
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


class AttachmentController(Controller):
    """Photos and PDFs of one incident, for whoever may see the incident."""

    path = "/api/incidents/{incident_id:uuid}/attachments"
    tags = ["incidents"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @post(status_code=HTTP_201_CREATED, opt=documented(413, 415))
    async def add_attachment(
        self,
        incident_id: FromPath[uuid.UUID],
        data: MultipartBody[AttachmentForm],
        principal: PrincipalDep,
        attachments: AttachmentsDep,
        db_session: DbSession,
    ) -> AttachmentCreatedOut:
        """Đính kèm ảnh hoặc PDF vào vụ việc / Attach a photo or PDF to an incident (multipart field `file`)."""
        # One byte past the limit is enough to know the file is too large.
        content = await data.file.read(attachments.max_bytes + 1)
        upload = Upload(file_name=data.file.filename, content=content)
        added = await service.add_attachment(
            db_session, attachments.store, principal, incident_id, upload, max_bytes=attachments.max_bytes
        )
        return created_out(added)

    @get()
    async def list_attachments(
        self, incident_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> list[AttachmentOut]:
        """Tệp đính kèm của vụ việc / The attachments of an incident, oldest first."""
        return [attachment_out(a) for a in await service.list_attachments(db_session, principal, incident_id)]

    @get(
        "/{attachment_id:uuid}",
        media_type="application/octet-stream",
        opt={"skip_compression": True, **documented(produces=STORED_TYPES)},
    )
    async def download_attachment(
        self,
        incident_id: FromPath[uuid.UUID],
        attachment_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        attachments: AttachmentsDep,
        db_session: DbSession,
    ) -> Response[bytes]:
        """Tải tệp đính kèm / Download an attachment's bytes, exactly as uploaded."""
        attachment, content = await service.open_attachment(
            db_session, attachments.store, principal, incident_id, attachment_id
        )
        headers = {
            "Content-Disposition": content_disposition(attachment.file_name),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private",
        }
        return Response(content, media_type=attachment.content_type, headers=headers)


def attachment_router(settings: Settings) -> Router:
    """AttachmentController with its store, and a body limit just above the upload limit instead of the app's."""
    config = AttachmentConfig.from_settings(settings)

    def provide_attachments() -> AttachmentConfig:
        return config

    def body_too_large(request: Request[Any, Any, Any], _: RequestEntityTooLarge) -> Response[ErrorBody]:
        # Litestar refuses the body before the handler runs; answer with the same 413 the service gives.
        return handle_app_error(request, service.too_large(config.max_bytes))

    return Router(
        path="/",
        route_handlers=[AttachmentController],
        dependencies={"attachments": Provide(provide_attachments, sync_to_thread=False)},
        exception_handlers={RequestEntityTooLarge: body_too_large},
        request_max_body_size=config.max_bytes + MULTIPART_ALLOWANCE,
    )
