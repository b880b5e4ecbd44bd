"""Authentication of every request by bearer token or login session, except an explicit allow-list."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar.session import SQLAlchemyAsyncSessionBackend
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Empty, Message, Receive, Scope, ScopeSession, Send
from litestar.utils.dataclass import extract_dataclass_items
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import repository
from service.auth.cache import principals
from service.auth.models import Role, User
from service.auth.principal import AuthMethod, Principal
from service.auth.tokens import token_digest
from service.contract.public import PUBLIC_PATHS
from service.errors import SessionExpired, Unauthenticated

# Partner systems' data services: authenticated by their own token (service/share/), not by a user's login.
PARTNER_PATHS: tuple[str, ...] = (r"^/api/share/v1/datasets",)
SESSION_USER_KEY = "uid"
ROTATE_SESSION_FLAG = "ipcoord_rotate_session"
NEW_SESSION_ID = "ipcoord_new_session_id"
LOADED_SESSION = "ipcoord_loaded_session"
SESSION_COOKIE = "ipcoord_session"


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token of an `Authorization: Bearer …` header, if any."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def principal_of(user: User, method: AuthMethod, token_id: uuid.UUID | None = None) -> Principal:
    """The request's principal for a loaded user."""
    return Principal(
        user_id=user.id,
        username=user.username,
        agency_id=user.agency_id,
        agency_code=user.agency.code,
        role=Role(user.role),
        method=method,
        token_id=token_id,
    )


class AuthMiddleware(AbstractAuthenticationMiddleware):
    """Sets `request.user` to a Principal, or answers 401 before any handler runs."""

    def __init__(self, app: ASGIApp, *, alchemy: SQLAlchemyAsyncConfig) -> None:
        super().__init__(app, exclude=[*PUBLIC_PATHS, *PARTNER_PATHS], scopes={ScopeType.HTTP})
        self.alchemy = alchemy

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        """Bearer token first (integrators), then the session cookie (browsers); fresh lookups are cached briefly."""
        key = _cache_key(connection)
        cached = principals.get(key) if key else None
        if cached is not None:
            return AuthenticationResult(user=cached, auth=cached.method)
        # Its own short transaction (the request's session does not exist yet): a token's use is recorded.
        async with self.alchemy.get_session() as db, db.begin():
            result = await self._authenticate(db, connection)
        if key:
            principals.put(key, result.user)
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
        session = connection.scope.get("session")
        raw_id = session.get(SESSION_USER_KEY) if isinstance(session, dict) else None
        session_user = await repository.get_active_user(db, uuid.UUID(raw_id)) if _is_uuid(raw_id) else None
        if session_user is None:
            raise SessionExpired() if connection.cookies.get(SESSION_COOKIE) else Unauthenticated()
        return AuthenticationResult(user=principal_of(session_user, "session"), auth="session")


def _stale(last_used_at: datetime | None) -> bool:
    return last_used_at is None or last_used_at < datetime.now(UTC) - timedelta(minutes=1)


def _cache_key(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, str] | None:
    token = bearer_token(connection)
    if token is not None:
        return ("token", token_digest(token))
    session = connection.scope.get("session")
    raw_id = session.get(SESSION_USER_KEY) if isinstance(session, dict) else None
    return ("user", str(raw_id)) if _is_uuid(raw_id) else None


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
