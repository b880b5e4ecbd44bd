"""/api/platforms (administrators maintain them), /api/incidents/{id}/captures (the chain of custody) and
/api/takedowns (requests to platforms, their clocks, answers, the coordinator's views)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, Router, get, post, put
from litestar.di import Provide
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, FromQuery, JSONBody, MultipartBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.errors import ErrorBody
from schemas.takedowns import (
    AnswerIn,
    CaptureForm,
    CaptureOut,
    PlatformIn,
    PlatformOut,
    PlatformQueueOut,
    RepeatSellerOut,
    TakedownEventOut,
    TakedownIn,
    TakedownOut,
    TakedownStatus,
)
from service.attachments.routes import MULTIPART_ALLOWANCE, AttachmentsDep
from service.attachments.service import AttachmentConfig, Upload, too_large
from service.auth.guards import PrincipalDep, provide_principal, require_admin, require_coordinator, require_login
from service.contract.declare import documented
from service.db import DbSession
from service.documents.routes import DOCUMENT_NUMBER, SIGNATURE_STATE, SignerName, SignerTitle
from service.documents.service import MEDIA_TYPE as DOCUMENT_TYPE
from service.documents.service import headers as document_headers
from service.settings import Settings, SettingsDep
from service.takedowns import captures, document, platforms, service, views
from service.takedowns.captures import CaptureFacts
from service.takedowns.repository import Filters
from service.web.handlers import handle_app_error

OpenOnly = Annotated[bool, QueryParameter(description="Chỉ yêu cầu đang mở / Only open requests")]


class PlatformController(Controller):
    """Platforms requests are sent to: data administrators maintain, ended by `valid_to`, never deleted."""

    path = "/api/platforms"
    tags = ["takedowns"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @get()
    async def list_platforms(self, db_session: DbSession) -> list[PlatformOut]:
        """Nền tảng trực tuyến / Online platforms, ended ones included."""
        return await platforms.list_platforms(db_session)

    @post(guards=[require_admin], status_code=HTTP_201_CREATED, opt=documented(403))
    async def add_platform(
        self, data: JSONBody[PlatformIn], principal: PrincipalDep, db_session: DbSession
    ) -> PlatformOut:
        """Thêm nền tảng (quản trị) / Record a platform (administrators)."""
        return await platforms.add_platform(db_session, principal, data)

    @put("/{platform_id:uuid}", guards=[require_admin], opt=documented(403, 404))
    async def change_platform(
        self,
        platform_id: FromPath[uuid.UUID],
        data: JSONBody[PlatformIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> PlatformOut:
        """Sửa hoặc kết thúc nền tảng (quản trị) / Change or end a platform (administrators)."""
        return await platforms.change_platform(db_session, principal, platform_id, data)


class CaptureController(Controller):
    """What the agency saw at each URL of an incident: the chain of custody."""

    path = "/api/incidents/{incident_id:uuid}/captures"
    tags = ["takedowns"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @post(status_code=HTTP_201_CREATED, opt=documented(404, 413, 415))
    async def add_capture(
        self,
        incident_id: FromPath[uuid.UUID],
        data: MultipartBody[CaptureForm],
        principal: PrincipalDep,
        attachments: AttachmentsDep,
        db_session: DbSession,
    ) -> CaptureOut:
        """Lưu chứng cứ của một URL / Record the capture of one URL (multipart: file, url, http_status, captured_at)."""
        content = await data.file.read(attachments.max_bytes + 1)
        upload = Upload(file_name=data.file.filename, content=content)
        facts = CaptureFacts(data.url, data.http_status, data.captured_at, data.seller_account, data.note)
        return await captures.add_capture(
            db_session, attachments.store, principal, incident_id, upload, facts, max_bytes=attachments.max_bytes
        )

    @get(opt=documented(404))
    async def chain_of_custody(
        self, incident_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> list[CaptureOut]:
        """Chuỗi lưu giữ chứng cứ / The incident's captures, oldest first."""
        return await captures.chain_of_custody(db_session, principal, incident_id)


