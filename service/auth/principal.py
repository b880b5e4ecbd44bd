"""Who is asking, for which agency, and how they proved it."""

from __future__ import annotations

import uuid
from typing import Literal

import msgspec

from service.auth.models import Role, User

AuthMethod = Literal["session", "token"]
# How far a login session got with the second factor (service/auth/gate.py):
#   passed   the session passed a second factor
#   pending  the user has a second factor and this session has not passed it yet: only verification answers
#   enrol    the user's role requires a second factor and they have none: only enrolment answers
#   single   no second factor, none required (password only)
#   token    a bearer token (single-factor by design, created from a session that passed where required)
SecondFactorState = Literal["passed", "pending", "enrol", "single", "token"]


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """The authenticated caller of one request."""

    user_id: uuid.UUID
    username: str
    agency_id: uuid.UUID
    agency_code: str
    role: Role
    method: AuthMethod
    token_id: uuid.UUID | None = None
    second_factor: SecondFactorState = "single"

    @property
    def sees_all_agencies(self) -> bool:
        """Coordinators (SKHCN) and administrators see every agency's data."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        """May manage users and reference data."""
        return self.role == Role.ADMIN


def principal_of(
    user: User,
    method: AuthMethod,
    token_id: uuid.UUID | None = None,
    second_factor: SecondFactorState | None = None,
) -> Principal:
    """The request's principal for a loaded user (its agency loaded)."""
    return Principal(
        user_id=user.id,
        username=user.username,
        agency_id=user.agency_id,
        agency_code=user.agency.code,
        role=Role(user.role),
        method=method,
        token_id=token_id,
        second_factor=second_factor or ("token" if method == "token" else "single"),
    )
