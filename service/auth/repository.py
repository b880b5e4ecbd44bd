"""Every auth query lives here."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from service.auth.models import Agency, ApiToken, LoginSession, Passkey, RecoveryCode, TotpSecret, User


async def get_user_by_username(session: AsyncSession, username: str) -> User | None:
    """An active or inactive user with their agency loaded."""
    stmt = select(User).options(joinedload(User.agency)).where(User.username == username)
    return (await session.scalars(stmt)).one_or_none()


async def get_active_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The user behind a login session, if still active."""
    stmt = select(User).options(joinedload(User.agency)).where(User.id == user_id, User.is_active.is_(True))
    return (await session.scalars(stmt)).one_or_none()


async def get_token_user(session: AsyncSession, digest: str) -> tuple[ApiToken, User] | None:
    """The live token with this digest and its active owner."""
    now = datetime.now(UTC)
    stmt = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .options(joinedload(User.agency))
        .where(
            ApiToken.token_hash == digest,
            ApiToken.revoked_at.is_(None),
            (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now),
            User.is_active.is_(True),
        )
    )
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row else None


async def touch_token(session: AsyncSession, token_id: uuid.UUID) -> None:
    """Record when a token was last used (at most once a minute, to spare writes)."""
    now = datetime.now(UTC)
    await session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where((ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < now.replace(second=0, microsecond=0)))
        .values(last_used_at=now)
    )


async def list_tokens(session: AsyncSession, user_id: uuid.UUID) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included."""
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc())
    return list(await session.scalars(stmt))


async def get_own_token(session: AsyncSession, user_id: uuid.UUID, token_id: uuid.UUID) -> ApiToken | None:
    """One of the user's own tokens."""
    stmt = select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    return (await session.scalars(stmt)).one_or_none()


async def get_agency_by_code(session: AsyncSession, code: str) -> Agency | None:
    """The agency with this code."""
    return (await session.scalars(select(Agency).where(Agency.code == code))).one_or_none()


async def list_agencies(session: AsyncSession) -> list[Agency]:
    """Every agency, by code."""
    return list(await session.scalars(select(Agency).order_by(Agency.code)))


async def list_users(session: AsyncSession, agency_id: uuid.UUID | None = None) -> list[User]:
    """Users with their agencies, optionally of one agency."""
    stmt = select(User).options(joinedload(User.agency)).order_by(User.username)
    if agency_id is not None:
        stmt = stmt.where(User.agency_id == agency_id)
    return list(await session.scalars(stmt))


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """One user with their agency."""
    stmt = select(User).options(joinedload(User.agency)).where(User.id == user_id)
    return (await session.scalars(stmt)).one_or_none()


