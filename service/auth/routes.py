"""Login and logout, the caller and their API tokens, agencies, and user administration."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.auth import (
    AgencyIn,
    AgencyOut,
    LoginIn,
    MeOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)
from schemas.security import SessionsEndedOut
from service.auth import repository, second_factor, service, signin
from service.auth.guards import PrincipalDep, provide_principal, require_admin, require_login
from service.auth.middleware import ROTATE_SESSION_FLAG, SESSION_USER_KEY
from service.auth.models import Agency, ApiToken, User
from service.contract.declare import documented
from service.db import DbSession
from service.errors import InvalidCredentials, Unauthenticated
from service.settings import SettingsDep

_principal = {"principal": Provide(provide_principal)}
# What to call when failed sign-ins start slowing an account down (create_app provides the email notice).
SlowedNoticeDep = NamedDependency[service.SlowedNotice]


def start_session(request: Request[Any, Any, Any], user: User) -> None:
    """A fresh session id for the signed-in user (an id planted before sign-in is never promoted)."""
    request.scope.setdefault("state", {})[ROTATE_SESSION_FLAG] = True
    request.set_session({SESSION_USER_KEY: str(user.id)})


def agency_out(agency: Agency, parent_code: str | None = None) -> AgencyOut:
    """The API view of an agency."""
    return AgencyOut(
        id=agency.id,
        code=agency.code,
        name_vi=agency.name_vi,
        name_en=agency.name_en,
        role_vi=agency.role_vi,
        role_en=agency.role_en,
        parent_code=parent_code,
        valid_from=agency.valid_from,
        valid_to=agency.valid_to,
    )


def me_out(user: User, principal: PrincipalDep) -> MeOut:
    """The API view of the caller."""
    return MeOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=principal.role.value,
        agency=agency_out(user.agency),
        auth_method=principal.method,
        sees_all_agencies=principal.sees_all_agencies,
        second_factor=principal.second_factor,
    )


def user_out(user: User) -> UserOut:
    """The administrators' view of a user."""
    return UserOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,  # type: ignore[arg-type]
        agency_code=user.agency.code,
        is_active=user.is_active,
        last_login_at=user.last_login_at,
        created_at=user.created_at,
    )


def token_out(token: ApiToken) -> TokenOut:
    """A token without its secret."""
    return msgspec.convert(token, TokenOut, from_attributes=True)


class AuthController(Controller):
    """Browser login sessions (stored in PostgreSQL, shared by every instance)."""

    path = "/api/auth"
    tags = ["auth"]

    @post("/login", status_code=HTTP_200_OK, exclude_from_csrf=True, opt=documented(InvalidCredentials, 429))
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginIn],
        db_session: DbSession,
        settings: SettingsDep,
        notify_slowed: SlowedNoticeDep,
    ) -> MeOut:
        """Đăng nhập, nhận cookie phiên / Log in and receive a session cookie (rate-limited per address, slowed
        per account). `second_factor: pending` means POST /api/auth/second-factor is next; `enrol`, that the
        role requires a second factor to be enrolled at /api/me/second-factor first."""
        user, principal = await signin.password_step(
            db_session,
            data.username,
            data.password,
            required_roles=settings.mfa_required_roles,
            notify_slowed=notify_slowed,
        )
        start_session(request, user)
        return me_out(user, principal)

    @post("/logout", status_code=HTTP_200_OK, guards=[require_login])
    async def logout(self, request: Request[Any, Any, Any]) -> dict[str, str]:
        """Đăng xuất / Log out: the session is deleted on the server."""
        request.clear_session()
        return {"code": "auth.logged_out"}


