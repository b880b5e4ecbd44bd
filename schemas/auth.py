"""Login, the caller, agencies, users and API tokens."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from schemas.base import Code, Name, Password, Schema, Username

RoleCode = Literal["inspector", "agency_staff", "agency_head", "coordinator", "admin"]


class LoginIn(Schema, kw_only=True):
    """Credentials for a browser login session."""

    username: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Password


class AgencyOut(Schema, kw_only=True):
    """A government body taking part in IP enforcement."""

    id: uuid.UUID
    code: str
    name_vi: str
    name_en: str
    role_vi: str
    role_en: str
    parent_code: str | None
    valid_from: date
    valid_to: date | None


class AgencyIn(Schema, kw_only=True):
    """A new agency or team (admin only)."""

    code: Code
    name_vi: Name
    name_en: Name
    role_vi: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    role_en: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    parent_code: Code | None = None
    valid_from: date
    valid_to: date | None = None


class MeOut(Schema, kw_only=True):
    """The logged-in caller."""

    id: uuid.UUID
    username: str
    full_name: str
    role: RoleCode
    agency: AgencyOut
    auth_method: Literal["session", "token"]
    sees_all_agencies: bool
    # passed | pending (verify at /api/auth/second-factor) | enrol (the role requires one: /api/me/second-factor)
    # | single (password only, none required) | token
    second_factor: Literal["passed", "pending", "enrol", "single", "token"]


class UserIn(Schema, kw_only=True):
    """A new user (admin only)."""

    username: Username
    full_name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    password: Password
    agency_code: Code
    role: RoleCode


class UserPatch(Schema, kw_only=True):
    """Changes to a user (admin only); users are deactivated, never deleted."""

    full_name: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    role: RoleCode | None = None
    agency_code: Code | None = None
    is_active: bool | None = None


class UserOut(Schema, kw_only=True):
    """A user as administrators see them."""

    id: uuid.UUID
    username: str
    full_name: str
    role: RoleCode
    agency_code: str
    is_active: bool
    last_login_at: datetime | None
    created_at: datetime


class TokenIn(Schema, kw_only=True):
    """A new API token for the caller."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    expires_in_days: Annotated[int, msgspec.Meta(ge=1, le=730)] | None = 365


class TokenOut(Schema, kw_only=True):
    """An API token without its secret."""

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreatedOut(Schema, kw_only=True):
    """A new API token; `token` is shown this once and never again."""

    id: uuid.UUID
    name: str
    prefix: str
    token: str
    expires_at: datetime | None
