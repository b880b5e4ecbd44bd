"""Who is asking, for which agency, and how they proved it."""

from __future__ import annotations

import uuid
from typing import Literal

import msgspec

from service.auth.models import Role

AuthMethod = Literal["session", "token"]


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """The authenticated caller of one request."""

    user_id: uuid.UUID
    username: str
    agency_id: uuid.UUID
    agency_code: str
    role: Role
    method: AuthMethod
    token_id: uuid.UUID | None = None

    @property
    def sees_all_agencies(self) -> bool:
        """Coordinators (SKHCN) and administrators see every agency's data."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        """May manage users and reference data."""
        return self.role == Role.ADMIN
