"""Second factors (sign-in step and enrolment), login sessions and password change: /api/auth/second-factor,
/api/me/second-factor, /api/me/sessions, /api/me/password."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.auth import MeOut
from schemas.security import (
    PasskeyAssertionIn,
    PasskeyCreatedOut,
    PasskeyIn,
    PasskeyOut,
    PasswordChangeIn,
    RecoveryCodesOut,
    SecondFactorCodeIn,
    SecondFactorCodeOut,
    SecondFactorStatusOut,
    SessionOut,
    SessionsEndedOut,
    TotpEnrolmentOut,
)
from service.auth import passkeys, repository, second_factor, service, sessions, signin
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.auth.middleware import SESSION_COOKIE, SESSION_SECOND_FACTOR_KEY
from service.auth.models import Passkey
from service.auth.principal import principal_of
from service.auth.routes import me_out
from service.contract.declare import documented
from service.db import DbSession
from service.settings import SettingsDep

_principal = {"principal": Provide(provide_principal)}


def relying_party(request: Request[Any, Any, Any]) -> passkeys.RelyingParty:
    """The WebAuthn relying party: the host the browser asked for (ALLOWED_HOSTS checked it)."""
    url = request.url
    return passkeys.RelyingParty(rp_id=url.hostname or "localhost", origin=f"{url.scheme}://{url.netloc}")


def mark_passed(request: Request[Any, Any, Any]) -> None:
    """Record in the session that it passed the second factor (the id was already renewed at the password)."""
    request.set_session({**request.session, SESSION_SECOND_FACTOR_KEY: "passed"})


def passkey_out(key: Passkey) -> PasskeyOut:
    """A passkey without its key material."""
    return PasskeyOut(id=key.id, name=key.name, created_at=key.created_at, last_used_at=key.last_used_at)


class SecondFactorSignInController(Controller):
    """The second step of signing in, for a session whose user has a second factor."""

    path = "/api/auth/second-factor"
    tags = ["auth"]
    guards = [require_login]
    dependencies = _principal

    @post(status_code=HTTP_200_OK, opt=documented(400, 429))
    async def verify_code(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SecondFactorCodeIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> MeOut:
        """Nhập mã xác thực hoặc mã khôi phục / Pass the second factor with a TOTP code or a recovery code."""
        user = await signin.code_step(db_session, principal, data.code)
        mark_passed(request)
        return me_out(user, principal_of(user, "session", second_factor="passed"))

    @post("/passkey/options", status_code=HTTP_200_OK)
    async def passkey_options(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession
    ) -> dict[str, Any]:
        """Tùy chọn đăng nhập bằng khóa / Options for navigator.credentials.get() (a fresh challenge)."""
        user = await second_factor.load_user(db_session, principal.user_id)
        return await passkeys.authentication_options(db_session, user, relying_party(request), request.session)

    @post("/passkey", status_code=HTTP_200_OK, opt=documented(400, 429))
    async def verify_passkey(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PasskeyAssertionIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> MeOut:
        """Xác thực bằng khóa / Pass the second factor with a passkey or security key (each assertion once)."""
        user = await signin.passkey_step(
            db_session,
            principal,
            relying_party(request),
            request.session,
            data.credential,
        )
        mark_passed(request)
        return me_out(user, principal_of(user, "session", second_factor="passed"))


class SecondFactorController(Controller):
    """The caller's own second factors: enrol TOTP or a passkey, remove one, new recovery codes."""

    path = "/api/me/second-factor"
    tags = ["auth"]
    guards = [require_login]
    dependencies = _principal

    @get()
    async def get_status(
        self, principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> SecondFactorStatusOut:
        """Xác thực hai bước của tôi / My second factors, and whether my role requires one."""
        key = await repository.get_totp(db_session, principal.user_id)
        keys = await repository.list_passkeys(db_session, principal.user_id)
        codes = await repository.live_recovery_codes(db_session, principal.user_id)
        return SecondFactorStatusOut(
            required=principal.role.value in settings.mfa_required_roles,
            state=principal.second_factor,
            totp=bool(key and key.confirmed_at),
            passkeys=[passkey_out(k) for k in keys],
            recovery_codes_left=len(codes),
        )

    @post("/totp", status_code=HTTP_201_CREATED, opt=documented(409))
    async def start_totp(self, principal: PrincipalDep, db_session: DbSession) -> TotpEnrolmentOut:
        """Bắt đầu đăng ký TOTP / Start TOTP enrolment: a key and its QR code, active after a first code."""
        user = await second_factor.load_user(db_session, principal.user_id)
        secret, uri, svg = await second_factor.start_totp(db_session, user)
        return TotpEnrolmentOut(secret=secret, otpauth_uri=uri, qr_svg=svg)

    @post("/totp/confirm", status_code=HTTP_200_OK, opt=documented(400, 409, 429))
    async def confirm_totp(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SecondFactorCodeIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> RecoveryCodesOut:
        """Xác nhận TOTP bằng mã đầu tiên / Confirm TOTP with a first code; recovery codes shown this once."""
        user = await second_factor.load_user(db_session, principal.user_id)
        codes = await second_factor.confirm_totp(db_session, user, data.code, now=datetime.now(UTC))
        mark_passed(request)
        return RecoveryCodesOut(recovery_codes=codes)

    @delete("/totp", status_code=HTTP_200_OK, opt=documented(404))
    async def remove_totp(self, principal: PrincipalDep, db_session: DbSession) -> SecondFactorCodeOut:
        """Tắt TOTP / Switch TOTP off."""
        await second_factor.remove_totp(db_session, principal.user_id)
        return SecondFactorCodeOut(code="second_factor.totp_removed")

    @post("/passkeys/options", status_code=HTTP_200_OK)
    async def passkey_registration_options(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession
    ) -> dict[str, Any]:
        """Tùy chọn đăng ký khóa / Options for navigator.credentials.create() (a fresh challenge)."""
        user = await second_factor.load_user(db_session, principal.user_id)
        return await passkeys.registration_options(db_session, user, relying_party(request), request.session)

    @post("/passkeys", status_code=HTTP_201_CREATED, opt=documented(400))
    async def register_passkey(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PasskeyIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> PasskeyCreatedOut:
        """Đăng ký khóa bảo mật / Register a passkey or security key; recovery codes if it is the first factor."""
        user = await second_factor.load_user(db_session, principal.user_id)
        key, codes = await passkeys.register(
            db_session, user, relying_party(request), request.session, name=data.name, credential=data.credential
        )
        mark_passed(request)
        return PasskeyCreatedOut(passkey=passkey_out(key), recovery_codes=codes)

    @delete("/passkeys/{passkey_id:uuid}", status_code=HTTP_200_OK, opt=documented(404))
    async def remove_passkey(
        self, passkey_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> PasskeyOut:
        """Gỡ khóa bảo mật / Remove one of my passkeys (kept on record as removed)."""
        return passkey_out(await passkeys.remove(db_session, principal.user_id, passkey_id, datetime.now(UTC)))

    @post("/recovery-codes", status_code=HTTP_201_CREATED, opt=documented(409))
    async def new_recovery_codes(self, principal: PrincipalDep, db_session: DbSession) -> RecoveryCodesOut:
        """Tạo bộ mã khôi phục mới / A new set of ten recovery codes, replacing the old set; shown this once."""
        if not await repository.has_second_factor(db_session, principal.user_id):
            raise second_factor.NoSecondFactor()
        return RecoveryCodesOut(recovery_codes=await second_factor.issue_recovery_codes(db_session, principal.user_id))


class SessionController(Controller):
    """The caller's login sessions: list them, end one, end all the others."""

    path = "/api/me/sessions"
    tags = ["auth"]
    guards = [require_login]
    dependencies = _principal

    @get()
    async def list_sessions(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession
    ) -> list[SessionOut]:
        """Các phiên đăng nhập của tôi / My live sessions: start, last use, address, browser."""
        current = sessions.public_id_of(request.cookies.get(SESSION_COOKIE, ""))
        return [
            SessionOut(
                id=row.public_id or "",
                started_at=row.started_at,
                last_used_at=row.last_used_at,
                address=row.address,
                browser=sessions.browser_of(row.user_agent),
                current=row.public_id == current,
            )
            for row in await sessions.list_sessions(db_session, principal.user_id)
        ]

    @delete("/{session_id:str}", status_code=HTTP_200_OK, opt=documented(404))
    async def end_session(
        self, session_id: FromPath[str], principal: PrincipalDep, db_session: DbSession
    ) -> SessionsEndedOut:
        """Kết thúc một phiên / End one of my sessions (the current one: that is signing out)."""
        await sessions.end_session(db_session, principal.user_id, session_id)
        return SessionsEndedOut(ended=1)

    @post("/end-others", status_code=HTTP_200_OK)
    async def end_other_sessions(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession
    ) -> SessionsEndedOut:
        """Kết thúc mọi phiên khác / End all my sessions but this one (a bearer token ends them all)."""
        keep = request.cookies.get(SESSION_COOKIE) if principal.method == "session" else None
        ended = await sessions.end_other_sessions(
            db_session, principal.user_id, keep, actor_id=principal.user_id, reason="others"
        )
        return SessionsEndedOut(ended=ended)


class PasswordController(Controller):
    """The caller changes their own password."""

    path = "/api/me/password"
    tags = ["auth"]
    guards = [require_login]
    dependencies = _principal

    @post(status_code=HTTP_200_OK, opt=documented(400, 429))
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PasswordChangeIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> SessionsEndedOut:
        """Đổi mật khẩu / Change my password: every other session of mine ends."""
        keep = request.cookies.get(SESSION_COOKIE) if principal.method == "session" else None
        ended = await service.change_password(
            db_session, principal, data.current_password, data.new_password, keep_session_id=keep
        )
        return SessionsEndedOut(ended=ended)
