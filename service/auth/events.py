"""Security events of sign-in and account protection: one function per kind, the single place each is emitted.

Issue 22 item 3 (the append-only audit trail, branch issue-22b) records these events. Until it is merged,
each function here is the one call site of its kind and records nothing; wiring it to the audit table is a
change to this file only. Every function receives the session of the transaction the event belongs to: the
request's for outcomes it commits, a transaction of its own for refusals (a failed sign-in is kept although
the request's transaction is rolled back). No function may log secrets (codes, passwords, tokens).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

SignInStep = str  # "password" | "totp" | "recovery_code" | "passkey"


async def sign_in_succeeded(
    session: AsyncSession, *, user_id: uuid.UUID, step: SignInStep, address: str, complete: bool
) -> None:
    """A sign-in step passed; `complete` when the session may now act (no second factor still pending)."""


async def sign_in_failed(
    session: AsyncSession, *, user_id: uuid.UUID | None, step: SignInStep, reason: str, address: str
) -> None:
    """A sign-in step failed (`user_id` None for an unknown username); reason: a stable code, never the input."""


async def second_factor_added(session: AsyncSession, *, user_id: uuid.UUID, factor: str, factor_id: str) -> None:
    """The user enrolled a second factor (factor: totp | passkey)."""


async def second_factor_removed(
    session: AsyncSession, *, user_id: uuid.UUID, actor_id: uuid.UUID, factor: str, factor_id: str
) -> None:
    """A second factor was removed by its owner."""


async def recovery_codes_issued(session: AsyncSession, *, user_id: uuid.UUID, count: int) -> None:
    """A new set of recovery codes replaced the old one (never the codes themselves)."""


async def second_factor_reset(session: AsyncSession, *, user_id: uuid.UUID, actor_id: uuid.UUID) -> None:
    """An administrator reset the user's second factors (all removed, every session of the user ended)."""


async def password_changed(session: AsyncSession, *, user_id: uuid.UUID, sessions_ended: int) -> None:
    """The user changed their password; their other sessions were ended."""


async def sessions_ended(
    session: AsyncSession, *, user_id: uuid.UUID, actor_id: uuid.UUID, count: int, reason: str
) -> None:
    """Login sessions of the user were ended (reason: one | others | password | reset)."""


async def token_issued(session: AsyncSession, *, user_id: uuid.UUID, token_id: uuid.UUID) -> None:
    """An API bearer token was created."""


async def token_revoked(session: AsyncSession, *, user_id: uuid.UUID, token_id: uuid.UUID) -> None:
    """An API bearer token was revoked."""
