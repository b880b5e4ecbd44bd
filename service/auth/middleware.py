"""Authentication of every request by bearer token or login session, except an explicit allow-list."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar.session import SessionModelMixin, SQLAlchemyAsyncSessionBackend
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Empty, Message, Receive, Scope, ScopeSession, Send
from litestar.utils.dataclass import extract_dataclass_items
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import gate, repository, sessions
from service.auth.cache import principals
from service.auth.gate import session_principal
from service.auth.models import LoginSession
from service.auth.principal import principal_of
from service.auth.tokens import token_digest
from service.contract.public import PUBLIC_PATHS
from service.errors import SessionExpired, Unauthenticated

# Partner systems' data services: authenticated by their own token (service/share/), not by a user's login.
PARTNER_PATHS: tuple[str, ...] = (r"^/api/share/v1/datasets",)
SESSION_USER_KEY = "uid"
# Set to "passed" in the session once it passed the user's second factor (service/auth/gate.py).
SESSION_SECOND_FACTOR_KEY = "second_factor"
ROTATE_SESSION_FLAG = "ipcoord_rotate_session"
NEW_SESSION_ID = "ipcoord_new_session_id"
LOADED_SESSION = "ipcoord_loaded_session"
SESSION_COOKIE = "ipcoord_session"


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token of an `Authorization: Bearer …` header, if any."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def _session_data(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    session = connection.scope.get("session")
    return session if isinstance(session, dict) else {}


class AuthMiddleware(AbstractAuthenticationMiddleware):
    """Sets `request.user` to a Principal, or answers 401 before any handler runs."""

    def __init__(
        self, app: ASGIApp, *, alchemy: SQLAlchemyAsyncConfig, second_factor_roles: tuple[str, ...] = ()
    ) -> None:
        super().__init__(app, exclude=[*PUBLIC_PATHS, *PARTNER_PATHS], scopes={ScopeType.HTTP})
        self.alchemy = alchemy
        self.second_factor_roles = second_factor_roles

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        """Bearer token first (integrators), then the session cookie (browsers); fresh lookups are cached briefly.
        A session that has not passed a required second factor reaches only what the gate lets through."""
        key = _cache_key(connection)
        cached = principals.get(key) if key else None
        if cached is not None:
            gate.check(cached, connection.scope["path"])
            return AuthenticationResult(user=cached, auth=cached.method)
        # Its own short transaction (the request's session does not exist yet): a token's use is recorded.
        async with self.alchemy.get_session() as db, db.begin():
            result = await self._authenticate(db, connection)
        if key:
            principals.put(key, result.user)
        gate.check(result.user, connection.scope["path"])
        return result

    async def _authenticate(
        self, db: AsyncSession, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = bearer_token(connection)
        if token is not None:
            found = await repository.get_token_user(db, token_digest(token))
            if found is None:
                raise Unauthenticated()
            api_token, user = found
            if _stale(api_token.last_used_at):  # record use at most once a minute, sparing a write per request
                await repository.touch_token(db, api_token.id)
            return AuthenticationResult(user=principal_of(user, "token", api_token.id), auth="token")
        data = _session_data(connection)
        raw_id = data.get(SESSION_USER_KEY)
        session_user = await repository.get_active_user(db, uuid.UUID(raw_id)) if _is_uuid(raw_id) else None
        if session_user is None:
            raise SessionExpired() if connection.cookies.get(SESSION_COOKIE) else Unauthenticated()
        passed = data.get(SESSION_SECOND_FACTOR_KEY) == "passed"
        principal = await session_principal(db, session_user, passed=passed, required_roles=self.second_factor_roles)
        return AuthenticationResult(user=principal, auth="session")


def _stale(last_used_at: datetime | None) -> bool:
    return last_used_at is None or last_used_at < datetime.now(UTC) - timedelta(minutes=1)


def _cache_key(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, ...] | None:
    token = bearer_token(connection)
    if token is not None:
        return ("token", token_digest(token))
    data = _session_data(connection)
    raw_id = data.get(SESSION_USER_KEY)
    return ("user", str(raw_id), str(data.get(SESSION_SECOND_FACTOR_KEY))) if _is_uuid(raw_id) else None


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return value is not None


class SessionBackend(SQLAlchemyAsyncSessionBackend):
    """Login sessions in PostgreSQL: a fresh id at login; no row or write for anonymous or unchanged ones."""

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        """A new id when the login handler asked for one (an id planted before login is never promoted)."""
        state = connection.scope.setdefault("state", {})
        if state.pop(ROTATE_SESSION_FLAG, False):
            state[NEW_SESSION_ID] = self.generate_session_id()
        return str(state.get(NEW_SESSION_ID) or super().get_session_id(connection))

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        """The stored session, remembering what was loaded to skip needless writes."""
        data = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[LOADED_SESSION] = dict(data)
        return data

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Write only what changed; refresh the cookie of an unchanged session; clear a stale cookie."""
        state = connection.scope.setdefault("state", {})
        has_cookie = bool(connection.cookies.get(self.config.key))
        if scope_session is not Empty and not scope_session:
            if not has_cookie:
                return  # anonymous request: no session row, no cookie
            scope_session = Empty
        if scope_session is not Empty and scope_session == state.get(LOADED_SESSION) and NEW_SESSION_ID not in state:
            params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
            cookie = Cookie(value=connection.cookies[self.config.key], key=self.config.key, **params)
            MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))
            return
        await super().store_in_message(scope_session, message, connection)
        new_id = state.get(NEW_SESSION_ID)
        user_id = scope_session.get(SESSION_USER_KEY) if isinstance(scope_session, dict) else None
        if new_id and _is_uuid(user_id):
            await self._record_start(str(new_id), uuid.UUID(str(user_id)), connection)

    async def _record_start(
        self, session_id: str, user_id: uuid.UUID, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        address = connection.client.host if connection.client else ""
        user_agent = connection.headers.get("user-agent", "")
        async with self.alchemy.get_session() as db, db.begin():
            await sessions.record_start(db, session_id, user_id, address=address, user_agent=user_agent)

    def _update_session_expiry(self, session_obj: SessionModelMixin) -> None:
        """Each load renews the expiry (advanced-alchemy) and records the session's last use."""
        super()._update_session_expiry(session_obj)
        if isinstance(session_obj, LoginSession):
            session_obj.last_used_at = datetime.now(UTC)


class BearerAwareCSRFMiddleware(CSRFMiddleware):
    """CSRF guards cookie sessions; a bearer-token request without cookies cannot be forged by a browser."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Skip the CSRF check only for cookie-less bearer requests."""
        headers = dict(scope.get("headers", []))
        has_bearer = headers.get(b"authorization", b"").lower().startswith(b"bearer ")
        if scope["type"] == ScopeType.HTTP and has_bearer and b"cookie" not in headers:
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
