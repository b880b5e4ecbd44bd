"""Data sharing: partner registration and credentials, the OAuth 2 token answer, the access log."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from schemas.base import Name, Schema

RateLimit = Annotated[
    int,
    msgspec.Meta(
        ge=1, le=100_000, description="Số lần gọi mỗi phút (trống: mặc định) / Calls a minute (none: the default)"
    ),
]
DatasetName = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$")]


class PartnerIn(Schema):
    """A partner system to register (admin)."""

    name: Name
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="Cơ quan, tổ chức / Agency or body")]
    contact: Name
    legal_basis: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    datasets: Annotated[list[DatasetName], msgspec.Meta(min_length=1, max_length=20)]
    expires_on: date | None = None
    rate_limit: RateLimit | None = None


class PartnerOut(Schema):
    """A registered partner (never its secret)."""

    id: uuid.UUID
    name: str
    body: str
    contact: str
    legal_basis: str
    datasets: list[str]
    expires_on: date | None
    client_id: str
    revoked_at: datetime | None
    rate_limit: int | None = None


class PartnerCredentials(Schema):
    """The partner and its secret, shown once at registration or rotation."""

    partner: PartnerOut
    client_id: str
    client_secret: str


class TokenRequest(msgspec.Struct, kw_only=True):
    """RFC 6749 §4.4 client-credentials request (form fields)."""

    grant_type: Annotated[str, msgspec.Meta(max_length=40)]
    client_id: Annotated[str, msgspec.Meta(max_length=40)]
    client_secret: Annotated[str, msgspec.Meta(max_length=200)]


class TokenAnswer(Schema):
    """RFC 6749 §5.1 access token answer."""

    access_token: str
    token_type: str
    expires_in: int


class AccessOut(Schema):
    """One recorded call of a partner: what it asked, what it got."""

    id: int
    at: datetime
    path: str
    dataset: str | None
    query: dict[str, str]
    rows: int | None
    status: int
    code: str | None
    via: str


class AccessPage(Schema):
    """A page of a partner's calls, newest first; `next_before` asks for the older ones."""

    items: list[AccessOut]
    next_before: int | None