async def has_second_factor(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """True when the user has a confirmed TOTP key or a passkey in use."""
    totp = select(TotpSecret.id).where(TotpSecret.user_id == user_id, TotpSecret.confirmed_at.is_not(None))
    keys = select(Passkey.id).where(Passkey.user_id == user_id, Passkey.removed_at.is_(None))
    return bool(await session.scalar(select(exists(totp) | exists(keys))))


async def get_totp(session: AsyncSession, user_id: uuid.UUID) -> TotpSecret | None:
    """The user's TOTP key, confirmed or not."""
    return (await session.scalars(select(TotpSecret).where(TotpSecret.user_id == user_id))).one_or_none()


async def claim_totp_step(session: AsyncSession, totp_id: uuid.UUID, step: int) -> bool:
    """Record `step` as used unless it or a later one already was (atomic: two requests cannot both win)."""
    stmt = (
        update(TotpSecret)
        .where(TotpSecret.id == totp_id, TotpSecret.last_used_step < step)
        .values(last_used_step=step)
        .returning(TotpSecret.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def list_passkeys(session: AsyncSession, user_id: uuid.UUID) -> list[Passkey]:
    """The user's passkeys in use, oldest first."""
    stmt = select(Passkey).where(Passkey.user_id == user_id, Passkey.removed_at.is_(None)).order_by(Passkey.created_at)
    return list(await session.scalars(stmt))


async def get_passkey_by_credential(session: AsyncSession, user_id: uuid.UUID, credential_id: bytes) -> Passkey | None:
    """The user's passkey in use with this WebAuthn credential id."""
    stmt = select(Passkey).where(
        Passkey.user_id == user_id, Passkey.credential_id == credential_id, Passkey.removed_at.is_(None)
    )
    return (await session.scalars(stmt)).one_or_none()


async def live_recovery_codes(
    session: AsyncSession, user_id: uuid.UUID, lookup: str | None = None
) -> list[RecoveryCode]:
    """The user's recovery codes neither used nor replaced (those with this lookup part, if given)."""
    stmt = select(RecoveryCode).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None), RecoveryCode.revoked_at.is_(None)
    )
    if lookup is not None:
        stmt = stmt.where(RecoveryCode.lookup == lookup)
    return list(await session.scalars(stmt))


async def used_recovery_code(session: AsyncSession, user_id: uuid.UUID, lookup: str) -> list[RecoveryCode]:
    """The user's current-set codes with this lookup part that were already used."""
    stmt = select(RecoveryCode).where(
        RecoveryCode.user_id == user_id,
        RecoveryCode.lookup == lookup,
        RecoveryCode.used_at.is_not(None),
        RecoveryCode.revoked_at.is_(None),
    )
    return list(await session.scalars(stmt))


async def count_failure(session: AsyncSession, user_id: uuid.UUID, *, second_factor: bool, now: datetime) -> int:
    """Add one consecutive failure to the account (sign-in or second factor) and return the new count."""
    column, at = (
        (User.failed_second_factors, User.last_failed_second_factor_at)
        if second_factor
        else (User.failed_sign_ins, User.last_failed_sign_in_at)
    )
    stmt = update(User).where(User.id == user_id).values({column: column + 1, at: now}).returning(column)
    return int((await session.execute(stmt)).scalar_one())


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """One user by id (from the session's identity map when loaded)."""
    return await session.get(User, user_id)


async def revoke_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> None:
    """The user's current recovery codes revoked now."""
    now_revoked = update(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.revoked_at.is_(None))
    await session.execute(now_revoked.values(revoked_at=func.now()))


async def remove_second_factors(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    """Every second factor of a user removed (TOTP key deleted, passkeys and codes marked), failures cleared."""
    await session.execute(delete(TotpSecret).where(TotpSecret.user_id == user_id))
    await session.execute(
        update(Passkey).where(Passkey.user_id == user_id, Passkey.removed_at.is_(None)).values(removed_at=now)
    )
    await session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.execute(update(User).where(User.id == user_id).values(failed_second_factors=0))


async def fill_in_session(
    session: AsyncSession, session_id: str, user_id: uuid.UUID, public_id: str, address: str, user_agent: str
) -> None:
    """Who owns a login session just created, from where and with which browser."""
    await session.execute(
        update(LoginSession)
        .where(LoginSession.session_id == session_id)
        .values(
            user_id=user_id,
            public_id=public_id,
            started_at=func.now(),
            last_used_at=func.now(),
            address=address,
            user_agent=user_agent,
        )
    )


async def live_sessions(session: AsyncSession, user_id: uuid.UUID) -> list[LoginSession]:
    """The user's live sessions, most recently used first."""
    stmt = (
        select(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.expires_at > datetime.now(UTC))
        .order_by(LoginSession.last_used_at.desc().nulls_last(), LoginSession.started_at.desc())
    )
    return list(await session.scalars(stmt))


async def delete_session(session: AsyncSession, user_id: uuid.UUID, public_id: str) -> bool:
    """One of the user's sessions deleted; False when it was not theirs or not there."""
    stmt = delete(LoginSession).where(LoginSession.user_id == user_id, LoginSession.public_id == public_id)
    return (await session.execute(stmt.returning(LoginSession.id))).first() is not None


async def delete_sessions(session: AsyncSession, user_id: uuid.UUID, keep_session_id: str | None) -> int:
    """Every session of the user deleted except `keep_session_id` (None: all of them); the number deleted."""
    stmt = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep_session_id is not None:
        stmt = stmt.where(LoginSession.session_id != keep_session_id)
    return len((await session.execute(stmt.returning(LoginSession.id))).all())
