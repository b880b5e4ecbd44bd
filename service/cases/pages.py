"""The coordinator's pages: likely duplicates side by side (link or dismiss, with a reason) and a linked case.

Plain forms, no JavaScript needed; the pages call the same services as /api/duplicates and /api/cases.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.cases import FLAG_STATUSES, DismissIn, LinkIn, UnlinkIn
from service import i18n, labels
from service.auth.guards import PrincipalDep, provide_principal, require_coordinator
from service.auth.principal import Principal
from service.cases import queries, repository, service
from service.db import DbSession
from service.errors import AppError, field_error_from_message, validation_parts
from service.web.context import language, page
from service.web.failures import error_texts

PAGE_SIZE = 50
HttpRequest = Request[Any, Any, Any]
Failure = tuple[int, dict[str, str]]  # (flag id or 0, errors by field)


def _kind_label(lang: i18n.Language) -> Any:
    return lambda code: labels.label(labels.KINDS, code, lang)


def _reason(form: Any) -> str:
    return str(form.get("reason") or "").strip()


def _error_text(exc: AppError | msgspec.ValidationError, lang: i18n.Language) -> tuple[str, str]:
    """(field, message) of a refusal, in the reader's language."""
    if isinstance(exc, msgspec.ValidationError):
        text, path = validation_parts(exc)
        field = path or "reason"
        error = field_error_from_message(i18n.message(f"ui.cases.field.{field}", lang), text)
        return field, error.message_vi if lang == "vi" else error.message_en
    field, text = error_texts(exc, lang)[0]
    return field if exc.field else "reason", text


async def _render_flags(
    request: HttpRequest,
    session: AsyncSession,
    principal: Principal,
    *,
    failure: Failure | None = None,
    status: int = 200,
) -> Template:
    shown = request.query_params.get("status") or "open"
    if shown not in FLAG_STATUSES:
        shown, status = "open", 400
    cursor = request.query_params.get("cursor")
    try:
        flags = await queries.list_flags(session, principal, shown, cursor, PAGE_SIZE)
    except AppError:
        flags = await queries.list_flags(session, principal, shown, None, PAGE_SIZE)
        status = 400
    lang = language(request)
    return page(
        request,
        "cases/duplicates.html.j2",
        status=status,
        flags=flags,
        shown=shown,
        statuses=FLAG_STATUSES,
        failure=failure or (0, {}),
        kind_label=_kind_label(lang),
        done=request.query_params.get("done"),
    )


class CasePageController(Controller):
    """Likely duplicates and linked cases, for coordinators and administrators."""

    guards = [require_coordinator]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/duplicates", media_type=MediaType.HTML)
    async def duplicates(self, request: HttpRequest, principal: PrincipalDep, db_session: DbSession) -> Template:
        """Nghi trùng / Likely duplicates, side by side."""
        return await _render_flags(request, db_session, principal)

    @post("/duplicates/{flag_id:int}/link", media_type=MediaType.HTML)
    async def link(
        self, request: HttpRequest, flag_id: FromPath[int], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Gộp cặp này thành một vụ / Link this pair as one case."""
        form = await request.form()
        try:
            async with db_session.begin_nested():
                flag = await repository.get_flag(db_session, flag_id)
                if flag is None:
                    raise service.FlagNotFound()
                pair = [str(flag.incident_a_id), str(flag.incident_b_id)]
                body = msgspec.convert({"incident_ids": pair, "reason": _reason(form)}, LinkIn)  # the API's rules
                case = await service.link(db_session, principal, body)
        except (AppError, msgspec.ValidationError) as exc:
            return await self._refused(request, db_session, principal, flag_id, exc)
        return Redirect(f"/cases/{case.id}?done=linked", status_code=303)

    @post("/duplicates/{flag_id:int}/dismiss", media_type=MediaType.HTML)
    async def dismiss(
        self, request: HttpRequest, flag_id: FromPath[int], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Không phải một vụ / Not one case."""
        form = await request.form()
        try:
            async with db_session.begin_nested():
                body = msgspec.convert({"reason": _reason(form)}, DismissIn)
                await service.dismiss(db_session, principal, flag_id, body)
        except (AppError, msgspec.ValidationError) as exc:
            return await self._refused(request, db_session, principal, flag_id, exc)
        return Redirect("/duplicates?done=dismissed", status_code=303)

    async def _refused(
        self,
        request: HttpRequest,
        session: AsyncSession,
        principal: Principal,
        flag_id: int,
        exc: AppError | msgspec.ValidationError,
    ) -> Template:
        field, text = _error_text(exc, language(request))
        status = exc.status if isinstance(exc, AppError) else 400
        return await _render_flags(request, session, principal, failure=(flag_id, {field: text}), status=status)

    @get("/cases/{case_id:uuid}", media_type=MediaType.HTML)
    async def case(
        self, request: HttpRequest, case_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Template:
        """Vụ đã gộp / A linked case and its incidents."""
        return await self._render_case(request, db_session, principal, case_id)

    async def _render_case(
        self,
        request: HttpRequest,
        session: AsyncSession,
        principal: Principal,
        case_id: uuid.UUID,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        found = await queries.get_case(session, principal, case_id)
        lang = language(request)
        return page(
            request,
            "cases/case.html.j2",
            status=status,
            case=found,
            errors=errors or {},
            kind_label=_kind_label(lang),
            done=request.query_params.get("done"),
        )

    @post("/cases/{case_id:uuid}/unlink", media_type=MediaType.HTML)
    async def unlink(
        self, request: HttpRequest, case_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Tách một vụ việc khỏi vụ / Take one incident out of the case."""
        form = await request.form()
        try:
            async with db_session.begin_nested():
                body = msgspec.convert(
                    {"incident_id": str(form.get("incident_id") or ""), "reason": _reason(form)}, UnlinkIn
                )
                await service.unlink(db_session, principal, case_id, body)
        except (AppError, msgspec.ValidationError) as exc:
            field, text = _error_text(exc, language(request))
            status = exc.status if isinstance(exc, AppError) else 400
            return await self._render_case(request, db_session, principal, case_id, {field: text}, status)
        return Redirect(f"/cases/{case_id}?done=unlinked", status_code=303)
