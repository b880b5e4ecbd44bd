"""Partners and their credentials: register, rotate, revoke (never delete), the token exchange, who is calling
(bearer token or the LGSP gateway's header), and their access log."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from service.audit import service as audit
from service.auth.passwords import hash_password, verify_password
from service.errors import AppError, Invalid, NotFound
from service.settings import Settings
from service.share import access, gateway, repository, tokens
from service.share.access import Call
from service.share.catalogue import DATASETS
from service.share.models import ShareAccess, SharePartner
from service.share.repository import calls


class InvalidClient(AppError):
    """Wrong, revoked or expired partner credentials or token."""

    status = 401
    code = "share.invalid_client"


class PartnerNotFound(NotFound):
    code = "share.partner_not_found"


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


async def register(
    db: AsyncSession,
    *,
    name: str,
    body: str,
    contact: str,
    legal_basis: str,
    datasets: list[str],
    expires_on: date | None,
    rate_limit: int | None = None,
    actor: audit.Actor | None = None,
) -> tuple[SharePartner, str]:
    """A new partner and its secret, shown this once (only its argon2 hash is kept)."""
    unknown = [d for d in datasets if d not in DATASETS]
    if unknown:
        raise Invalid(field="datasets", value=", ".join(unknown)).with_code("share.dataset_unknown")
    secret = _new_secret()
    partner = SharePartner(
        name=name,
        body=body,
        contact=contact,
        legal_basis=legal_basis,
        datasets=sorted(set(datasets)),
        expires_on=expires_on,
        client_id="lcp-" + secrets.token_hex(8),
        secret_hash=hash_password(secret),
        rate_limit=rate_limit,
    )
    repository.add(db, partner)
    await db.flush()
    detail = {
        "name": name,
        "body": body,
        "datasets": partner.datasets,
        "expires_on": expires_on.isoformat() if expires_on else None,
        "rate_limit": rate_limit,
    }
    await audit.record(
        db, "share.partner_registered", actor, record_type="share_partner", record_ids=[partner.id], detail=detail
    )
    return partner, secret


async def get_partner(db: AsyncSession, partner_id: uuid.UUID) -> SharePartner:
    """One partner, or a 404."""
    partner = await repository.get(db, partner_id)
    if partner is None:
        raise PartnerNotFound()
    return partner


async def rotate(db: AsyncSession, partner_id: uuid.UUID, actor: audit.Actor | None = None) -> tuple[SharePartner, str]:
    """A new secret (shown once); the old secret and every token issued with it stop working."""
    partner = await get_partner(db, partner_id)
    if partner.revoked_at is not None:
        raise InvalidClient().with_code("share.partner_revoked", status=409)
    secret = _new_secret()
    partner.secret_hash = hash_password(secret)
    partner.secret_version += 1
    await db.flush()
    detail = {"secret_version": partner.secret_version}
    await audit.record(
        db, "share.partner_rotated", actor, record_type="share_partner", record_ids=[partner.id], detail=detail
    )
    return partner, secret


async def revoke(db: AsyncSession, partner_id: uuid.UUID, actor: audit.Actor | None = None) -> SharePartner:
    """Revoke the partner: its credentials and tokens stop working; the row and its history stay."""
    partner = await get_partner(db, partner_id)
    if partner.revoked_at is None:
        partner.revoked_at = datetime.now(UTC)
        await db.flush()
        await audit.record(db, "share.partner_revoked", actor, record_type="share_partner", record_ids=[partner.id])
    return partner


async def access_page(
    db: AsyncSession, partner_id: uuid.UUID, before: int | None, size: int
) -> tuple[list[ShareAccess], int | None]:
    """A partner's recorded calls, newest first (a 404 for an unknown partner)."""
    await get_partner(db, partner_id)
    return await calls.access_page(db, partner_id, before, size)


async def prune_access(db: AsyncSession, days: int, today: datetime | None = None) -> int:
    """Delete the partner calls recorded more than `days` days ago; the number deleted."""
    return await calls.prune_access(db, (today or datetime.now(UTC)) - timedelta(days=days))


def usable(partner: SharePartner | None, today: date | None = None) -> bool:
    """Not revoked and not past its expiry."""
    if partner is None or partner.revoked_at is not None:
        return False
    return partner.expires_on is None or partner.expires_on >= (today or datetime.now(UTC).date())


async def issue_token(
    db: AsyncSession, settings: Settings, client_id: str, client_secret: str, call: Call
) -> tuple[str, int]:
    """OAuth 2 client credentials: a signed token and its lifetime, or a 401 whatever was wrong; a known client is
    counted against its rate limit and its call recorded even when its secret is wrong."""
    partner = await repository.by_client_id(db, client_id)
    if partner is not None:
        call.partner_id = partner.id
        await access.check_rate(db, partner, settings.share_rate_limit)
    genuine = verify_password(partner.secret_hash if partner else None, client_secret)
    if not genuine or partner is None or not usable(partner):
        raise InvalidClient()
    token, _ = tokens.issue(settings.share_token_key, partner.id, partner.secret_version)
    return token, tokens.LIFETIME_SECONDS


async def _partner_of_token(db: AsyncSession, key: str, token: str, call: Call) -> SharePartner:
    claims = tokens.verify(key, token)
    if claims is None:
        raise InvalidClient()  # forged or expired: no partner is named for certain
    partner_id, version, _ = claims
    partner = await repository.get(db, partner_id)
    if partner is not None:
        call.partner_id = partner.id  # a genuine token of a revoked or rotated partner: recorded against it
    if partner is None or not usable(partner) or partner.secret_version != version:
        raise InvalidClient()
    return partner


async def _partner_of_gateway(
    db: AsyncSession, settings: Settings, headers: Mapping[str, str], client_host: str | None, call: Call
) -> SharePartner:
    call.via = "gateway"
    client_id = gateway.named_client(headers)
    named = await repository.by_client_id(db, client_id) if client_id else None
    if named is not None:
        call.partner_id = named.id  # a spoofed header naming a real partner is recorded against it
    gateway.check_sent_by_gateway(settings, headers, client_host)
    if named is None or not usable(named):
        raise InvalidClient()
    return named


async def authenticate(
    db: AsyncSession,
    settings: Settings,
    *,
    token: str | None,
    headers: Mapping[str, str],
    client_host: str | None,
    call: Call,
) -> SharePartner:
    """The partner calling, by its bearer token or the gateway's header; counted against its rate limit."""
    if token is not None:
        partner = await _partner_of_token(db, settings.share_token_key, token, call)
    else:
        partner = await _partner_of_gateway(db, settings, headers, client_host, call)
    await access.check_rate(db, partner, settings.share_rate_limit)
    return partner
