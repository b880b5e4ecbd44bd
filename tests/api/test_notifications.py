"""Notifications over HTTP: choices per user, signed webhooks, retries into dead letters and admin replay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from service.app import create_app
from service.clock import now
from service.notifications.delivery import deliver_pending
from service.notifications.models import NotificationReplay, OutboxMessage
from service.notifications.webhooks import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from service.referrals.reminders import sweep_reminders
from service.settings import Settings
from tests.builders import logged_in
from tests.loopback import smtp_server, webhook_receiver
from tests.notification_builders import channels, make_referral, sessions

Client = AsyncTestClient[Litestar]
TUESDAY = date(2026, 3, 10)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """The HTTP client webhook deliveries go out with."""
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


async def _deliver(engine: AsyncEngine, http: httpx.AsyncClient, at: object = None, **options: object) -> None:
    async with sessions(engine)() as session:
        await deliver_pending(session, at or now(), channels(http, **options))  # type: ignore[arg-type]


async def test_preferences_start_at_the_defaults_and_round_trip(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="CA", role="agency_staff")
    defaults = (await client.get("/api/me/notifications")).json()
    assert defaults["email"] is None
    assert {p["kind"]: (p["channel"], p["is_default"]) for p in defaults["preferences"]} == {
        kind: ("email", True) for kind in ("referral.received", "referral.update", "reminder", "escalation", "digest")
    }
    chosen = {"email": "canbo@ca.test.invalid", "preferences": [{"kind": "digest", "channel": "none"}]}
    saved = await client.put("/api/me/notifications", json=chosen, headers=headers)
    assert saved.status_code == 200, saved.text
    assert (await client.get("/api/me/notifications")).json() == saved.json()
    digest = next(p for p in saved.json()["preferences"] if p["kind"] == "digest")
    assert saved.json()["email"] == "canbo@ca.test.invalid" and digest == {
        "kind": "digest",
        "channel": "none",
        "is_default": False,
    }


async def test_a_user_who_opted_out_of_reminders_gets_no_reminder_email(
    settings: Settings, client: Client, db: AsyncSession, engine: AsyncEngine, http: httpx.AsyncClient
):
    _, headers = await logged_in(client, db, agency="CA", role="agency_staff")
    opted_out = {"email": "khong.nhan@test.invalid", "preferences": [{"kind": "reminder", "channel": "none"}]}
    assert (await client.put("/api/me/notifications", json=opted_out, headers=headers)).status_code == 200
    async with AsyncTestClient(app=create_app(settings)) as colleague:
        _, colleague_headers = await logged_in(colleague, db, agency="CA", role="agency_staff")
        wants = {"email": "nhan@test.invalid"}
        assert (await colleague.put("/api/me/notifications", json=wants, headers=colleague_headers)).status_code == 200
    await make_referral(db, due_on=TUESDAY)
    await sweep_reminders(db, TUESDAY)
    await db.commit()
    async with smtp_server() as mailbox:
        await _deliver(engine, http, smtp_port=mailbox.port)
    assert mailbox.to("khong.nhan@test.invalid") == []
    assert len(mailbox.to("nhan@test.invalid")) == 1


async def _subscribe(client: Client, headers: dict[str, str], url: str, kinds: list[str]) -> httpx.Response:
    return await client.post("/api/webhooks", json={"url": url, "kinds": kinds}, headers=headers)


async def test_webhook_body_is_signed_with_the_secret_shown_once(
    client: Client, db: AsyncSession, engine: AsyncEngine, http: httpx.AsyncClient
):
    _, headers = await logged_in(client, db, agency="CA", role="agency_head")
    async with webhook_receiver() as hook:
        created = await _subscribe(client, headers, hook.url, ["reminder"])
        assert created.status_code == 201, created.text
        referral = await make_referral(db, due_on=TUESDAY)
        await sweep_reminders(db, TUESDAY)
        await db.commit()
        await _deliver(engine, http)
    listed = (await client.get("/api/webhooks")).json()
    assert [w["id"] for w in listed] == [created.json()["id"]] and "secret" not in listed[0]
    [(received_headers, raw)] = hook.received
    assert verify(created.json()["secret"], raw, received_headers[SIGNATURE_HEADER.lower()])
    assert not verify("whsec_wrong", raw, received_headers[SIGNATURE_HEADER.lower()])
    body = msgspec.json.decode(raw)
    assert body["kind"] == "reminder" and body["agency"] == "CA"
    assert body["data"]["referral_id"] == str(referral.id)
    assert str(body["timestamp"]) == received_headers[TIMESTAMP_HEADER.lower()]
    assert received_headers[DELIVERY_HEADER.lower()] == str(body["id"])


async def _only_message(db: AsyncSession) -> OutboxMessage:
    db.expire_all()
    return (await db.scalars(select(OutboxMessage))).one()


async def _fail_until_dead(db: AsyncSession, engine: AsyncEngine, http: httpx.AsyncClient) -> list[float]:
    """Deliver at each retry time until the message is dead; the delays between attempts, in seconds."""
    delays, at = [], now()
    while (message := await _only_message(db)).status == "pending":
        await _deliver(engine, http, at, max_attempts=4, first_delay=timedelta(seconds=30))
        message = await _only_message(db)
        if message.status == "pending":
            delays.append((message.next_attempt_at - at).total_seconds())
            at = message.next_attempt_at
    return delays


async def test_failing_webhook_is_retried_with_growing_delays_then_replayed_by_an_admin(
    settings: Settings, client: Client, db: AsyncSession, engine: AsyncEngine, http: httpx.AsyncClient
):
    _, headers = await logged_in(client, db, agency="CA", role="agency_head")
    async with webhook_receiver(statuses=[500, 503, 500, 502]) as hook:
        assert (await _subscribe(client, headers, hook.url, ["reminder"])).status_code == 201
        await make_referral(db, due_on=TUESDAY)
        await sweep_reminders(db, TUESDAY)
        await db.commit()
        assert await _fail_until_dead(db, engine, http) == [30, 60, 120]
        async with AsyncTestClient(app=create_app(settings)) as admin:
            _, admin_headers = await logged_in(admin, db, agency="SKHCN", role="admin")
            dead = (await admin.get("/api/admin/notifications")).json()
            assert [(d["kind"], d["attempts"]) for d in dead] == [("reminder", 4)]
            assert "HTTP 502" in dead[0]["last_error"]
            url = f"/api/admin/notifications/{dead[0]['id']}/replay"
            replayed = await admin.post(url, json={"note": "receiver fixed"}, headers=admin_headers)
            again = await admin.post(url, json={}, headers=admin_headers)
        assert replayed.status_code == 200 and replayed.json()["status"] == "pending"
        assert again.status_code == 409 and again.json()["code"] == "notification.not_dead"
        await _deliver(engine, http)
    assert len(hook.received) == 5  # four failures, then the replay delivered
    assert (await _only_message(db)).status == "sent"
    audit = (await db.scalars(select(NotificationReplay))).one()
    assert (audit.attempts_before, audit.note) == (4, "receiver fixed") and "HTTP 502" in (
        audit.last_error_before or ""
    )


async def test_non_admins_cannot_list_dead_letters(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="CA", role="agency_head")
    response = await client.get("/api/admin/notifications")
    assert response.status_code == 403


async def test_inspectors_cannot_subscribe_webhooks_and_heads_cannot_stop_other_agencies(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="CA", role="agency_head")
    created = (await _subscribe(client, headers, "http://127.0.0.1:9/hook", ["digest"])).json()
    async with AsyncTestClient(app=create_app(settings)) as other:
        _, other_headers = await logged_in(other, db, agency="QLTT", role="agency_head")
        stopped = await other.delete(f"/api/webhooks/{created['id']}", headers=other_headers)
        foreign = await other.post(
            "/api/webhooks",
            json={"url": "http://127.0.0.1:9/x", "kinds": ["digest"], "agency": "CA"},
            headers=other_headers,
        )
    async with AsyncTestClient(app=create_app(settings)) as inspector:
        _, inspector_headers = await logged_in(inspector, db, agency="CA", role="inspector")
        refused = await _subscribe(inspector, inspector_headers, "http://127.0.0.1:9/hook", ["digest"])
    assert stopped.status_code == 404 and foreign.status_code == 403 and refused.status_code == 403
    deactivated = await client.delete(f"/api/webhooks/{created['id']}", headers=headers)
    assert deactivated.status_code == 200 and deactivated.json()["is_active"] is False
