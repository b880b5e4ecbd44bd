"""/admin: users (create, change role or agency, deactivate), agencies, and the admin's own API tokens.

Administrators only (the same guard as /api/admin/*); every form carries the CSRF token, is decoded into the
API's Struct and calls the same service, and shows each refusal beside its field with what was typed.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.auth import AgencyIn, TokenIn, UserIn, UserPatch
from service import i18n
from service.admin.forms import FormResult, decode, refused, typed
from service.auth import repository, service
from service.auth.guards import PrincipalDep, provide_principal, require_admin
from service.auth.models import Role
from service.auth.principal import Principal
from service.db import DbSession
from service.errors import AppError
from service.web.context import language, page

HttpRequest = Request[Any, Any, Any]
USER_FIELDS = ("username", "full_name", "password", "agency_code", "role")
PATCH_FIELDS = ("role", "agency_code", "is_active")
AGENCY_FIELDS = ("code", "name_vi", "name_en", "role_vi", "role_en", "parent_code", "valid_from", "valid_to")
TOKEN_FIELDS = ("name", "expires_in_days")
ROLES = tuple(r.value for r in Role)


async def render_users(
    request: HttpRequest, session: AsyncSession, result: FormResult | None = None, edited: uuid.UUID | None = None
) -> Template:
    """The users with a change form each, and the form to create one."""
    lang = language(request)
    agencies = await repository.list_agencies(session)
    context = {
        "users": await repository.list_users(session),
        "agency_options": [(a.code, f"{a.code} – {a.name_vi if lang == 'vi' else a.name_en}") for a in agencies],
        "role_options": [(r, i18n.message(f"ui.admin.role.{r}", lang)) for r in ROLES],
        "result": result or FormResult({}),
        "edited": edited,
        "notice": _notice(request, lang),
    }
    status = result.status if result else 200
    return page(request, "admin/users.html.j2", status=status, **context)


async def render_agencies(request: HttpRequest, session: AsyncSession, result: FormResult | None = None) -> Template:
    """Every agency with its parent and validity, and the form to add one."""
    agencies = await repository.list_agencies(session)
    codes = {a.id: a.code for a in agencies}
    context = {
        "agencies": [(a, codes.get(a.parent_id) if a.parent_id else None) for a in agencies],
        "result": result or FormResult({}),
        "notice": _notice(request, language(request)),
    }
    return page(request, "admin/agencies.html.j2", status=result.status if result else 200, **context)


async def render_tokens(
    request: HttpRequest,
    session: AsyncSession,
    principal: Principal,
    result: FormResult | None = None,
    secret: str | None = None,
) -> Template:
    """The administrator's own API tokens (secrets never shown again), and the form to make one."""
    context = {
        "tokens": await repository.list_tokens(session, principal.user_id),
        "result": result or FormResult({"expires_in_days": "365"}),
        "secret": secret,
        "notice": _notice(request, language(request)),
    }
    return page(request, "admin/tokens.html.j2", status=result.status if result else 200, **context)


def _notice(request: HttpRequest, lang: i18n.Language) -> str | None:
    done = request.query_params.get("done")
    key = f"ui.admin.done.{done}"
    return i18n.message(key, lang) if done and key in i18n.MESSAGES else None


