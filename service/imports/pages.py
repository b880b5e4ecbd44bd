"""The /imports pages for agency staff and coordinators: upload, map columns, see the dry run, commit.

Plain forms (no JavaScript needed); the pages call the same service as /api/imports.
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

from schemas.codes import INFRINGEMENT_ACTS, SUBJECT_MATTERS
from schemas.imports import IMPORT_FIELDS, CommitIn, DryRunRow, ImportMappingIn
from service import i18n, labels
from service.admin_units.service import geo_registry
from service.attachments.service import Upload
from service.auth.guards import PrincipalDep, provide_principal, require_member
from service.auth.principal import Principal
from service.db import DbSession
from service.errors import AppError, field_invalid
from service.imports import parsing, service, units
from service.imports.routes import UPLOAD_BODY_LIMIT
from service.imports.service import ImportConfig
from service.settings import SettingsDep
from service.web.context import language, page
from service.web.failures import error_texts

VIOLATOR_TYPES = ("individual", "organisation", "household_business")
SHOWN_CALM_ROWS = 200  # rows without problems shown in the dry-run table


def error_lines(exc: AppError, lang: i18n.Language) -> list[str]:
    """What went wrong, in the reader's language: each row's problem, or the one message."""
    return [text for _, text in error_texts(exc, lang)]


def mapping_from_form(form: dict[str, Any], headers: list[str]) -> ImportMappingIn:
    """The mapping form (one select per column, the defaults) as the API's body."""
    columns = [
        {"column": header, "field": form[f"col_{index}"]}
        for index, header in enumerate(headers)
        if form.get(f"col_{index}")
    ]
    defaults: dict[str, Any] = {"violator_type": form.get("default_violator_type") or "individual"}
    for name in ("subject_matter", "infringement_acts"):
        defaults[name] = [form[f"default_{name}"]] if form.get(f"default_{name}") else []
    for name in ("goods_unit", "team"):
        if form.get(f"default_{name}"):
            defaults[name] = str(form[f"default_{name}"]).strip()
    try:
        return msgspec.convert({"columns": columns, "defaults": defaults}, ImportMappingIn)
    except msgspec.ValidationError as error:
        raise field_invalid(error) from None


def _choices(lang: i18n.Language) -> dict[str, Any]:
    """Options of the mapping form, labelled in the reader's language."""
    return {
        "fields": IMPORT_FIELDS,
        "subject_matters": [(code, labels.label(labels.SUBJECT_MATTERS, code, lang)) for code in SUBJECT_MATTERS],
        "acts": [(code, labels.label(labels.INFRINGEMENT_ACTS, code, lang)) for code in INFRINGEMENT_ACTS],
        "violator_types": VIOLATOR_TYPES,
    }


def _shown_rows(rows: list[DryRunRow]) -> list[DryRunRow]:
    """Every row with a problem, and the first rows without one (a long file stays readable)."""
    calm = [row for row in rows if row.status in ("ok", "imported")][:SHOWN_CALM_ROWS]
    keep = {row.row for row in calm}
    return [row for row in rows if row.row in keep or row.status in ("error", "warning")]


async def _detail(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    import_id: uuid.UUID,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    stored: int | None = None,
) -> Template:
    """The import's page: what was read, the mapping form, the dry run when mapped."""
    found = await service.get_import(session, principal, import_id)
    dry = None
    if found.mapping_source == "saved":
        dry = await service.dry_run(session, principal, geo_registry(request).tagger, import_id)
    shown = _shown_rows(dry.rows) if dry else []
    context = {
        "item": found,
        "shown": shown,
        "hidden": (dry.total - len(shown)) if dry else 0,
        "chosen": {pair.column: pair.field for pair in found.mapping.columns},
        "dry": dry,
        "errors": errors or [],
        "stored": stored,
        "unit_name": lambda generation, code: units.full_names().get((generation, code), code),
        **_choices(language(request)),
    }
    return page(request, "imports/detail.html.j2", status=status, **context)


