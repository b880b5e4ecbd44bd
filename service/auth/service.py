"""Authentication, users, agencies and API tokens. Services flush; the request commits."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.auth import AgencyIn
from service.audit import service as audit
from service.auth import events, passwords, repository, slowdown
from service.auth.cache import principals
from service.auth.models import Agency, ApiToken, Role, User
from service.auth.principal import Principal
from service.auth.sessions import end_other_sessions
from service.auth.tokens import display_prefix, new_token, token_digest
from service.db import separate_transaction
from service.errors import AppError, Conflict, Forbidden, Invalid, InvalidCredentials, NotFound, Unauthenticated

# Told when failed sign-ins start slowing an account down (the notifications package emails the user; auth,
# below it, only calls what the app hands it).
SlowedNotice = Callable[[AsyncSession, User, int, datetime], Awaitable[None]]


class UnknownAgency(NotFound):
    code = "agency.not_found"


class UnknownUser(NotFound):
    code = "user.not_found"


class UsernameTaken(Conflict):
    code = "user.exists"


class AgencyCodeTaken(Conflict):
    code = "agency.exists"


class WeakPassword(Invalid):
    code = "user.weak_password"


class UnknownRole(Invalid):
    code = "role.unknown"


class TokenNotFound(NotFound):
    code = "auth.token_not_found"


class AccountSlowed(AppError):
    status = 429
    code = "auth.account_slowed"


class WrongPassword(Invalid):
    code = "user.wrong_password"


class TokenNeedsSecondFactor(Forbidden):
    code = "auth.token_needs_second_factor"


def check_account_not_slowed(user: User, now: datetime) -> None:
    """Refuse, unchecked, a sign-in while the account waits after failed ones (429 with Retry-After)."""
    wait = slowdown.retry_after(user.failed_sign_ins, user.last_failed_sign_in_at, slowdown.FREE_SIGN_IN_FAILURES, now)
    if wait:
        raise AccountSlowed(headers={"Retry-After": str(wait)}, seconds=wait)


async def authenticate(
    session: AsyncSession,
    username: str,
    password: str,
    *,
    notify_slowed: SlowedNotice | None = None,
) -> User:
    """The active user with these credentials; one answer for unknown user and wrong password. Failures slow
    the account down (counted in a transaction of their own, so the refused request does not undo them)."""
    now = datetime.now(UTC)
    name = username.strip().lower()
    user = await repository.get_user_by_username(session, name)
    if user is not None and user.is_active:
        check_account_not_slowed(user, now)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        reason = "unknown_user" if user is None else "wrong_password" if not ok else "inactive"
        await _count_failed_sign_in(
            session, user, audit.Who(user.id if user else None, name), reason, now, notify_slowed
        )
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now
    user.failed_sign_ins, user.last_failed_sign_in_at = 0, None
    await session.flush()
    await audit.record(session, "auth.sign_in", user, record_type="user", record_ids=[user.id])
    return user


async def _count_failed_sign_in(
    session: AsyncSession,
    user: User | None,
    who: audit.Who,
    reason: str,
    now: datetime,
    notify_slowed: SlowedNotice | None,
) -> None:
    """Audit the refusal and count it against the account, in a transaction of its own (kept after the rollback)."""
    async with separate_transaction(session) as own:
        await audit.record(own, "auth.sign_in_failed", who, record_type="user", detail={"reason": reason})
        if user is None:
            return
        failures = await repository.count_failure(own, user.id, second_factor=False, now=now)
        if failures == slowdown.FREE_SIGN_IN_FAILURES and notify_slowed is not None:
            await notify_slowed(own, user, failures, now)


async def change_password(
    session: AsyncSession, principal: Principal, current: str, new: str, *, keep_session_id: str | None
) -> int:
    """Change the caller's password (the current one proves it is them) and end their other sessions."""
    now = datetime.now(UTC)
    user = await repository.get_active_user(session, principal.user_id)
    if user is None:  # deactivated between the middleware's check and now
        raise Unauthenticated()
    check_account_not_slowed(user, now)
    if not passwords.verify_password(user.password_hash, current):
        async with separate_transaction(session) as own:
            await repository.count_failure(own, user.id, second_factor=False, now=now)
        raise WrongPassword(field="current_password")
    check_password(new, field="new_password")
    user.password_hash = passwords.hash_password(new)
    await session.flush()
    ended = await end_other_sessions(session, user.id, keep_session_id, actor_id=user.id, reason="password")
    await events.password_changed(session, user_id=user.id, sessions_ended=ended)
    principals.forget_user(user.id)
    return ended


async def require_agency(session: AsyncSession, code: str, field: str = "agency_code") -> Agency:
    """The agency with this code, or a 404 naming the field."""
    agency = await repository.get_agency_by_code(session, code)
    if agency is None:
        raise UnknownAgency(field=field, code=code)
    return agency


