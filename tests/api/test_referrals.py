"""Referrals between agencies over HTTP: queues, the status table, clocks, concurrency, scope."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import local_day, now
from service.notifications.models import OutboxMessage
from service.referrals.models import ReferralEvent
from service.settings import Settings
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]


async def _incident(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post("/api/incidents", json=body("seizure"), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _refer(client: Client, headers: dict[str, str], incident_id: str, **extra: Any) -> Any:
    sent = {
        "incident_id": incident_id,
        "to_agency": "CA",
        "type": "CHUYEN_HO_SO_HINH_SU",
        "message": "Dấu hiệu tội phạm",
    }
    return await client.post("/api/referrals", json=sent | extra, headers=headers)


async def test_criminal_referral_reaches_police_inbox_with_the_senders_transfer_met(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _incident(client, headers)
    sent = await _refer(client, headers, incident["id"])
    assert sent.status_code == 201, sent.text
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        inbox = (await police.get("/api/referrals/inbox")).json()
        incident_view = await police.get(f"/api/incidents/{incident['id']}")
    assert [r["id"] for r in inbox] == [sent.json()["id"]]
    clocks = {c["name"]: c for c in inbox[0]["clocks"]}
    # The sender's "transfer immediately" (LXLVPHC Art. 62.1) is met by sending; the police's own clocks start
    # with the acknowledgement, whose SLA is the only one running yet.
    transfer = clocks["transfer"]
    assert transfer["due_on"] == local_day(now()).isoformat() and transfer["rule"] == "criminal_referral"
    assert (transfer["duty"], transfer["met"], transfer["overdue"]) == ("sender", True, False)
    assert clocks["acknowledge"]["duty"] == "receiver" and "decision" not in clocks
    assert inbox[0]["overdue"] is False and inbox[0]["allowed_actions"] == ["acknowledge", "return", "refuse"]
    assert incident_view.status_code == 200  # the receiver can now read the referred incident
    assert "id_number" not in incident_view.json()["data"]["violator"]  # but not the violator's ID number


async def test_criminal_referral_is_overdue_a_day_after_its_acknowledgement_was_due(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    yesterday = local_day(now()) - timedelta(days=1)
    await db.execute(
        text("UPDATE referrals SET ack_due_on = :d WHERE id = :id"), {"d": yesterday, "id": referral["id"]}
    )
    await db.commit()
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        overdue = (await police.get("/api/referrals/inbox", params={"overdue": True})).json()
    assert [r["id"] for r in overdue] == [referral["id"]]
    assert overdue[0]["overdue"] is True
    assert next(c for c in overdue[0]["clocks"] if c["name"] == "acknowledge")["days_left"] == -1


async def test_receiver_walks_the_table_to_closed_with_events(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    url = f"/api/referrals/{referral['id']}/actions"
    async with AsyncTestClient(app=create_app(settings)) as police:
        _, police_headers = await logged_in(police, db, agency="CA", role="agency_staff")
        for action in ({"action": "acknowledge"}, {"action": "start"}, {"action": "close", "outcome": "KHOI_TO"}):
            response = await police.post(url, json=action, headers=police_headers)
            assert response.status_code == 200, response.text
        events = (await police.get(f"/api/referrals/{referral['id']}/events")).json()
    assert response.json()["status"] == "closed" and response.json()["outcome"] == "KHOI_TO"
    assert response.json()["clocks"] == []
    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("sent", None, "sent"),
        ("acknowledge", "sent", "acknowledged"),
        ("start", "acknowledged", "in_progress"),
        ("close", "in_progress", "closed"),
    ]
    notified = await db.scalar(select(func.count()).select_from(OutboxMessage))
    assert notified == 4  # one message per event, to the other side


async def test_acknowledge_by_the_wrong_agency_is_403(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    response = await client.post(
        f"/api/referrals/{referral['id']}/actions", json={"action": "acknowledge"}, headers=headers
    )
    assert response.status_code == 403 and response.json()["code"] == "referral.not_receiver"


async def test_action_not_in_the_table_is_409_naming_the_status(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    async with AsyncTestClient(app=create_app(settings)) as police:
        _, police_headers = await logged_in(police, db, agency="CA", role="agency_staff")
        response = await police.post(
            f"/api/referrals/{referral['id']}/actions",
            json={"action": "close", "outcome": "KHOI_TO"},
            headers=police_headers,
        )
    assert response.status_code == 409
    assert "sent" in response.json()["message_vi"] and "sent" in response.json()["message_en"]


async def test_closing_without_an_outcome_is_400_naming_outcome(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    async with AsyncTestClient(app=create_app(settings)) as police:
        _, police_headers = await logged_in(police, db, agency="CA", role="agency_staff")
        url = f"/api/referrals/{referral['id']}/actions"
        await police.post(url, json={"action": "acknowledge"}, headers=police_headers)
        await police.post(url, json={"action": "start"}, headers=police_headers)
        missing = await police.post(url, json={"action": "close"}, headers=police_headers)
        wrong = await police.post(url, json={"action": "close", "outcome": "THANH"}, headers=police_headers)
    assert missing.status_code == 400 and missing.json()["field"] == "outcome"
    assert wrong.status_code == 400 and wrong.json()["field"] == "outcome" and "KHOI_TO" in wrong.json()["message_en"]


async def test_twenty_concurrent_acknowledgements_one_wins(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    async with AsyncTestClient(app=create_app(settings)) as police:
        _, police_headers = await logged_in(police, db, agency="CA", role="agency_staff")
        url = f"/api/referrals/{referral['id']}/actions"
        responses = await asyncio.gather(
            *(police.post(url, json={"action": "acknowledge"}, headers=police_headers) for _ in range(20))
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 19
    acks = await db.scalar(select(func.count()).select_from(ReferralEvent).where(ReferralEvent.action == "acknowledge"))
    assert acks == 1


async def test_referring_to_ones_own_agency_is_422(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    response = await _refer(client, headers, (await _incident(client, headers))["id"], to_agency="QLTT")
    assert response.status_code == 422 and response.json()["field"] == "to_agency"


async def test_referring_to_an_agency_no_longer_in_existence_is_422(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    await db.execute(
        text(
            "INSERT INTO agencies (id, code, name_vi, name_en, role_vi, role_en, valid_from, valid_to, created_at, "
            "updated_at) VALUES (gen_random_uuid(), 'CA_HUYEN', 'Công an huyện', 'District police', '', '', "
            "'2010-01-01', '2025-06-30', now(), now())"
        )
    )
    await db.commit()
    response = await _refer(client, headers, (await _incident(client, headers))["id"], to_agency="CA_HUYEN")
    assert response.status_code == 422 and response.json()["code"] == "referral.agency_inactive"


async def test_referral_about_an_incident_the_caller_cannot_see_is_404(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="SVHTTDL", role="agency_staff")
    hidden = await _incident(client, headers)
    async with AsyncTestClient(app=create_app(settings)) as qltt:
        _, qltt_headers = await logged_in(qltt, db, agency="QLTT")
        response = await _refer(qltt, qltt_headers, hidden["id"])
    assert response.status_code == 404 and response.json()["field"] == "incident_id"
    assert await db.scalar(select(func.count()).select_from(ReferralEvent)) == 0


async def test_outsiders_cannot_see_a_referral(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    async with AsyncTestClient(app=create_app(settings)) as customs:
        await logged_in(customs, db, agency="HQ")
        single = await customs.get(f"/api/referrals/{referral['id']}")
        inbox = (await customs.get("/api/referrals/inbox")).json()
    assert single.status_code == 404 and inbox == []


async def test_coordinator_sees_the_province_wide_overdue_list(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    await db.execute(text("UPDATE referrals SET due_on = :d"), {"d": date(2026, 1, 2)})
    await db.commit()
    forbidden = await client.get("/api/referrals/overdue")
    async with AsyncTestClient(app=create_app(settings)) as skhcn:
        await logged_in(skhcn, db, agency="SKHCN", role="coordinator")
        overdue = (await skhcn.get("/api/referrals/overdue")).json()
        police_inbox = (await skhcn.get("/api/referrals/inbox", params={"agency": "CA"})).json()
    assert forbidden.status_code == 403
    assert [r["id"] for r in overdue] == [referral["id"]] == [r["id"] for r in police_inbox]


async def test_outbox_lists_what_my_agency_sent(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, (await _incident(client, headers))["id"])).json()
    outbox = (await client.get("/api/referrals/outbox")).json()
    assert [r["id"] for r in outbox] == [referral["id"]]
    assert outbox[0]["allowed_actions"] == []  # the sender does not act on it


async def test_inbox_returns_at_most_the_limit_due_first(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _incident(client, headers)
    for _ in range(3):
        await _refer(client, headers, incident["id"], type="TRUNG_CAU_GIAM_DINH", to_agency="SKHCN")
    await db.execute(text("UPDATE referrals SET due_on = DATE '2026-12-01' + (random() * 30)::int"))
    await db.commit()
    async with AsyncTestClient(app=create_app(settings)) as skhcn:
        await logged_in(skhcn, db, agency="SKHCN", role="agency_staff")
        two = (await skhcn.get("/api/referrals/inbox", params={"limit": 2})).json()
        everything = (await skhcn.get("/api/referrals/inbox")).json()
    assert len(two) == 2 and len(everything) == 3
    due_dates = [next(c["due_on"] for c in r["clocks"] if c["name"] == "decision") for r in everything]
    assert due_dates == sorted(due_dates)
    assert [r["id"] for r in two] == [r["id"] for r in everything[:2]]