class IncidentTakedownController(Controller):
    """Requests about one incident."""

    path = "/api/incidents/{incident_id:uuid}/takedowns"
    tags = ["takedowns"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @post(status_code=HTTP_201_CREATED, opt=documented(403, 404, 409, 422))
    async def draft_takedown(
        self,
        incident_id: FromPath[uuid.UUID],
        data: JSONBody[TakedownIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> TakedownOut:
        """Soạn (và gửi) yêu cầu gỡ bỏ / Draft, and with `send` send, a takedown request to a platform."""
        request = await service.draft_request(db_session, principal, incident_id, data)
        return await views.get_takedown(db_session, principal, request.id)

    @get()
    async def incident_takedowns(
        self, incident_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> list[TakedownOut]:
        """Yêu cầu gỡ bỏ của vụ việc / The incident's takedown requests."""
        return await views.list_takedowns(db_session, principal, Filters(incident_id=incident_id))


class TakedownController(Controller):
    """Takedown requests with their clocks; only the recording agency sends and records answers."""

    path = "/api/takedowns"
    tags = ["takedowns"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @get()
    async def list_takedowns(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        status: FromQuery[TakedownStatus | None] = None,
        platform_id: FromQuery[uuid.UUID | None] = None,
        open: OpenOnly = False,
    ) -> list[TakedownOut]:
        """Yêu cầu gỡ bỏ, sắp hết hạn trước / Takedown requests, the first to run out first."""
        filters = Filters(status=status, platform_id=platform_id, open_only=open)
        return await views.list_takedowns(db_session, principal, filters)

    @get("/platforms", guards=[require_coordinator], opt=documented(403))
    async def per_platform(self, principal: PrincipalDep, db_session: DbSession) -> list[PlatformQueueOut]:
        """Yêu cầu đang mở và quá hạn theo nền tảng (điều phối) / Open and overdue requests per platform."""
        return await views.per_platform(db_session, principal)

    @get("/repeat-sellers")
    async def repeat_sellers(self, principal: PrincipalDep, db_session: DbSession) -> list[RepeatSellerOut]:
        """Người bán tái phạm / Seller accounts named about several incidents or platforms."""
        return await views.repeat_sellers(db_session, principal)

    @get("/{takedown_id:uuid}", opt=documented(404))
    async def get_takedown(
        self, takedown_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> TakedownOut:
        """Một yêu cầu gỡ bỏ và thời hạn / One request with its clocks."""
        return await views.get_takedown(db_session, principal, takedown_id)

    @post("/{takedown_id:uuid}/send", status_code=HTTP_200_OK, opt=documented(403, 404, 409, 422))
    async def send_takedown(
        self, takedown_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> TakedownOut:
        """Gửi yêu cầu đã soạn / Send a drafted request (numbered, clocks start)."""
        await service.send_request(db_session, principal, takedown_id)
        return await views.get_takedown(db_session, principal, takedown_id)

    @post("/{takedown_id:uuid}/answer", status_code=HTTP_200_OK, opt=documented(403, 404, 409))
    async def record_answer(
        self, takedown_id: FromPath[uuid.UUID], data: JSONBody[AnswerIn], principal: PrincipalDep, db_session: DbSession
    ) -> TakedownOut:
        """Ghi nhận trả lời của nền tảng / Record the platform's answer with its evidence."""
        await service.record_answer(db_session, principal, takedown_id, data)
        return await views.get_takedown(db_session, principal, takedown_id)

    @get(
        "/{takedown_id:uuid}/document",
        opt={"skip_compression": True, **documented(403, 404, produces=(DOCUMENT_TYPE,))},
        response_headers=[SIGNATURE_STATE, DOCUMENT_NUMBER],
    )
    async def takedown_document(
        self,
        takedown_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
        signer_title: SignerTitle = "THỦ TRƯỞNG CƠ QUAN",
        signer_name: SignerName = None,
    ) -> Response[bytes]:
        """Văn bản yêu cầu ký số / The written request as the agency's signed letter (PDF/A-2b, PAdES).

        For members of the recording agency. A sent request carries its number and date and is signed with the
        agency's certificate (or says why not, also in X-Document-Signature); a draft is unnumbered and unsigned.
        """
        signer = (signer_title, signer_name)
        issued = await document.signed_request(db_session, settings, principal, takedown_id, signer)
        headers = document_headers(issued, document.file_name(issued, takedown_id))
        return Response(issued.pdf, media_type=DOCUMENT_TYPE, headers=headers)

    @get("/{takedown_id:uuid}/events", opt=documented(404))
    async def takedown_events(
        self, takedown_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> list[TakedownEventOut]:
        """Dòng thời gian của yêu cầu / The request's timeline."""
        return await views.timeline(db_session, principal, takedown_id)


def takedown_router(settings: Settings) -> Router:
    """The takedown API; captures get the attachments' store and a body limit just above the upload limit."""
    config = AttachmentConfig.from_settings(settings)

    def provide_attachments() -> AttachmentConfig:
        return config

    def body_too_large(request: Request[Any, Any, Any], _: RequestEntityTooLarge) -> Response[ErrorBody]:
        return handle_app_error(request, too_large(config.max_bytes))

    captures_router = Router(
        path="/",
        route_handlers=[CaptureController],
        dependencies={"attachments": Provide(provide_attachments, sync_to_thread=False)},
        exception_handlers={RequestEntityTooLarge: body_too_large},
        request_max_body_size=config.max_bytes + MULTIPART_ALLOWANCE,
    )
    return Router(
        path="/",
        route_handlers=[captures_router, PlatformController, IncidentTakedownController, TakedownController],
    )