async def _index(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    *,
    status: int = 200,
    errors: list[str],
) -> Template:
    items = await service.list_imports(session, principal)
    return page(request, "imports/index.html.j2", status=status, items=items, errors=errors)


class ImportPageController(Controller):
    """Import past spreadsheets: every agency member who may record incidents may import them."""

    path = "/imports"
    guards = [require_member]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def imports_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, principal: PrincipalDep
    ) -> Template:
        """Nhập vụ việc cũ / Import past incidents: the upload form and the agency's imports."""
        return await _index(request, db_session, principal, errors=[])

    @post(media_type=MediaType.HTML, request_max_body_size=UPLOAD_BODY_LIMIT)
    async def upload(
        self, request: Request[Any, Any, Any], db_session: DbSession, principal: PrincipalDep, settings: SettingsDep
    ) -> Response[Any]:
        """Tải tệp lên / Upload a file: to its page, or the form again with what is wrong."""
        config = ImportConfig.from_settings(settings)
        form = await request.form()
        file = form.get("file")
        try:
            if not isinstance(file, UploadFile):
                raise parsing.EmptyFile(field=parsing.UPLOAD_FIELD)
            upload = Upload(file_name=file.filename, content=await file.read(config.max_bytes + 1))
            async with db_session.begin_nested():
                created = await service.create_import(db_session, config, principal, upload)
        except AppError as exc:
            lines = error_lines(exc, language(request))
            return await _index(request, db_session, principal, status=exc.status, errors=lines)
        return Redirect(f"/imports/{created.id}", status_code=303)

    @get("/{import_id:uuid}", media_type=MediaType.HTML)
    async def import_page(
        self,
        request: Request[Any, Any, Any],
        import_id: FromPath[uuid.UUID],
        db_session: DbSession,
        principal: PrincipalDep,
    ) -> Template:
        """Một lần nhập / One import: columns, mapping, dry run, commit."""
        stored = request.query_params.get("stored", "")
        count = int(stored) if stored.isdigit() else None
        return await _detail(request, db_session, principal, import_id, stored=count)

    @post("/{import_id:uuid}/mapping", media_type=MediaType.HTML)
    async def map_columns(
        self,
        request: Request[Any, Any, Any],
        import_id: FromPath[uuid.UUID],
        db_session: DbSession,
        principal: PrincipalDep,
    ) -> Response[Any]:
        """Lưu cách ghép cột rồi chạy thử / Save the mapping, then show the dry run."""
        form = dict((await request.form()).items())
        try:
            async with db_session.begin_nested():
                found = await service.get_import(db_session, principal, import_id)
                mapping = mapping_from_form(form, [column.header for column in found.columns])
                await service.set_mapping(db_session, principal, import_id, mapping)
        except AppError as exc:
            lines = error_lines(exc, language(request))
            return await _detail(request, db_session, principal, import_id, status=exc.status, errors=lines)
        return Redirect(f"/imports/{import_id}#dry-run", status_code=303)

    @post("/{import_id:uuid}/commit", media_type=MediaType.HTML)
    async def commit(
        self,
        request: Request[Any, Any, Any],
        import_id: FromPath[uuid.UUID],
        db_session: DbSession,
        principal: PrincipalDep,
    ) -> Response[Any]:
        """Lưu tất cả / Store every row, or nothing and the reasons."""
        form = await request.form()
        confirm = [int(value) for value in form.getall("confirm", []) if str(value).isdigit()]
        try:
            tagger = geo_registry(request).tagger
            async with db_session.begin_nested():
                done = await service.commit_import(db_session, principal, tagger, import_id, CommitIn(confirm=confirm))
        except AppError as exc:
            lines = error_lines(exc, language(request))
            return await _detail(request, db_session, principal, import_id, status=exc.status, errors=lines)
        return Redirect(f"/imports/{import_id}?stored={done.stored}", status_code=303)