class MeController(Controller):
    """The caller, and the API tokens they own."""

    path = "/api/me"
    tags = ["auth"]
    guards = [require_login]
    dependencies = _principal

    @get()
    async def get_me(self, principal: PrincipalDep, db_session: DbSession) -> MeOut:
        """Người dùng hiện tại / The logged-in user, their agency and role."""
        user = await repository.get_active_user(db_session, principal.user_id)
        if user is None:  # deactivated between the middleware's check and now
            raise Unauthenticated()
        return me_out(user, principal)

    @get("/tokens")
    async def list_tokens(self, principal: PrincipalDep, db_session: DbSession) -> list[TokenOut]:
        """Mã truy cập API của tôi / My API tokens (secrets are never shown again)."""
        return [token_out(t) for t in await repository.list_tokens(db_session, principal.user_id)]

    @post("/tokens", status_code=HTTP_201_CREATED)
    async def create_token(
        self, data: JSONBody[TokenIn], principal: PrincipalDep, db_session: DbSession
    ) -> TokenCreatedOut:
        """Tạo mã truy cập API / Create an API token; the secret is in this response only."""
        token, raw = await service.create_token(
            db_session, principal, name=data.name, expires_in_days=data.expires_in_days
        )
        return TokenCreatedOut(
            id=token.id, name=token.name, prefix=token.prefix, token=raw, expires_at=token.expires_at
        )

    @delete("/tokens/{token_id:uuid}", status_code=HTTP_200_OK, opt=documented(404))
    async def revoke_token(
        self, token_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> TokenOut:
        """Thu hồi mã truy cập / Revoke one of my API tokens (kept on record as revoked)."""
        return token_out(await service.revoke_token(db_session, principal, token_id))


class AgencyController(Controller):
    """Agencies are data: codes and names of DOMAIN.md §2."""

    path = "/api/agencies"
    tags = ["agencies"]
    guards = [require_login]
    dependencies = _principal

    @get()
    async def list_agencies(self, db_session: DbSession) -> list[AgencyOut]:
        """Danh sách cơ quan / Every agency with its parent."""
        agencies = await repository.list_agencies(db_session)
        codes = {a.id: a.code for a in agencies}
        return [agency_out(a, codes.get(a.parent_id) if a.parent_id else None) for a in agencies]

    @post(guards=[require_admin], status_code=HTTP_201_CREATED, opt=documented(404, 409))
    async def create_agency(
        self, data: JSONBody[AgencyIn], principal: PrincipalDep, db_session: DbSession
    ) -> AgencyOut:
        """Thêm cơ quan hoặc đội (quản trị) / Add an agency or team (admin)."""
        agency = await service.create_agency(db_session, data, actor=principal)
        return agency_out(agency, data.parent_code)


class UserAdminController(Controller):
    """User administration: create, change role or agency, deactivate (never delete)."""

    path = "/api/admin/users"
    tags = ["admin"]
    guards = [require_admin]
    dependencies = _principal

    @get()
    async def list_users(self, db_session: DbSession) -> list[UserOut]:
        """Danh sách người dùng (quản trị) / All users (admin)."""
        return [user_out(u) for u in await repository.list_users(db_session)]

    @post(status_code=HTTP_201_CREATED, opt=documented(404, 409))
    async def create_user(self, data: JSONBody[UserIn], principal: PrincipalDep, db_session: DbSession) -> UserOut:
        """Tạo người dùng (quản trị) / Create a user (admin)."""
        user = await service.create_user(
            db_session,
            username=data.username,
            password=data.password,
            agency_code=data.agency_code,
            role=data.role,
            full_name=data.full_name,
            actor=principal,
        )
        return user_out(user)

    @patch("/{user_id:uuid}")
    async def update_user(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[UserPatch], principal: PrincipalDep, db_session: DbSession
    ) -> UserOut:
        """Sửa hoặc khóa người dùng (quản trị) / Change or deactivate a user (admin)."""
        user = await service.update_user(
            db_session,
            user_id,
            full_name=data.full_name,
            role=data.role,
            agency_code=data.agency_code,
            is_active=data.is_active,
            actor=principal,
        )
        return user_out(user)

    @post("/{user_id:uuid}/second-factor-reset", status_code=HTTP_200_OK, opt=documented(404))
    async def reset_second_factor(
        self, user_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> SessionsEndedOut:
        """Đặt lại xác thực hai bước (quản trị) / Reset a user's second factors: all removed, every session of
        theirs ended, recorded; they enrol again at their next sign-in."""
        if await repository.get_user(db_session, user_id) is None:
            raise service.UnknownUser()
        ended = await second_factor.reset(db_session, user_id, actor_id=principal.user_id, now=datetime.now(UTC))
        return SessionsEndedOut(ended=ended)