class AdminPageController(Controller):
    """The administration pages of users, agencies and tokens."""

    path = "/admin"
    guards = [require_admin]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/", media_type=MediaType.HTML)
    async def index(self, request: HttpRequest) -> Template:
        """Quản trị / Administration: what can be managed here."""
        return page(request, "admin/index.html.j2")

    @get("/users", media_type=MediaType.HTML)
    async def users(self, request: HttpRequest, db_session: DbSession) -> Template:
        """Người dùng / Users: create, change role or agency, deactivate."""
        return await render_users(request, db_session)

    @post("/users", media_type=MediaType.HTML)
    async def create_user(self, request: HttpRequest, principal: PrincipalDep, db_session: DbSession) -> Response[Any]:
        """Tạo người dùng / Create a user."""
        lang = language(request)
        values = typed(await request.form(), USER_FIELDS)
        data, errors = decode(values, UserIn, lang)
        if data is not None:
            try:
                async with db_session.begin_nested():
                    await service.create_user(
                        db_session,
                        username=data.username,
                        password=data.password,
                        agency_code=data.agency_code,
                        role=data.role,
                        full_name=data.full_name,
                        actor=principal,
                    )
            except AppError as exc:
                errors = refused(exc, lang, USER_FIELDS)
                values["password"] = ""
                return await render_users(request, db_session, FormResult(values, errors, exc.status))
            return Redirect("/admin/users?done=user_created", status_code=303)
        values["password"] = ""
        return await render_users(request, db_session, FormResult(values, errors, 400))

    @post("/users/{user_id:uuid}", media_type=MediaType.HTML)
    async def change_user(
        self, request: HttpRequest, user_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Đổi vai trò, cơ quan hoặc khóa người dùng / Change a user's role or agency, or deactivate them."""
        lang = language(request)
        values = typed(await request.form(), PATCH_FIELDS)
        data, errors = decode(values, UserPatch, lang, flags=("is_active",))
        if data is not None:
            try:
                async with db_session.begin_nested():
                    await service.update_user(
                        db_session,
                        user_id,
                        full_name=None,
                        role=data.role,
                        agency_code=data.agency_code,
                        is_active=data.is_active,
                        actor=principal,
                    )
            except AppError as exc:
                errors = refused(exc, lang, PATCH_FIELDS)
                return await render_users(request, db_session, FormResult(values, errors, exc.status), user_id)
            return Redirect("/admin/users?done=user_changed", status_code=303)
        return await render_users(request, db_session, FormResult(values, errors, 400), user_id)

    @get("/agencies", media_type=MediaType.HTML)
    async def agencies(self, request: HttpRequest, db_session: DbSession) -> Template:
        """Cơ quan / Agencies and teams."""
        return await render_agencies(request, db_session)

    @post("/agencies", media_type=MediaType.HTML)
    async def create_agency(
        self, request: HttpRequest, principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Thêm cơ quan hoặc đội / Add an agency or team."""
        lang = language(request)
        values = typed(await request.form(), AGENCY_FIELDS)
        data, errors = decode(values, AgencyIn, lang, days=("valid_from", "valid_to"))
        if data is not None:
            try:
                async with db_session.begin_nested():
                    await service.create_agency(db_session, data, actor=principal)
            except AppError as exc:
                return await render_agencies(
                    request, db_session, FormResult(values, refused(exc, lang, AGENCY_FIELDS), exc.status)
                )
            return Redirect("/admin/agencies?done=agency_created", status_code=303)
        return await render_agencies(request, db_session, FormResult(values, errors, 400))

    @get("/tokens", media_type=MediaType.HTML)
    async def tokens(self, request: HttpRequest, principal: PrincipalDep, db_session: DbSession) -> Template:
        """Mã truy cập API / My API tokens."""
        return await render_tokens(request, db_session, principal)

    @post("/tokens", media_type=MediaType.HTML)
    async def create_token(self, request: HttpRequest, principal: PrincipalDep, db_session: DbSession) -> Template:
        """Tạo mã truy cập / Create an API token; its secret is shown on this answer only."""
        lang = language(request)
        values = typed(await request.form(), TOKEN_FIELDS)
        data, errors = decode(values, TokenIn, lang)
        if data is None:
            return await render_tokens(request, db_session, principal, FormResult(values, errors, 400))
        _, raw = await service.create_token(db_session, principal, name=data.name, expires_in_days=data.expires_in_days)
        return await render_tokens(request, db_session, principal, secret=raw)

    @post("/tokens/{token_id:uuid}/revoke", media_type=MediaType.HTML)
    async def revoke_token(
        self, request: HttpRequest, token_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Thu hồi mã truy cập / Revoke one of my API tokens (kept on record)."""
        try:
            async with db_session.begin_nested():
                await service.revoke_token(db_session, principal, token_id)
        except AppError as exc:
            errors = refused(exc, language(request), ())
            return await render_tokens(request, db_session, principal, FormResult({}, errors, exc.status))
        return Redirect("/admin/tokens?done=token_revoked", status_code=303)
