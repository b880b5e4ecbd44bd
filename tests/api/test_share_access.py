"""Every partner call recorded (answered or refused) and shown to administrators; per-partner rate limits shared
by app instances (429 with Retry-After); the LGSP gateway's header believed only from the gateway; the issue's
check end to end."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.settings import Settings
from service.share import access, service, tokens
from service.share.gateway import PARTNER_HEADER, SECRET_HEADER
from service.share.models import ShareAccess
from tests.api.test_share_partners import register, token
from tests.builders import logged_in, make_incident, make_user

Client = AsyncTestClient[Litestar]
PERSONAL = {"violator", "name", "id_number", "tax_code", "address", "payload", "search_text", "lon", "lat", "goods"}
GATEWAY_SECRET = "lgsp-shared-secret-of-enough-length-0123456789"


async def access_log(client: Client, admin: dict[str, str], partner_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/admin/partners/{partner_id}/access", headers=admin)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_the_issue_check_incidents_only_partner_and_its_access_log(client: Client, db: AsyncSession):
    inspector = await make_user(db, role="inspector", agency="QLTT")
    for _ in range(7):
        await make_incident(db, inspector)
    await make_incident(db, inspector, kind="online_infringement")
    created = await register(client, db, datasets=["incidents"])
    admin_cookies = dict(client.cookies)
    client.cookies.clear()
    answer = await token(client, created["client_id"], created["client_secret"])
    bearer = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    catalogue = (await client.get("/api/share/v1/datasets", headers=bearer)).json()
    assert "incidents" in {d["name"] for d in catalogue["value"]} and catalogue["granted"] == ["incidents"]
    query: dict[str, Any] = {
        "$filter": "kind eq 'seizure' and unit_2025 eq '03388'",
        "$select": "id,kind,unit_2025,occurred_on,agency,goods_value_vnd",
        "$top": 5,
    }
    first = (await client.get("/api/share/v1/datasets/incidents", params=query, headers=bearer)).json()
    second = (await client.get(first["@odata.nextLink"], headers=bearer)).json()
    seen = first["value"] + second["value"]
    assert len(first["value"]) == 5 and len(second["value"]) == 2 and len({r["id"] for r in seen}) == 7
    assert not PERSONAL & {key for row in seen for key in row}
    refused = await client.get("/api/share/v1/datasets/sanctions", headers=bearer)
    assert refused.status_code == 403

    client.cookies.update(admin_cookies)
    log = await access_log(client, created["headers"], created["partner"]["id"])
    calls = [(e["path"], e["dataset"], e["status"], e["rows"]) for e in reversed(log)]
    assert calls == [
        ("/api/share/v1/token", None, 200, None),
        ("/api/share/v1/datasets", None, 200, 6),
        ("/api/share/v1/datasets/incidents", "incidents", 200, 5),
        ("/api/share/v1/datasets/incidents", "incidents", 200, 2),
        ("/api/share/v1/datasets/sanctions", "sanctions", 403, None),
    ]
    sent = {"$filter": query["$filter"], "$select": query["$select"], "$top": "5"}
    assert log[2]["query"] == sent and log[1]["query"] == {**sent, "$skip": "5"}
    assert log[0]["code"] == "share.dataset_not_granted" and log[0]["via"] == "token"


async def test_refusals_of_a_known_partner_are_recorded_and_the_log_is_paged_for_admins_only(
    client: Client, db: AsyncSession
):
    created = await register(client, db)
    admin, pid = created["headers"], created["partner"]["id"]
    assert (await token(client, created["client_id"], "wrong-secret")).status_code == 401
    good = (await token(client, created["client_id"], created["client_secret"])).json()["access_token"]
    bearer = {"Authorization": f"Bearer {good}"}
    bad_filter = await client.get("/api/share/v1/datasets/incidents", params={"$filter": "kind eq 'a"}, headers=bearer)
    assert bad_filter.status_code == 400
    assert (await client.get("/api/share/v1/datasets/nope", headers=bearer)).status_code == 404
    await client.post(f"/api/admin/partners/{pid}/rotate", headers=admin)
    replayed = await client.get("/api/share/v1/datasets", headers=bearer)  # a token issued before the rotation
    assert replayed.status_code == 401
    statuses = [(e["status"], e["code"]) for e in await access_log(client, admin, pid)]
    assert statuses == [
        (401, "share.invalid_client"),
        (404, "share.dataset_not_found"),
        (400, "share.filter_syntax"),
        (200, None),
        (401, "share.invalid_client"),
    ]

    for _ in range(101):
        await client.get("/api/share/v1/datasets/nope", headers=bearer)
    first = (await client.get(f"/api/admin/partners/{pid}/access", headers=admin)).json()
    assert len(first["items"]) == 100 and first["next_before"]
    older = (await client.get(f"/api/admin/partners/{pid}/access", params={"before": first["next_before"]})).json()
    assert len(older["items"]) == 6 and older["next_before"] is None
    assert older["items"][-1]["path"] == "/api/share/v1/token"

    await logged_in(client, db, role="coordinator", agency="SKHCN")
    assert (await client.get(f"/api/admin/partners/{pid}/access")).status_code == 403


async def test_rate_limit_per_partner_is_shared_by_app_instances_and_answers_429(
    client: Client, db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    # Ten seconds into a minute for the whole test, so it never straddles two windows.
    moment = (time.time() // 60) * 60 + 10
    monkeypatch.setattr(access, "time", SimpleNamespace(time=lambda: moment))
    created = await register(client, db, rate_limit=3)
    other = await register(client, db)  # the default limit (60): not affected
    client.cookies.clear()
    good = (await token(client, created["client_id"], created["client_secret"])).json()["access_token"]  # call 1
    bearer = {"Authorization": f"Bearer {good}"}
    async with AsyncTestClient(app=create_app(settings)) as second_instance:
        assert (await second_instance.get("/api/share/v1/datasets", headers=bearer)).status_code == 200  # 2
        assert (await client.get("/api/share/v1/datasets", headers=bearer)).status_code == 200  # 3
        limited = await second_instance.get("/api/share/v1/datasets", headers=bearer)  # 4
    assert limited.status_code == 429, limited.text
    assert limited.headers["Retry-After"] == "50"
    body = limited.json()
    assert body["code"] == "share.rate_limited" and "3" in body["message_vi"] and "3" in body["message_en"]
    assert (await token(client, created["client_id"], created["client_secret"])).status_code == 429
    assert (await token(client, other["client_id"], other["client_secret"])).status_code == 200
    await logged_in(client, db, role="admin", agency="SKHCN")
    log = (await client.get(f"/api/admin/partners/{created['partner']['id']}/access")).json()["items"]
    assert [e["status"] for e in log[:2]] == [429, 429]


def _gateway_app(settings: Settings, **changes: Any) -> Litestar:
    return create_app(msgspec.structs.replace(settings, **changes))


async def test_gateway_header_is_believed_only_from_the_gateway(client: Client, db: AsyncSession, settings: Settings):
    created = await register(client, db)
    named = {PARTNER_HEADER: created["client_id"]}
    with_secret = {**named, SECRET_HEADER: GATEWAY_SECRET}
    spoofed = {**named, SECRET_HEADER: "not-the-gateway-secret-but-long-enough-000"}

    # Off by default: the header alone is a spoof, even with the right secret.
    off = await client.get("/api/share/v1/datasets", headers=with_secret)
    assert off.status_code == 401 and off.json()["code"] == "share.gateway_refused"

    gateway = _gateway_app(settings, share_gateway_enabled=True, share_gateway_secret=GATEWAY_SECRET)
    async with AsyncTestClient(app=gateway) as via:
        accepted = await via.get("/api/share/v1/datasets/incidents", headers=with_secret)
        assert accepted.status_code == 200, accepted.text
        assert (await via.get("/api/share/v1/datasets/incidents", headers=spoofed)).status_code == 401
        assert (await via.get("/api/share/v1/datasets/incidents", headers=named)).status_code == 401
        unknown = {PARTNER_HEADER: "lcp-0000000000000000", SECRET_HEADER: GATEWAY_SECRET}
        assert (await via.get("/api/share/v1/datasets", headers=unknown)).status_code == 401
    by_address = _gateway_app(settings, share_gateway_enabled=True, share_gateway_addresses=("testclient",))
    async with AsyncTestClient(app=by_address) as via:
        assert (await via.get("/api/share/v1/datasets", headers=named)).status_code == 200
    elsewhere = _gateway_app(settings, share_gateway_enabled=True, share_gateway_addresses=("10.0.0.9",))
    async with AsyncTestClient(app=elsewhere) as via:
        assert (await via.get("/api/share/v1/datasets", headers=named)).status_code == 401

    log = await access_log(client, created["headers"], created["partner"]["id"])
    assert [(e["via"], e["status"]) for e in reversed(log)] == [
        ("gateway", 401),
        ("gateway", 200),
        ("gateway", 401),
        ("gateway", 401),
        ("gateway", 200),
        ("gateway", 401),
    ]


async def test_a_genuine_token_of_a_revoked_partner_or_past_its_lifetime_is_refused(
    client: Client, db: AsyncSession, settings: Settings
):
    created = await register(client, db)
    pid = created["partner"]["id"]
    expired, _ = tokens.issue(settings.share_token_key, uuid.UUID(pid), 1, now=1_000_000)
    old = await client.get("/api/share/v1/datasets", headers={"Authorization": f"Bearer {expired}"})
    assert old.status_code == 401
    live = (await token(client, created["client_id"], created["client_secret"])).json()["access_token"]
    await client.post(f"/api/admin/partners/{pid}/revoke", headers=created["headers"])
    revoked = await client.get("/api/share/v1/datasets", headers={"Authorization": f"Bearer {live}"})
    assert revoked.status_code == 401 and revoked.json()["code"] == "share.invalid_client"
    log = await access_log(client, created["headers"], pid)
    assert [e["status"] for e in log] == [401, 200]  # the expired token names no partner for certain


async def test_access_rows_past_the_retention_period_are_pruned(client: Client, db: AsyncSession, settings: Settings):
    created = await register(client, db)
    assert (await token(client, created["client_id"], created["client_secret"])).status_code == 200
    pid = uuid.UUID(created["partner"]["id"])
    old = datetime.now(UTC) - timedelta(days=settings.audit_retention_days + 1)
    db.add(ShareAccess(partner_id=pid, at=old, path="/api/share/v1/datasets", query={}, status=200, via="token"))
    await db.commit()
    assert await service.prune_access(db, settings.audit_retention_days) == 1
    await db.commit()
    kept = await access_log(client, created["headers"], str(pid))
    assert [e["path"] for e in kept] == ["/api/share/v1/token"]
