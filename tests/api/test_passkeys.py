"""Passkeys and security keys (WebAuthn) with a software authenticator: registration, sign-in, replay."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Passkey
from tests.builders import csrf_headers, logged_in, login
from tests.webauthn_authenticator import SoftAuthenticator

Client = AsyncTestClient[Litestar]
ORIGIN, RP_ID = "http://testserver.local", "testserver.local"


async def _register(client: Client, key: SoftAuthenticator, name: str = "Khóa YubiKey") -> dict[str, object]:
    headers = await csrf_headers(client)
    options = (await client.post("/api/me/second-factor/passkeys/options", headers=headers)).json()
    assert options["rp"]["id"] == RP_ID and options["challenge"]
    created = await client.post(
        "/api/me/second-factor/passkeys", json={"name": name, "credential": key.create(options)}, headers=headers
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


async def _assert(client: Client, key: SoftAuthenticator) -> tuple[dict[str, object], dict[str, object]]:
    headers = await csrf_headers(client)
    options = (await client.post("/api/auth/second-factor/passkey/options", headers=headers)).json()
    return options, key.get(options)


async def test_a_registered_passkey_passes_the_second_factor(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    key = SoftAuthenticator(origin=ORIGIN, rp_id=RP_ID)
    created = await _register(client, key)
    assert created["passkey"]["name"] == "Khóa YubiKey"  # type: ignore[index]
    assert len(created["recovery_codes"]) == 10  # type: ignore[arg-type]  # the first factor brings them
    await login(client, user.username)
    assert (await client.get("/api/incidents")).status_code == 403  # pending
    _, assertion = await _assert(client, key)
    passed = await client.post(
        "/api/auth/second-factor/passkey", json={"credential": assertion}, headers=await csrf_headers(client)
    )
    assert passed.status_code == 200 and passed.json()["second_factor"] == "passed"
    assert (await client.get("/api/incidents")).status_code == 200
    stored = await db.scalar(select(Passkey.sign_count).where(Passkey.user_id == user.id))
    assert stored == 1


async def test_a_replayed_assertion_is_refused(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    key = SoftAuthenticator(origin=ORIGIN, rp_id=RP_ID)
    await _register(client, key)
    await login(client, user.username)
    _, assertion = await _assert(client, key)
    headers = await csrf_headers(client)
    first = await client.post("/api/auth/second-factor/passkey", json={"credential": assertion}, headers=headers)
    assert first.status_code == 200
    await login(client, user.username)
    replay_no_challenge = await client.post(
        "/api/auth/second-factor/passkey", json={"credential": assertion}, headers=await csrf_headers(client)
    )
    await _assert(client, key)  # a fresh challenge is waiting now: the old answer still does not fit it
    replay_new_challenge = await client.post(
        "/api/auth/second-factor/passkey", json={"credential": assertion}, headers=await csrf_headers(client)
    )
    for refused in (replay_no_challenge, replay_new_challenge):
        assert refused.status_code == 400
        assert refused.json()["code"] == "second_factor.passkey_invalid" and refused.json()["field"] == "credential"
    assert (await client.get("/api/incidents")).status_code == 403


async def test_a_key_of_another_site_or_a_cloned_counter_is_refused(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    key = SoftAuthenticator(origin=ORIGIN, rp_id=RP_ID)
    await _register(client, key)
    await login(client, user.username)
    phishing = SoftAuthenticator(
        origin="http://evil.example", rp_id=RP_ID, key=key.key, credential_id=key.credential_id
    )
    _, assertion = await _assert(client, phishing)
    wrong_origin = await client.post(
        "/api/auth/second-factor/passkey", json={"credential": assertion}, headers=await csrf_headers(client)
    )
    assert wrong_origin.status_code == 400
    key.counter = 5
    _, good = await _assert(client, key)
    assert (
        await client.post(
            "/api/auth/second-factor/passkey", json={"credential": good}, headers=await csrf_headers(client)
        )
    ).status_code == 200
    await login(client, user.username)
    key.counter = 2  # a clone behind the stored counter
    _, cloned = await _assert(client, key)
    refused = await client.post(
        "/api/auth/second-factor/passkey", json={"credential": cloned}, headers=await csrf_headers(client)
    )
    assert refused.status_code == 400 and refused.json()["code"] == "second_factor.passkey_invalid"


async def test_removing_a_passkey_keeps_it_on_record(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    created = await _register(client, SoftAuthenticator(origin=ORIGIN, rp_id=RP_ID))
    passkey_id = created["passkey"]["id"]  # type: ignore[index]
    removed = await client.delete(f"/api/me/second-factor/passkeys/{passkey_id}", headers=headers)
    assert removed.status_code == 200
    assert (await client.get("/api/me/second-factor")).json()["passkeys"] == []
    assert await db.scalar(select(Passkey.removed_at).where(Passkey.user_id == user.id)) is not None