def check_role(role: str, field: str = "role") -> Role:
    """The role with this code, or a 400 naming the field."""
    try:
        return Role(role)
    except ValueError:
        raise UnknownRole(field=field, role=role) from None


def check_password(password: str, field: str = "password") -> None:
    """Reject passwords too short to resist guessing."""
    if len(password) < passwords.MIN_LENGTH:
        raise WeakPassword(field=field)


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    agency_code: str,
    role: str,
    full_name: str = "",
    actor: audit.Actor | None = None,
) -> User:
    """A new active user with an argon2 password hash."""
    checked_role = check_role(role)
    check_password(password)
    agency = await require_agency(session, agency_code)
    if await repository.get_user_by_username(session, username) is not None:
        raise UsernameTaken(field="username")
    user = User(
        username=username,
        full_name=full_name,
        password_hash=passwords.hash_password(password),
        agency_id=agency.id,
        role=checked_role.value,
    )
    session.add(user)
    await session.flush()
    user.agency = agency
    detail = {"username": user.username, "role": user.role, "agency": agency.code}
    await audit.record(session, "user.created", actor, record_type="user", record_ids=[user.id], detail=detail)
    return user


async def update_user(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    full_name: str | None,
    role: str | None,
    agency_code: str | None,
    is_active: bool | None,
    actor: audit.Actor | None = None,
) -> User:
    """Change a user's name, role, agency or active flag; the change (old and new values) is audited."""
    user = await repository.get_user(session, user_id)
    if user is None:
        raise UnknownUser()
    before = _audited(user)
    if full_name is not None:
        user.full_name = full_name
    if role is not None:
        user.role = check_role(role).value
    if agency_code is not None:
        agency = await require_agency(session, agency_code)
        user.agency_id, user.agency = agency.id, agency
    if is_active is not None:
        user.is_active = is_active
    await session.flush()
    principals.forget_user(user.id)
    after = _audited(user)
    changed = {key: [before[key], after[key]] for key in after if after[key] != before[key]}
    if changed:
        await audit.record(
            session, "user.changed", actor, record_type="user", record_ids=[user.id], fields=changed, detail=changed
        )
    return user


def _audited(user: User) -> dict[str, Any]:
    return {"full_name": user.full_name, "role": user.role, "agency": user.agency.code, "is_active": user.is_active}


async def create_agency(session: AsyncSession, data: AgencyIn, *, actor: audit.Actor | None = None) -> Agency:
    """A new agency or team; codes are unique."""
    if await repository.get_agency_by_code(session, data.code) is not None:
        raise AgencyCodeTaken(field="code")
    parent = await require_agency(session, data.parent_code, field="parent_code") if data.parent_code else None
    if data.valid_to is not None and data.valid_to < data.valid_from:
        raise Invalid(field="valid_to", detail="valid_to < valid_from")
    agency = Agency(
        code=data.code,
        name_vi=data.name_vi,
        name_en=data.name_en,
        role_vi=data.role_vi,
        role_en=data.role_en,
        parent_id=parent.id if parent else None,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
    )
    session.add(agency)
    await session.flush()
    agency.parent = parent
    detail = {"code": data.code, "parent": data.parent_code, "valid_from": data.valid_from.isoformat()}
    await audit.record(session, "agency.created", actor, record_type="agency", record_ids=[agency.id], detail=detail)
    return agency


async def create_token(
    session: AsyncSession, principal: Principal, *, name: str, expires_in_days: int | None
) -> tuple[ApiToken, str]:
    """A new API token for the caller, and its secret (returned once, stored hashed). Tokens are single-factor:
    only a login session may make one, and one that passed its second factor when the user has one."""
    if principal.method != "session" or principal.second_factor not in ("passed", "single"):
        raise TokenNeedsSecondFactor()
    raw = new_token()
    expires_at = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(
        user_id=principal.user_id,
        name=name,
        token_hash=token_digest(raw),
        prefix=display_prefix(raw),
        expires_at=expires_at,
    )
    session.add(token)
    await session.flush()
    detail = {"name": name, "prefix": token.prefix, "expires_at": expires_at.isoformat() if expires_at else None}
    await audit.record(
        session, "auth.token_issued", principal, record_type="api_token", record_ids=[token.id], detail=detail
    )
    return token, raw


async def revoke_token(session: AsyncSession, principal: Principal, token_id: uuid.UUID) -> ApiToken:
    """Revoke one of the caller's tokens; the row stays for the record."""
    token = await repository.get_own_token(session, principal.user_id, token_id)
    if token is None:
        raise TokenNotFound()
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        await session.flush()
        detail = {"name": token.name, "prefix": token.prefix}
        await audit.record(
            session, "auth.token_revoked", principal, record_type="api_token", record_ids=[token.id], detail=detail
        )
    principals.forget_user(principal.user_id)
    return token
