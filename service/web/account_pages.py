"""Account security pages: the second step of signing in, second factors, sessions and password change.

They work without JavaScript (TOTP codes, recovery codes, sessions, password); passkeys need the browser's
WebAuthn API, which static/js/passkey.js drives over the JSON routes.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from service.auth import passkeys, repository, second_factor, service, sessions, signin, totp
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.auth.middleware import SESSION_COOKIE
from service.auth.security_routes import mark_passed
from service.db import DbSession
from service.errors import AppError
from service.settings import SettingsDep
from service.web.context import home_of, page
from service.web.session_pages import safe_next

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
_principal = {"principal": Provide(provide_principal)}


def _refused(request: Request[Any, Any, Any], template: str, error: AppError, **context: Any) -> Template:
    return page(request, template, status=error.status, error=error.code, error_params=error.params, **context)


class SecondFactorPageController(Controller):
    """GET/POST /login/second-factor: a code from the app, a recovery code, or a passkey."""

    path = "/login/second-factor"
    guards = [require_login]
    dependencies = _principal
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def second_factor_page(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        db_session: DbSession,
        next: FromQuery[str | None] = None,
    ) -> Response[Any]:
        """Xác thực bước hai / Second factor."""
        if principal.second_factor != "pending":
            return Redirect(safe_next(next) or home_of(principal), status_code=303)
        has_passkey = bool(await repository.list_passkeys(db_session, principal.user_id))
        return page(request, "auth/second_factor.html.j2", next=safe_next(next) or "", passkey=has_passkey, error=None)

    @post(media_type=MediaType.HTML)
    async def verify(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, data: Form
    ) -> Response[Any]:
        """Kiểm tra mã / Check the code typed."""
        target = safe_next(data.get("next"))
        try:
            await signin.code_step(db_session, principal, data.get("code", ""))
        except AppError as refused:
            has_passkey = bool(await repository.list_passkeys(db_session, principal.user_id))
            return _refused(request, "auth/second_factor.html.j2", refused, next=target or "", passkey=has_passkey)
        mark_passed(request)
        return Redirect(target or home_of(principal), status_code=303)


class AccountPageController(Controller):
    """/account/security (second factors, password) and /account/sessions."""

    path = "/account"
    guards = [require_login]
    dependencies = _principal
    include_in_schema = False

    async def _security(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: Any,
        status: int = 200,
        **extra: Any,
    ) -> Template:
        key = await repository.get_totp(db_session, principal.user_id)
        context = {
            "required": principal.role.value in settings.mfa_required_roles,
            "totp": bool(key and key.confirmed_at),
            "keys": await repository.list_passkeys(db_session, principal.user_id),
            "codes_left": len(await repository.live_recovery_codes(db_session, principal.user_id)),
            "error": None,
        }
        return page(request, "auth/security.html.j2", status=status, **(context | extra))

    @get("/security", media_type=MediaType.HTML)
    async def security_page(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> Template:
        """Bảo mật tài khoản / Account security."""
        return await self._security(request, principal, db_session, settings)

    @post("/security/totp", media_type=MediaType.HTML)
    async def start_totp(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> Template:
        """Bắt đầu đăng ký ứng dụng xác thực / Start authenticator app enrolment."""
        user = await second_factor.load_user(db_session, principal.user_id)
        try:
            secret, uri, svg = await second_factor.start_totp(db_session, user)
        except AppError as refused:
            return await self._security(request, principal, db_session, settings, refused.status, error=refused.code)
        return page(request, "auth/totp_enrol.html.j2", secret=secret, uri=uri, qr_svg=svg, error=None)

    @post("/security/totp/confirm", media_type=MediaType.HTML)
    async def confirm_totp(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, data: Form
    ) -> Template:
        """Xác nhận bằng mã đầu tiên / Confirm with a first code."""
        user = await second_factor.load_user(db_session, principal.user_id)
        key = await repository.get_totp(db_session, principal.user_id)
        try:
            codes = await second_factor.confirm_totp(db_session, user, data.get("code", ""), now=datetime.now(UTC))
        except AppError as refused:
            uri = totp.provisioning_uri(key.secret, user.username) if key else ""
            svg = totp.qr_svg(uri) if uri else ""
            secret = key.secret if key else ""
            return _refused(request, "auth/totp_enrol.html.j2", refused, secret=secret, uri=uri, qr_svg=svg)
        mark_passed(request)
        return page(request, "auth/recovery_codes.html.j2", codes=codes, enrolled=True)

    @post("/security/recovery-codes", media_type=MediaType.HTML)
    async def new_recovery_codes(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> Template:
        """Tạo bộ mã khôi phục mới / New recovery codes."""
        if not await repository.has_second_factor(db_session, principal.user_id):
            refused = second_factor.NoSecondFactor()
            return await self._security(request, principal, db_session, settings, refused.status, error=refused.code)
        codes = await second_factor.issue_recovery_codes(db_session, principal.user_id)
        return page(request, "auth/recovery_codes.html.j2", codes=codes, enrolled=False)

    @post("/security/totp/remove")
    async def remove_totp(self, principal: PrincipalDep, db_session: DbSession) -> Redirect:
        """Tắt ứng dụng xác thực / Switch the authenticator app off."""
        await second_factor.remove_totp(db_session, principal.user_id)
        return Redirect("/account/security", status_code=303)

    @post("/security/passkeys/{passkey_id:uuid}/remove")
    async def remove_passkey(
        self, passkey_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Redirect:
        """Gỡ khóa bảo mật / Remove a security key."""
        await passkeys.remove(db_session, principal.user_id, passkey_id, datetime.now(UTC))
        return Redirect("/account/security", status_code=303)

    @post("/security/password", media_type=MediaType.HTML)
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
        data: Form,
    ) -> Response[Any]:
        """Đổi mật khẩu / Change my password (my other sessions end)."""
        keep = request.cookies.get(SESSION_COOKIE)
        try:
            async with db_session.begin_nested():
                ended = await service.change_password(
                    db_session,
                    principal,
                    data.get("current_password", ""),
                    data.get("new_password", ""),
                    keep_session_id=keep,
                )
        except AppError as refused:
            error = {"error": refused.code, "error_field": refused.field}
            return await self._security(request, principal, db_session, settings, refused.status, **error)
        return Redirect("/account/sessions?" + urlencode({"password_changed": ended}), status_code=303)

    @get("/sessions", media_type=MediaType.HTML)
    async def sessions_page(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        db_session: DbSession,
        password_changed: FromQuery[int | None] = None,
    ) -> Template:
        """Phiên đăng nhập / My sessions."""
        current = sessions.public_id_of(request.cookies.get(SESSION_COOKIE, ""))
        rows = await sessions.list_sessions(db_session, principal.user_id)
        listed = [(row, sessions.browser_of(row.user_agent), row.public_id == current) for row in rows]
        return page(request, "auth/sessions.html.j2", sessions=listed, password_changed=password_changed)

    @post("/sessions/end-others")
    async def end_others(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession
    ) -> Redirect:
        """Kết thúc mọi phiên khác / End all my other sessions."""
        keep = request.cookies.get(SESSION_COOKIE)
        await sessions.end_other_sessions(
            db_session, principal.user_id, keep, actor_id=principal.user_id, reason="others"
        )
        return Redirect("/account/sessions", status_code=303)

    @post("/sessions/{session_id:str}/end")
    async def end_one(self, session_id: FromPath[str], principal: PrincipalDep, db_session: DbSession) -> Redirect:
        """Kết thúc một phiên / End one session."""
        await sessions.end_session(db_session, principal.user_id, session_id)
        return Redirect("/account/sessions", status_code=303)
