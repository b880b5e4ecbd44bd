"""Account security: second factors (TOTP, passkeys, recovery codes), login sessions, password change."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from schemas.base import Password, Schema

SecondFactorStateCode = Literal["passed", "pending", "enrol", "single", "token"]
Code = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=32,
        description="Mã 6 số của ứng dụng xác thực, hoặc một mã khôi phục / A 6-digit app code, or a recovery code",
    ),
]
Credential = Annotated[
    dict[str, Any],
    msgspec.Meta(description="PublicKeyCredential as JSON (navigator.credentials.create() or .get())"),
]


class SecondFactorCodeIn(Schema, kw_only=True):
    """A TOTP code or a recovery code."""

    code: Code


class SecondFactorCodeOut(Schema, kw_only=True):
    """What was done, as a catalogue code."""

    code: str


class TotpEnrolmentOut(Schema, kw_only=True):
    """A new TOTP key to put in an authenticator app, waiting for its first code."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class RecoveryCodesOut(Schema, kw_only=True):
    """Recovery codes, shown this once (None: the user already has a set)."""

    recovery_codes: list[str] | None


class PasskeyOut(Schema, kw_only=True):
    """A registered passkey or security key."""

    id: uuid.UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None


class PasskeyIn(Schema, kw_only=True):
    """The answer of navigator.credentials.create() to the registration options, and a name for the key."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    credential: Credential


class PasskeyCreatedOut(Schema, kw_only=True):
    """The new passkey; recovery codes when it is the user's first second factor."""

    passkey: PasskeyOut
    recovery_codes: list[str] | None


class PasskeyAssertionIn(Schema, kw_only=True):
    """The answer of navigator.credentials.get() to the sign-in options."""

    credential: Credential


class SecondFactorStatusOut(Schema, kw_only=True):
    """The caller's second factors and where this session stands."""

    required: bool
    state: SecondFactorStateCode
    totp: bool
    passkeys: list[PasskeyOut]
    recovery_codes_left: int


class SessionOut(Schema, kw_only=True):
    """One live login session of the caller."""

    id: str
    started_at: datetime
    last_used_at: datetime | None
    address: str
    browser: str
    current: bool


class SessionsEndedOut(Schema, kw_only=True):
    """How many sessions were ended."""

    ended: int


class PasswordChangeIn(Schema, kw_only=True):
    """The current password, and the new one (at least 10 characters)."""

    current_password: Password
    new_password: Password
