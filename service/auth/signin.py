"""Signing in, step by step: the password, then the second factor where the user has one or must enrol."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import events, passkeys, second_factor, service
from service.auth.gate import session_principal
from service.auth.models import User
from service.auth.principal import Principal


async def password_step(
    db: AsyncSession,
    username: str,
    password: str,
    *,
    required_roles: tuple[str, ...],
    notify_slowed: service.SlowedNotice | None,
) -> tuple[User, Principal]:
    """Check the password; the user and where their new session stands (pending: a second factor is next)."""
    user = await service.authenticate(db, username, password, notify_slowed=notify_slowed)
    principal = await session_principal(db, user, passed=False, required_roles=required_roles)
    complete = principal.second_factor not in ("pending", "enrol")
    await events.sign_in_succeeded(db, user_id=user.id, step="password", complete=complete)
    return user, principal


async def code_step(db: AsyncSession, principal: Principal, code: str) -> User:
    """Check a TOTP or recovery code for a session waiting for its second factor."""
    user = await second_factor.load_user(db, principal.user_id)
    step = await second_factor.verify_code(db, user, code, now=datetime.now(UTC))
    await events.sign_in_succeeded(db, user_id=user.id, step=step, complete=True)
    return user


async def passkey_step(
    db: AsyncSession,
    principal: Principal,
    rp: passkeys.RelyingParty,
    store: dict[str, Any],
    credential: dict[str, Any],
) -> User:
    """Check a passkey assertion for a session waiting for its second factor."""
    user = await second_factor.load_user(db, principal.user_id)
    await passkeys.authenticate(db, user, rp, store, credential, now=datetime.now(UTC))
    await events.sign_in_succeeded(db, user_id=user.id, step="passkey", complete=True)
    return user
