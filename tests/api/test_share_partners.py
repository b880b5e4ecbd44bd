"""Partner systems: registered by an admin, credentials shown once, rotated and revoked; the token exchange."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.settings import Settings
from service.share import tokens
from tests.builders import logged_in

PARTNER = {
    "name": "Hệ thống giám sát thị trường",
    "body": "Cục Quản lý thị trường",
    "contact": "lienhe@example.gov.vn",
    "legal_basis": "Nghị định 47/2020/NĐ-CP, Điều 12",
    "datasets": ["incidents"],
}


async def register(client: AsyncTestClient[Litestar], db: AsyncSession, **changes: Any) -> dict[str, Any]:
    _, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    response = await client.post("/api/admin/partners", json={**PARTNER, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    return {**response.json(), "headers": headers}


async def token(client: AsyncTestClient[Litestar], client_id: str, secret: str) -> Any:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return await client.post("/api/share/v1/token", data=form)


async def test_registered_partner_gets_a_short_lived_token_once_its_secret_is_known(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
):
    created = await register(client, db)
    assert created["partner"]["datasets"] == ["incidents"]
    stored = (
        await db.execute(
            text("SELECT secret_hash FROM share_partners WHERE client_id = :c"), {"c": created["client_id"]}
        )
    ).scalar_one()
    assert stored.startswith("$argon2id$") and created["client_secret"] not in stored
    listed = (await client.get("/api/admin/partners")).json()
    assert "client_secret" not in listed[0] and "secret_hash" not in listed[0]

    answer = await token(client, created["client_id"], created["client_secret"])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == tokens.LIFETIME_SECONDS
    partner_id, version, jti = tokens.verify(settings.share_token_key, body["access_token"]) or (None, 0, "")
    assert str(partner_id) == created["partner"]["id"] and version == 1 and jti


async def test_wrong_rotated_revoked_or_expired_credentials_get_401(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
):
    created = await register(client, db)
    headers, pid = created["headers"], created["partner"]["id"]
    wrong = await token(client, created["client_id"], "not-the-secret")
    assert wrong.status_code == 401 and wrong.json()["code"] == "share.invalid_client"
    assert wrong.json()["message_vi"].startswith("Thông tin xác thực")

    rotated = (await client.post(f"/api/admin/partners/{pid}/rotate", headers=headers)).json()
    assert (await token(client, created["client_id"], created["client_secret"])).status_code == 401
    assert (await token(client, created["client_id"], rotated["client_secret"])).status_code == 200

    revoked = await client.post(f"/api/admin/partners/{pid}/revoke", headers=headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert (await token(client, created["client_id"], rotated["client_secret"])).status_code == 401
    still_listed = [p["id"] for p in (await client.get("/api/admin/partners")).json()]
    assert pid in still_listed
    assert (await client.post(f"/api/admin/partners/{pid}/rotate", headers=headers)).status_code == 409

    expired = await register(client, db, expires_on="2020-01-01")
    assert (await token(client, expired["client_id"], expired["client_secret"])).status_code == 401


async def test_expired_or_forged_tokens_are_not_genuine(settings: Settings):
    import uuid

    old, _ = tokens.issue(settings.share_token_key, uuid.uuid4(), 1, now=1_000_000)
    assert tokens.verify(settings.share_token_key, old) is None
    fresh, _ = tokens.issue("another key of enough length for hs256 signing", uuid.uuid4(), 1)
    assert tokens.verify(settings.share_token_key, fresh) is None


async def test_unknown_dataset_or_grant_type_is_a_400_naming_the_field(
    client: AsyncTestClient[Litestar], db: AsyncSession
):
    _, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    response = await client.post("/api/admin/partners", json={**PARTNER, "datasets": ["violators"]}, headers=headers)
    assert response.status_code == 400 and response.json()["field"] == "datasets"
    assert "violators" in response.json()["message_en"]
    form = {"grant_type": "password", "client_id": "x", "client_secret": "y"}
    refused = await client.post("/api/share/v1/token", data=form)
    assert refused.status_code == 400 and refused.json()["field"] == "grant_type"
