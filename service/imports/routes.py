"""/api/imports: upload a past spreadsheet, map its columns, dry-run it, commit it. Thin: decode, call, encode."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post, put
from litestar.di import Provide
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, JSONBody, MultipartBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.errors import ErrorBody
from schemas.imports import (
    CommitIn,
    CommitOut,
    DryRunOut,
    ImportMappingIn,
    ImportOut,
    ImportSummaryOut,
    ImportUploadForm,
)
from service import i18n
from service.admin_units.service import geo_registry
from service.attachments.service import Upload
from service.auth.guards import PrincipalDep, provide_principal, require_member
from service.contract.declare import documented
from service.db import DbSession
from service.imports import parsing, service
from service.imports.service import MAX_IMPORT_BYTES, ImportConfig, RowsInvalid
from service.observability import current_request_id
from service.settings import SettingsDep
from service.web.handlers import handle_app_error

# Room for the multipart framing around the file (boundaries, part headers, a `_csrf_token` part).
MULTIPART_ALLOWANCE = 64 * 1024
UPLOAD_BODY_LIMIT = MAX_IMPORT_BYTES + MULTIPART_ALLOWANCE


def rows_invalid(_: Request[Any, Any, Any], exc: RowsInvalid) -> Response[ErrorBody]:
    """422 naming every row and field at fault, each in both languages; nothing was stored."""
    vi, en = i18n.both(exc.code, **exc.params)
    body = ErrorBody(
        code=exc.code,
        message_vi=vi,
        message_en=en,
        field=exc.field,
        errors=exc.problems,
        request_id=current_request_id(),
    )
    return Response(body, status_code=exc.status, media_type=MediaType.JSON)


def body_too_large(request: Request[Any, Any, Any], _: RequestEntityTooLarge) -> Response[Any]:
    """Litestar refuses a body over the route's limit before the handler runs: the same 413 naming `file`."""
    return handle_app_error(request, parsing.too_large(MAX_IMPORT_BYTES))


async def read_upload(form: ImportUploadForm, config: ImportConfig) -> Upload:
    """The uploaded bytes; one byte past the limit is enough to know the file is too large."""
    return Upload(file_name=form.file.filename, content=await form.file.read(config.max_bytes + 1))


class ImportController(Controller):
    """Past incidents from CSV or XLSX files, stored for the uploader's agency (agency members only)."""

    path = "/api/imports"
    tags = ["imports"]
    guards = [require_member]
    dependencies = {"principal": Provide(provide_principal)}
    exception_handlers = {RowsInvalid: rows_invalid, RequestEntityTooLarge: body_too_large}

    @post(status_code=HTTP_201_CREATED, request_max_body_size=UPLOAD_BODY_LIMIT, opt=documented(415, 422))
    async def upload_import(
        self,
        data: MultipartBody[ImportUploadForm],
        principal: PrincipalDep,
        settings: SettingsDep,
        db_session: DbSession,
    ) -> ImportOut:
        """Tải lên tệp CSV/XLSX vụ việc cũ / Upload a CSV or XLSX of past incidents (multipart field `file`)."""
        config = ImportConfig.from_settings(settings)
        return await service.create_import(db_session, config, principal, await read_upload(data, config))

    @get()
    async def list_imports(self, principal: PrincipalDep, db_session: DbSession) -> list[ImportSummaryOut]:
        """Các lần nhập của cơ quan / The agency's latest imports, newest first."""
        return await service.list_imports(db_session, principal)

    @get("/{import_id:uuid}")
    async def get_import(
        self, import_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> ImportOut:
        """Một lần nhập: cột, dòng đầu, cách ghép cột / One import: columns, first rows, mapping."""
        return await service.get_import(db_session, principal, import_id)

    @put("/{import_id:uuid}/mapping", opt=documented(409))
    async def map_columns(
        self,
        import_id: FromPath[uuid.UUID],
        data: JSONBody[ImportMappingIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> ImportOut:
        """Ghép cột của tệp với trường của ipcoord / Map the file's columns to ipcoord fields (remembered)."""
        return await service.set_mapping(db_session, principal, import_id, data)

    @post("/{import_id:uuid}/dry-run", status_code=HTTP_200_OK, opt=documented(409, 422))
    async def dry_run(
        self,
        request: Request[Any, Any, Any],
        import_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> DryRunOut:
        """Chạy thử: từng dòng sẽ lưu gì, lỗi gì / Dry run: what each row would store, every error; stores nothing."""
        return await service.dry_run(db_session, principal, geo_registry(request).tagger, import_id)

    @post("/{import_id:uuid}/commit", status_code=HTTP_200_OK, opt=documented(409, 422))
    async def commit_import(
        self,
        request: Request[Any, Any, Any],
        import_id: FromPath[uuid.UUID],
        data: JSONBody[CommitIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> CommitOut:
        """Lưu tất cả hoặc không lưu gì / Store every row at once, or nothing; rows stored before are skipped."""
        tagger = geo_registry(request).tagger
        return await service.commit_import(db_session, principal, tagger, import_id, data)
