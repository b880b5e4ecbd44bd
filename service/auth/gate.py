"""The second-factor gate: what a session that has not (yet) passed its second factor may reach.

Checked by the auth middleware on every authenticated request, after the principal is known, so no route
can forget it. A session `pending` verification reaches only the verification routes; a session that must
`enrol` reaches only enrolment. Everything else answers 403 in the error contract with its own code (pages:
a redirect to the verification or enrolment page).
"""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import repository
from service.auth.models import User
from service.auth.principal import Principal, SecondFactorState, principal_of
from service.errors import Forbidden

# Both states may sign out and say who they are.
_ALWAYS = (r"^/api/auth/logout$", r"^/logout$", r"^/api/me$")
PENDING_PATHS = tuple(re.compile(p) for p in (*_ALWAYS, r"^/api/auth/second-factor(/.*)?$", r"^/login/second-factor$"))
ENROL_PATHS = tuple(
    re.compile(p)
    for p in (
        *_ALWAYS,
        r"^/api/me/second-factor$",
        r"^/api/me/second-factor/totp(/confirm)?$",
        r"^/api/me/second-factor/passkeys(/options)?$",
        r"^/account/security(/totp|/totp/confirm)?$",
    )
)


class SecondFactorRequired(Forbidden):
    """The session must pass the user's second factor first."""

    code = "auth.second_factor_required"
    page = "/login/second-factor"


class SecondFactorEnrolmentRequired(Forbidden):
    """The user's role requires a second factor and they have none yet."""

    code = "auth.second_factor_enrolment_required"
    page = "/account/security"


def state_of(*, passed: bool, has_factor: bool, required: bool) -> SecondFactorState:
    """Where a login session stands, from what it passed, what the user has and what the role requires."""
    if passed:
        return "passed"
    if has_factor:
        return "pending"
    return "enrol" if required else "single"


def check(principal: Principal, path: str) -> None:
    """Refuse a path the principal's session may not reach yet."""
    if principal.second_factor == "pending" and not any(p.match(path) for p in PENDING_PATHS):
        raise SecondFactorRequired()
    if principal.second_factor == "enrol" and not any(p.match(path) for p in ENROL_PATHS):
        raise SecondFactorEnrolmentRequired()


async def session_principal(
    db: AsyncSession, user: User, *, passed: bool, required_roles: tuple[str, ...]
) -> Principal:
    """The principal of a login session, with where it stands on the second factor."""
    has_factor = False if passed else await repository.has_second_factor(db, user.id)
    state = state_of(passed=passed, has_factor=has_factor, required=user.role in required_roles)
    return principal_of(user, "session", second_factor=state)
