"""/admin/platforms: the online platforms takedown requests are sent to, as data administrators maintain (added,
ended by a last day of validity, never deleted). Each refusal beside its field, as the API refuses it."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.takedowns import PlatformIn
from service import i18n
from service.admin.forms import FormResult, decode, label, refused, typed
from service.admin.pages import _notice
from service.auth.guards import PrincipalDep, provide_principal, require_admin
from service.db import DbSession
from service.errors import AppError
from service.takedowns import platforms
from service.web.context import language, page

HttpRequest = Request[Any, Any, Any]
FIELDS = ("name", "kind", "registration_number", "contact", "website", "valid_from", "valid_to")
KINDS = ("e_commerce", "social_network", "hosting", "search", "other")
DAYS = ("valid_from", "valid_to")


async def render_platforms(request: HttpRequest, session: AsyncSession, result: FormResult | None = None) -> Template:
    """Every platform, ended ones too, and the form to add one."""
    lang = language(request)
    context = {
        "platforms": await platforms.list_platforms(session),
        "kinds": [(k, i18n.message(f"ui.platform.kind.{k}", lang)) for k in KINDS],
        "result": result or FormResult({"kind": "e_commerce"}),
        "notice": _notice(request, lang),
    }
    return page(request, "admin/platforms.html.j2", status=result.status if result else 200, **context)


class AdminPlatformPageController(Controller):
    """Online platforms, for administrators."""

    path = "/admin/platforms"
    guards = [require_admin]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def list_page(self, request: HttpRequest, db_session: DbSession) -> Template:
        """Nền tảng trực tuyến / Online platforms."""
        return await render_platforms(request, db_session)

    @post(media_type=MediaType.HTML)
    async def add(self, request: HttpRequest, principal: PrincipalDep, db_session: DbSession) -> Response[Any]:
        """Thêm nền tảng / Add a platform."""
        lang = language(request)
        values = typed(await request.form(), FIELDS)
        data, errors = decode(values, PlatformIn, lang, days=DAYS)
        if data is None:
            return await render_platforms(request, db_session, FormResult(values, errors, 400))
        try:
            async with db_session.begin_nested():
                await platforms.add_platform(db_session, principal, data)
        except AppError as exc:
            return await render_platforms(
                request, db_session, FormResult(values, refused(exc, lang, FIELDS), exc.status)
            )
        return Redirect("/admin/platforms?done=platform_added", status_code=303)

    @post("/{platform_id:uuid}/end", media_type=MediaType.HTML)
    async def end(
        self, request: HttpRequest, platform_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Kết thúc hiệu lực / End a platform from a day on (its requests keep it)."""
        lang = language(request)
        values = typed(await request.form(), ("valid_to",))
        current = next((p for p in await platforms.list_platforms(db_session) if p.id == platform_id), None)
        if current is None:
            missing = platforms.PlatformNotFound(field="platform_id")
            return await render_platforms(request, db_session, FormResult({}, refused(missing, lang, ()), 404))
        kept = {name: str(getattr(current, name) or "") for name in FIELDS if name not in DAYS}
        kept["valid_from"] = current.valid_from.strftime("%d/%m/%Y")
        data, errors = decode(kept | values, PlatformIn, lang, days=DAYS)
        if data is None or data.valid_to is None:
            errors = errors or {"valid_to": i18n.message("field.required", lang, field=label("valid_to", lang))}
            return await render_platforms(request, db_session, FormResult(values, errors, 400))
        try:
            async with db_session.begin_nested():
                await platforms.change_platform(db_session, principal, platform_id, data)
        except AppError as exc:
            return await render_platforms(
                request, db_session, FormResult(values, refused(exc, lang, FIELDS), exc.status)
            )
        return Redirect("/admin/platforms?done=platform_ended", status_code=303)
