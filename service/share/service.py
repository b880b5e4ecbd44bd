"""Partners and their credentials: register, rotate, revoke (never delete), and the token exchange."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.passwords import hash_password, verify_password
from service.errors import AppError, Invalid, NotFound
from service.share import repository, tokens
from service.share.models import SharePartner

DATASETS = ("incidents", "sanctions", "referral_statistics", "counts_by_unit_2025", "counts_by_district_2024")


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
    )
    repository.add(db, partner)
    await db.flush()
    return partner, secret


async def _partner(db: AsyncSession, partner_id: uuid.UUID) -> SharePartner:
    partner = await repository.get(db, partner_id)
    if partner is None:
        raise PartnerNotFound()
    return partner


async def rotate(db: AsyncSession, partner_id: uuid.UUID) -> tuple[SharePartner, str]:
    """A new secret (shown once); the old secret and every token issued with it stop working."""
    partner = await _partner(db, partner_id)
    if partner.revoked_at is not None:
        raise InvalidClient().with_code("share.partner_revoked", status=409)
    secret = _new_secret()
    partner.secret_hash = hash_password(secret)
    partner.secret_version += 1
    await db.flush()
    return partner, secret


async def revoke(db: AsyncSession, partner_id: uuid.UUID) -> SharePartner:
    """Revoke the partner: its credentials and tokens stop working; the row and its history stay."""
    partner = await _partner(db, partner_id)
    if partner.revoked_at is None:
        partner.revoked_at = datetime.now(UTC)
        await db.flush()
    return partner


def usable(partner: SharePartner | None, today: date | None = None) -> bool:
    """Not revoked and not past its expiry."""
    if partner is None or partner.revoked_at is not None:
        return False
    return partner.expires_on is None or partner.expires_on >= (today or datetime.now(UTC).date())


async def issue_token(db: AsyncSession, key: str, client_id: str, client_secret: str) -> tuple[str, int]:
    """OAuth 2 client credentials: a signed token and its lifetime, or a 401 whatever was wrong."""
    partner = await repository.by_client_id(db, client_id)
    genuine = verify_password(partner.secret_hash if partner else None, client_secret)
    if not genuine or partner is None or not usable(partner):
        raise InvalidClient()
    token, _ = tokens.issue(key, partner.id, partner.secret_version)
    return token, tokens.LIFETIME_SECONDS


async def partner_of_token(db: AsyncSession, key: str, token: str) -> tuple[SharePartner, str]:
    """The partner a bearer token was issued to and the token's jti, or a 401."""
    claims = tokens.verify(key, token)
    if claims is None:
        raise InvalidClient()
    partner_id, version, jti = claims
    partner = await repository.get(db, partner_id)
    if partner is None or not usable(partner) or partner.secret_version != version:
        raise InvalidClient()
    return partner, jti
