"""Second factors: TOTP enrolment and verification, recovery codes, removal and the administrators' reset.

Every verification is slowed down per account (service/auth/slowdown.py): failures are counted in a
transaction of their own, so the count survives the refused request. Passkeys are in passkeys.py.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import events, recovery, repository, slowdown, totp
from service.auth.cache import principals
from service.auth.models import RecoveryCode, TotpSecret, User
from service.auth.sessions import end_other_sessions
from service.db import separate_transaction
from service.errors import AppError, Conflict, Invalid, NotFound, Unauthenticated


class CodeInvalid(Invalid):
    code = "second_factor.code_invalid"


class CodeUsed(Invalid):
    code = "second_factor.code_used"


class RecoveryCodeUsed(Invalid):
    code = "second_factor.recovery_code_used"


class SecondFactorSlowed(AppError):
    status = 429
    code = "second_factor.slowed"


class TotpExists(Conflict):
    code = "second_factor.totp_exists"


class TotpNotStarted(Conflict):
    code = "second_factor.totp_not_started"


class TotpNotFound(NotFound):
    code = "second_factor.totp_not_found"


class NoSecondFactor(Conflict):
    code = "second_factor.none"


async def load_user(db: AsyncSession, user_id: uuid.UUID) -> User:
    """The active user, fresh from the database (failure counts included); deactivated meanwhile: a 401."""
    user = await repository.get_active_user(db, user_id)
    if user is None:
        raise Unauthenticated()
    return user


def check_not_slowed(user: User, now: datetime) -> None:
    """Refuse an attempt while the account waits after failed second-factor codes (429 with Retry-After)."""
    wait = slowdown.retry_after(
        user.failed_second_factors, user.last_failed_second_factor_at, slowdown.FREE_SECOND_FACTOR_FAILURES, now
    )
    if wait:
        raise SecondFactorSlowed(headers={"Retry-After": str(wait)}, seconds=wait)


async def fail(db: AsyncSession, user: User, error: AppError, *, step: str, now: datetime) -> NoReturn:
    """Count a failed second-factor attempt against the account (kept although the request fails), then refuse."""
    async with separate_transaction(db) as own:
        await repository.count_failure(own, user.id, second_factor=True, now=now)
        await events.sign_in_failed(own, user_id=user.id, step=step, reason=error.code)
    raise error


def succeeded(user: User) -> None:
    """A passed second factor ends the account's streak of failures."""
    user.failed_second_factors, user.last_failed_second_factor_at = 0, None


async def start_totp(db: AsyncSession, user: User) -> tuple[str, str, str]:
    """A new TOTP key waiting for its first code: (secret, otpauth URI, SVG QR code). Replaces an unconfirmed one."""
    existing = await repository.get_totp(db, user.id)
    if existing is not None and existing.confirmed_at is not None:
        raise TotpExists()
    secret = totp.new_secret()
    if existing is None:
        db.add(TotpSecret(user_id=user.id, secret=secret))
    else:
        existing.secret, existing.last_used_step = secret, 0
    await db.flush()
    uri = totp.provisioning_uri(secret, user.username)
    return secret, uri, totp.qr_svg(uri)


async def confirm_totp(db: AsyncSession, user: User, code: str, *, now: datetime) -> list[str] | None:
    """Switch the key on with a first valid code; the recovery codes when this is the user's first factor."""
    check_not_slowed(user, now)
    pending = await repository.get_totp(db, user.id)
    if pending is None or pending.confirmed_at is not None:
        raise TotpNotStarted()
    step = totp.matching_step(pending.secret, code, now)
    if step is None or not await repository.claim_totp_step(db, pending.id, step):
        await fail(db, user, CodeInvalid(field="code"), step="totp_enrolment", now=now)
    first = not await repository.has_second_factor(db, user.id)
    pending.confirmed_at = now
    succeeded(user)
    await db.flush()
    await events.second_factor_added(db, user_id=user.id, factor="totp", factor_id=str(pending.id))
    principals.forget_user(user.id)  # the user's other sessions must now pass it
    return await issue_recovery_codes(db, user.id) if first else None


async def verify_code(db: AsyncSession, user: User, code: str, *, now: datetime) -> str:
    """Check a TOTP code or a recovery code at sign-in; the step passed ('totp' or 'recovery_code')."""
    check_not_slowed(user, now)
    candidate = code.strip().replace(" ", "")
    if len(candidate) == 6 and candidate.isdigit():
        await _verify_totp(db, user, candidate, now=now)
        step = "totp"
    else:
        await _use_recovery_code(db, user, candidate, now=now)
        step = "recovery_code"
    succeeded(user)
    await db.flush()
    return step


async def _verify_totp(db: AsyncSession, user: User, code: str, *, now: datetime) -> None:
    key = await repository.get_totp(db, user.id)
    step = totp.matching_step(key.secret, code, now) if key and key.confirmed_at else None
    if key is None or step is None:
        await fail(db, user, CodeInvalid(field="code"), step="totp", now=now)
    if not await repository.claim_totp_step(db, key.id, step):
        await fail(db, user, CodeUsed(field="code"), step="totp", now=now)


async def _use_recovery_code(db: AsyncSession, user: User, code: str, *, now: datetime) -> None:
    normal = recovery.normalise(code)
    if normal is not None:
        lookup = recovery.lookup_of(normal)
        for row in await repository.live_recovery_codes(db, user.id, lookup):
            if recovery.matches(row.code_hash, normal):
                row.used_at = now
                return
        if any(recovery.matches(r.code_hash, normal) for r in await repository.used_recovery_code(db, user.id, lookup)):
            await fail(db, user, RecoveryCodeUsed(field="code"), step="recovery_code", now=now)
    await fail(db, user, CodeInvalid(field="code"), step="recovery_code", now=now)


async def issue_recovery_codes(db: AsyncSession, user_id: uuid.UUID) -> list[str]:
    """A fresh set of recovery codes, replacing the user's current set; the codes are returned this once."""
    await repository.revoke_recovery_codes(db, user_id)
    codes = recovery.new_codes()
    db.add_all(
        RecoveryCode(user_id=user_id, lookup=recovery.lookup_of(c), code_hash=recovery.hash_code(c)) for c in codes
    )
    await db.flush()
    await events.recovery_codes_issued(db, user_id=user_id, count=len(codes))
    return codes


async def remove_totp(db: AsyncSession, user_id: uuid.UUID) -> None:
    """The owner switches TOTP off (its key is deleted: a key kept is a key that can leak)."""
    key = await repository.get_totp(db, user_id)
    if key is None or key.confirmed_at is None:
        raise TotpNotFound()
    await db.delete(key)
    await db.flush()
    await events.second_factor_removed(db, user_id=user_id, actor_id=user_id, factor="totp", factor_id=str(key.id))
    principals.forget_user(user_id)


async def reset(db: AsyncSession, user_id: uuid.UUID, *, actor_id: uuid.UUID, now: datetime) -> int:
    """An administrator removes every second factor of a user and ends all their sessions; sessions ended."""
    await repository.remove_second_factors(db, user_id, now)
    ended = await end_other_sessions(db, user_id, None, actor_id=actor_id, reason="reset")
    await events.second_factor_reset(db, user_id=user_id, actor_id=actor_id)
    principals.forget_user(user_id)
    return ended
