"""Passkeys and security keys (WebAuthn, with the `webauthn` package): registration and sign-in assertions.

Each ceremony's challenge lives in the caller's login session and is taken out when the answer comes back,
so an assertion can be checked once: replayed, it meets no challenge or another one. The signature counter
must grow when the authenticator keeps one. The relying party is the host the browser talks to (checked
against ALLOWED_HOSTS before any of this runs).
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import webauthn
from sqlalchemy.ext.asyncio import AsyncSession
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from service.auth import events, repository
from service.auth.cache import principals
from service.auth.models import Passkey, User
from service.auth.second_factor import check_not_slowed, fail, issue_recovery_codes, succeeded
from service.errors import Invalid, NotFound

RP_NAME = "ipcoord"
CHALLENGE_KEY = "webauthn_challenge"


class PasskeyInvalid(Invalid):
    code = "second_factor.passkey_invalid"


class PasskeyNotFound(NotFound):
    code = "second_factor.passkey_not_found"


@dataclass(frozen=True)
class RelyingParty:
    """Who the browser thinks it talks to: the host name (rp id) and the page origin."""

    rp_id: str
    origin: str


def _descriptors(keys: list[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=key.credential_id) for key in keys]


def _new_challenge(store: dict[str, Any], purpose: str) -> bytes:
    challenge = secrets.token_bytes(32)
    store[CHALLENGE_KEY] = {"purpose": purpose, "value": bytes_to_base64url(challenge)}
    return challenge


def _take_challenge(store: dict[str, Any], purpose: str) -> bytes | None:
    held = store.pop(CHALLENGE_KEY, None)
    if not isinstance(held, dict) or held.get("purpose") != purpose:
        return None
    return base64url_to_bytes(str(held["value"]))


async def registration_options(db: AsyncSession, user: User, rp: RelyingParty, store: dict[str, Any]) -> dict[str, Any]:
    """The options for navigator.credentials.create(); the challenge is kept in the session `store`."""
    options = webauthn.generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=RP_NAME,
        user_name=user.username,
        user_id=user.id.bytes,
        user_display_name=user.full_name or user.username,
        challenge=_new_challenge(store, "register"),
        exclude_credentials=_descriptors(await repository.list_passkeys(db, user.id)),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED, user_verification=UserVerificationRequirement.PREFERRED
        ),
    )
    loaded: dict[str, Any] = json.loads(webauthn.options_to_json(options))
    return loaded


async def register(
    db: AsyncSession, user: User, rp: RelyingParty, store: dict[str, Any], *, name: str, credential: dict[str, Any]
) -> tuple[Passkey, list[str] | None]:
    """Store the new credential; the recovery codes when it is the user's first second factor."""
    challenge = _take_challenge(store, "register")
    if challenge is None:
        raise PasskeyInvalid(field="credential")
    try:
        verified = webauthn.verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp.rp_id, expected_origin=rp.origin
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise PasskeyInvalid(field="credential") from None
    first = not await repository.has_second_factor(db, user.id)
    key = Passkey(
        user_id=user.id,
        name=name,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )
    db.add(key)
    await db.flush()
    await events.second_factor_added(db, user_id=user.id, factor="passkey", factor_id=str(key.id))
    principals.forget_user(user.id)  # the user's other sessions must now pass it
    return key, (await issue_recovery_codes(db, user.id) if first else None)


async def authentication_options(
    db: AsyncSession, user: User, rp: RelyingParty, store: dict[str, Any]
) -> dict[str, Any]:
    """The options for navigator.credentials.get() over the user's passkeys."""
    keys = await repository.list_passkeys(db, user.id)
    options = webauthn.generate_authentication_options(
        rp_id=rp.rp_id,
        challenge=_new_challenge(store, "authenticate"),
        allow_credentials=_descriptors(keys),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    loaded: dict[str, Any] = json.loads(webauthn.options_to_json(options))
    return loaded


async def authenticate(
    db: AsyncSession,
    user: User,
    rp: RelyingParty,
    store: dict[str, Any],
    credential: dict[str, Any],
    *,
    now: datetime,
) -> None:
    """Check a sign-in assertion against the session's challenge and the stored key (once: see the module)."""
    check_not_slowed(user, now)
    challenge = _take_challenge(store, "authenticate")
    raw_id = credential.get("rawId") or credential.get("id")
    key = await _key_of(db, user, raw_id)
    if challenge is None or key is None:
        await fail(db, user, PasskeyInvalid(field="credential"), step="passkey", now=now)
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        await fail(db, user, PasskeyInvalid(field="credential"), step="passkey", now=now)
    key.sign_count, key.last_used_at = verified.new_sign_count, now
    succeeded(user)
    await db.flush()


async def _key_of(db: AsyncSession, user: User, raw_id: object) -> Passkey | None:
    if not isinstance(raw_id, str):
        return None
    try:
        credential_id = base64url_to_bytes(raw_id)
    except ValueError:
        return None
    return await repository.get_passkey_by_credential(db, user.id, credential_id)


async def remove(db: AsyncSession, user_id: uuid.UUID, passkey_id: uuid.UUID, now: datetime) -> Passkey:
    """The owner removes one of their passkeys (kept on record as removed)."""
    key = next((k for k in await repository.list_passkeys(db, user_id) if k.id == passkey_id), None)
    if key is None:
        raise PasskeyNotFound()
    key.removed_at = now
    await db.flush()
    await events.second_factor_removed(db, user_id=user_id, actor_id=user_id, factor="passkey", factor_id=str(key.id))
    principals.forget_user(user_id)
    return key
