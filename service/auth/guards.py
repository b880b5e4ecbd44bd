"""Route guards: who may call what. Login itself is enforced by the auth middleware."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler

from service.auth.models import Role
from service.auth.principal import Principal
from service.errors import Forbidden, Unauthenticated

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def principal_of_connection(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The authenticated principal, or a 401."""
    user = connection.scope.get("user")
    if not isinstance(user, Principal):
        raise Unauthenticated()
    return user


def requires_role(*roles: Role) -> Guard:
    """A guard letting through only principals with one of these roles."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if principal_of_connection(connection).role not in roles:
            raise Forbidden()

    guard.__name__ = f"requires_{'_or_'.join(r.value for r in roles)}"
    return guard


async def require_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Any authenticated principal (defence in depth behind the middleware)."""
    principal_of_connection(connection)


require_admin = requires_role(Role.ADMIN)
require_coordinator = requires_role(Role.COORDINATOR, Role.ADMIN)
# A member of an agency (every role): records incidents, imports spreadsheets.
require_member = requires_role(Role.INSPECTOR, Role.AGENCY_STAFF, Role.AGENCY_HEAD, Role.COORDINATOR, Role.ADMIN)


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    """Dependency: the caller of this request."""
    return principal_of_connection(request)


# The caller, injected by name where a controller provides `principal`.
PrincipalDep = NamedDependency[Principal]
