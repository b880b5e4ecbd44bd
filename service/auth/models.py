"""Agencies, users, API tokens, and the PostgreSQL-backed session and key-value tables."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.extensions.litestar.session import SessionModelMixin
from advanced_alchemy.extensions.litestar.store import StoreModelMixin
from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import SealedString, field_key


class Role(StrEnum):
    """What a user may do; labels live in i18n, codes are stable."""

    INSPECTOR = "inspector"
    AGENCY_STAFF = "agency_staff"
    AGENCY_HEAD = "agency_head"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Agency(UUIDv7AuditBase):
    """A government body taking part in IP enforcement (DOMAIN.md §2); agencies are data, not code."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    role_vi: Mapped[str] = mapped_column(Text, default="")
    role_en: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)

    parent: Mapped[Agency | None] = relationship(remote_side="Agency.id", lazy="raise")


class User(UUIDv7AuditBase):
    """A person who logs in; belongs to one agency with one role. Deactivated, never deleted."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    # Consecutive failures, each slowing the account down (service/auth/slowdown.py); reset by a success.
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_sign_in_at: Mapped[datetime | None] = mapped_column(default=None)
    failed_second_factors: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_second_factor_at: Mapped[datetime | None] = mapped_column(default=None)

    agency: Mapped[Agency] = relationship(lazy="raise")


class ApiToken(UUIDv7AuditBase):
    """A bearer token for integrators: only its SHA-256 is stored; revoked, never deleted."""

    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship(lazy="raise")


class LoginSession(SessionModelMixin):
    """Server-side login sessions, shared by every app instance, with what their owner sees of them.

    advanced-alchemy's backend writes session_id, data and expires_at; the sign-in fills in the rest
    (service/auth/sessions.py). `public_id` names a session to its owner: the session id is the secret.
    """

    __tablename__ = "login_sessions"

    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    public_id: Mapped[str | None] = mapped_column(String(32), unique=True, default=None)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    address: Mapped[str] = mapped_column(String(64), default="", server_default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="", server_default="")


class TotpSecret(UUIDv7AuditBase):
    """A user's TOTP key (RFC 6238); unconfirmed until a first code proves the app holds it. One per user."""

    __tablename__ = "totp_secrets"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), unique=True)
    # Sealed at rest (Fernet, FIELD_ENCRYPTION_KEY): a copy of the database does not give away anyone's codes.
    secret: Mapped[str] = mapped_column(SealedString(key=field_key, length=64))
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    # The 30-second step of the last code accepted: a code of that step or an earlier one is refused.
    last_used_step: Mapped[int] = mapped_column(BigInteger, default=0)


class Passkey(UUIDv7AuditBase):
    """A WebAuthn credential (passkey or security key): its public key and signature counter. Removed, kept."""

    __tablename__ = "passkeys"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    credential_id: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    removed_at: Mapped[datetime | None] = mapped_column(default=None)


class RecoveryCode(UUIDv7AuditBase):
    """One single-use recovery code: a public lookup part and the argon2 hash of the whole code."""

    __tablename__ = "recovery_codes"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    lookup: Mapped[str] = mapped_column(String(8), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class StoreItem(StoreModelMixin):
    """Key-value items (login rate-limit counters) shared by every app instance."""

    __tablename__ = "store_items"
