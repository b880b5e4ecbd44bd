"""Security events of sign-in and account protection: one function per kind, the single place each is emitted.

Each function is the one call site of its kind and appends its row to the audit trail (service/audit/,
docs/audit.md); bearer-token issue and revocation are recorded by auth.service itself. Every function
receives the session of the transaction the event belongs to: the request's for outcomes it commits, a
transaction of its own for refusals (a failed sign-in is kept although the request's transaction is rolled
back). No function may log secrets (codes, passwords, tokens).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.audit import service as audit
from service.auth import repository

SignInStep = str  # "password" | "totp" | "recovery_code" | "passkey"


async def _record(
    session: AsyncSession, event: str, actor_id: uuid.UUID | None, user_id: uuid.UUID | None, **detail: Any
) -> None:
    """One audit row about `user_id`'s account, by `actor_id` (the user, or the administrator who acted)."""
    actor = await repository.user_by_id(session, actor_id) if actor_id else None
    ids = [user_id] if user_id else []
    await audit.record(session, event, actor, record_type="user", record_ids=ids, detail=detail)


async def sign_in_succeeded(session: AsyncSession, *, user_id: uuid.UUID, step: SignInStep, complete: bool) -> None:
    """A sign-in step passed; `complete` when the session may now act (no second factor still pending).

    The password step is recorded by auth.service as `auth.sign_in`; the second step is recorded here."""
    if step != "password":
        await _record(session, "auth.second_factor_passed", user_id, user_id, step=step)


async def sign_in_failed(session: AsyncSession, *, user_id: uuid.UUID | None, step: SignInStep, reason: str) -> None:
    """A sign-in step failed (`user_id` None for an unknown username); reason: a stable code, never the input.

    A wrong password is recorded by auth.service as `auth.sign_in_failed`; a failed second step here."""
    if step != "password":
        await _record(session, "auth.second_factor_failed", user_id, user_id, step=step, reason=reason)


async def second_factor_added(session: AsyncSession, *, user_id: uuid.UUID, factor: str, factor_id: str) -> None:
    """The user enrolled a second factor (factor: totp | passkey)."""
    await _record(session, "auth.second_factor_added", user_id, user_id, factor=factor, factor_id=factor_id)


async def second_factor_removed(
    session: AsyncSession, *, user_id: uuid.UUID, actor_id: uuid.UUID, factor: str, factor_id: str
) -> None:
    """A second factor was removed by its owner."""
    await _record(session, "auth.second_factor_removed", actor_id, user_id, factor=factor, factor_id=factor_id)


async def recovery_codes_issued(session: AsyncSession, *, user_id: uuid.UUID, count: int) -> None:
    """A new set of recovery codes replaced the old one (never the codes themselves)."""
    await _record(session, "auth.recovery_codes_issued", user_id, user_id, count=count)


async def second_factor_reset(session: AsyncSession, *, user_id: uuid.UUID, actor_id: uuid.UUID) -> None:
    """An administrator reset the user's second factors (all removed, every session of the user ended)."""
    await _record(session, "auth.second_factor_reset", actor_id, user_id)


async def password_changed(session: AsyncSession, *, user_id: uuid.UUID, sessions_ended: int) -> None:
    """The user changed their password; their other sessions were ended."""
    await _record(session, "auth.password_changed", user_id, user_id, sessions_ended=sessions_ended)


async def sessions_ended(
    session: AsyncSession, *, user_id: uuid.UUID, actor_id: uuid.UUID, count: int, reason: str
) -> None:
    """Login sessions of the user were ended (reason: one | others | password | reset)."""
    await _record(session, "auth.sessions_ended", actor_id, user_id, count=count, reason=reason)
