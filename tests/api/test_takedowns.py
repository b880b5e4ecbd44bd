"""Takedown requests to platforms over HTTP: captures as a chain of custody, the 24-hour clock, answers, scoping."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import now
from service.notifications.email import compose
from service.notifications.models import OutboxMessage
from service.notifications.preferences import Recipient
from service.settings import Settings
from service.takedowns.models import TakedownRequest
from service.takedowns.reminders import run_sweeps
from tests.builders import logged_in
from tests.incident_bodies import body
from tests.unit.test_content_check import pdf, photo

Client = AsyncTestClient[Litestar]
SHOP = "https://shopee.vn/shop/hang-gia-123"
LISTING = "https://shopee.vn/product/987654"
SAVED_PAGE = b"<!DOCTYPE html>\n<html><head><title>Gian h\xc3\xa0ng</title></head><body>LV</body></html>\n"


async def _platform(settings: Settings, db: AsyncSession, **overrides: Any) -> dict[str, Any]:
    """A platform recorded by an administrator through the API (on a client of its own)."""
    async with AsyncTestClient(app=create_app(settings)) as admin:
        _, headers = await logged_in(admin, db, role="admin", agency="SKHCN")
        data = {
            "name": "Shopee",
            "kind": "e_commerce",
            "registration_number": "0106773786/TMĐT",
            "contact": "legal@shopee.vn",
            "valid_from": "2020-01-01",
        } | overrides
        created = await admin.post("/api/platforms", json=data, headers=headers)
        assert created.status_code == 201, created.text
        return dict(created.json())


async def _online_incident(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    created = await client.post(
        "/api/incidents", json=body("online_infringement", url=SHOP, seller_account="Shop.HangGia"), headers=headers
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


async def _capture(
    client: Client, incident_id: str, url: str, content: bytes, name: str, headers: dict[str, str], **form: str
) -> Any:
    data = {"url": url, "http_status": "200", "captured_at": (now() - timedelta(hours=1)).isoformat()} | form
    files = {"file": (name, content, "application/octet-stream")}
    return await client.post(f"/api/incidents/{incident_id}/captures", data=data, files=files, headers=headers)


def _request(platform_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "platform_id": platform_id,
        "urls": [SHOP, LISTING],
        "legal_basis": "Nghị định 17/2023/NĐ-CP, Điều 113",
        "measures": ["remove", "provide_seller_data"],
        "send": True,
    } | overrides


async def test_inspector_sends_a_takedown_with_two_captured_urls_and_the_answer_done_closes_it(
    settings: Settings, client: Client, db: AsyncSession
):
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    shot, saved = photo(image_format="PNG", gps=None), SAVED_PAGE
    first = await _capture(client, incident["id"], SHOP, shot, "shop.png", headers)
    second = await _capture(client, incident["id"], LISTING, saved, "listing.html", headers, http_status="404")
    assert first.status_code == 201, first.text
    assert second.status_code == 201, second.text
    assert first.json()["sha256"] == hashlib.sha256(shot).hexdigest()
    assert second.json()["content_type"] == "text/html" and second.json()["http_status"] == 404
    custody = (await client.get(f"/api/incidents/{incident['id']}/captures")).json()
    assert [c["url"] for c in custody] == [SHOP, LISTING]
    assert {c["captured_by"] for c in custody} == {first.json()["captured_by"]}

    before = now()
    sent = await client.post(
        f"/api/incidents/{incident['id']}/takedowns", json=_request(platform["id"]), headers=headers
    )
    assert sent.status_code == 201, sent.text
    request = sent.json()
    assert request["status"] == "sent" and request["number"].startswith("01/") and request["number"].endswith("-QLTT")
    assert request["seller_account"] == "Shop.HangGia"  # from the incident
    clocks = {c["name"]: c for c in request["clocks"]}
    action_due = datetime.fromisoformat(clocks["action"]["due_at"])
    assert timedelta(hours=24) <= action_due - before < timedelta(hours=24, minutes=1)
    assert clocks["action"]["hours_left"] == 23 and "17/2023/NĐ-CP" in clocks["action"]["legal_basis"]
    assert datetime.fromisoformat(clocks["report"]["due_at"]) > action_due
    assert not any(c["overdue"] or c["met"] for c in clocks.values())

    evidence = first.json()["attachment_id"]
    answer = {
        "outcome": "done",
        "answered_at": now().isoformat(),
        "text": "Đã gỡ 2 đường dẫn.",
        "attachment_ids": [evidence],
    }
    done = await client.post(f"/api/takedowns/{request['id']}/answer", json=answer, headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done"
    assert all(c["met"] for c in done.json()["clocks"])
    open_requests = (await client.get("/api/takedowns", params={"open": "true"})).json()
    assert open_requests == []
    timeline = (await client.get(f"/api/takedowns/{request['id']}/events")).json()
    assert [e["action"] for e in timeline] == ["drafted", "sent", "answer_done"]
    assert timeline[-1]["attachment_ids"] == [evidence] and timeline[-1]["note"] == "Đã gỡ 2 đường dẫn."
    again = await client.post(
        f"/api/takedowns/{request['id']}/answer", json=answer | {"outcome": "refused"}, headers=headers
    )
    assert again.status_code == 409 and again.json()["code"] == "takedown.closed"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://shopee.vn/x", "takedown.url_scheme"),
        ("javascript:alert(1)", "takedown.url_scheme"),
        ("http://127.0.0.1/admin", "takedown.url_private"),
        ("http://10.1.2.3/", "takedown.url_private"),
        ("http://169.254.169.254/latest/meta-data", "takedown.url_private"),
        ("http://[::1]:8080/", "takedown.url_private"),
        ("http://0x7f.1/", "takedown.url_private"),
        ("http://localhost:5432/", "takedown.url_private"),
        ("https://printer.local/", "takedown.url_private"),
    ],
)
async def test_a_url_that_is_not_public_http_is_refused_naming_the_item(
    settings: Settings, client: Client, db: AsyncSession, url: str, code: str
):
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    refused = await client.post(
        f"/api/incidents/{incident['id']}/takedowns", json=_request(platform["id"], urls=[SHOP, url]), headers=headers
    )
    assert refused.status_code == 400, refused.text
    error = refused.json()["errors"][0]
    assert (error["code"], error["field"]) == (code, "urls[1]")
    assert error["message_vi"] != error["message_en"]
    assert (await db.scalar(select(TakedownRequest.id))) is None


async def test_a_platform_no_longer_valid_gets_no_request(settings: Settings, client: Client, db: AsyncSession):
    ended = await _platform(settings, db, name="Sàn cũ", valid_to="2024-12-31")
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    refused = await client.post(
        f"/api/incidents/{incident['id']}/takedowns", json=_request(ended["id"]), headers=headers
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "platform_id"
    assert refused.json()["code"] == "platform.not_in_force"


async def test_an_answer_before_the_request_was_sent_is_refused(settings: Settings, client: Client, db: AsyncSession):
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    url = f"/api/incidents/{incident['id']}/takedowns"
    draft = (await client.post(url, json=_request(platform["id"], send=False), headers=headers)).json()
    answer = {"outcome": "done", "answered_at": now().isoformat()}
    early = await client.post(f"/api/takedowns/{draft['id']}/answer", json=answer, headers=headers)
    assert early.status_code == 409 and early.json()["code"] == "takedown.not_sent"
    sent = await client.post(f"/api/takedowns/{draft['id']}/send", headers=headers)
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    before = {"outcome": "done", "answered_at": (now() - timedelta(days=1)).isoformat()}
    refused = await client.post(f"/api/takedowns/{draft['id']}/answer", json=before, headers=headers)
    assert refused.status_code == 400, refused.text
    assert (refused.json()["code"], refused.json()["errors"][0]["field"]) == (
        "takedown.answer_before_sent",
        "answered_at",
    )


async def test_only_the_recording_agency_sends_and_coordinators_see_every_request(
    settings: Settings, client: Client, db: AsyncSession
):
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    draft = (
        await client.post(
            f"/api/incidents/{incident['id']}/takedowns", json=_request(platform["id"], send=False), headers=headers
        )
    ).json()
    async with AsyncTestClient(app=create_app(settings)) as other:
        _, other_headers = await logged_in(other, db, agency="CA")
        assert (await other.get(f"/api/takedowns/{draft['id']}")).status_code == 404
        answer = await other.post(
            f"/api/incidents/{incident['id']}/takedowns", json=_request(platform["id"]), headers=other_headers
        )
        assert answer.status_code == 404
    async with AsyncTestClient(app=create_app(settings)) as coordinator:
        _, coordinator_headers = await logged_in(coordinator, db, role="coordinator", agency="SKHCN")
        assert (await coordinator.get(f"/api/takedowns/{draft['id']}")).status_code == 200
        sending = await coordinator.post(f"/api/takedowns/{draft['id']}/send", headers=coordinator_headers)
        assert sending.status_code == 403 and sending.json()["code"] == "takedown.wrong_agency"


async def test_captures_are_checked_by_content(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    for content, name in ((b"just text, not a page", "page.html"), (photo(image_format="WEBP", gps=None), "s.png")):
        refused = await _capture(client, incident["id"], SHOP, content, name, headers)
        assert refused.status_code == 415, refused.text
        assert refused.json()["errors"][0]["field"] == "file"
    assert (await _capture(client, incident["id"], SHOP, pdf(), "page.pdf", headers)).status_code == 201
    private = await _capture(client, incident["id"], "http://192.168.1.1/", pdf(), "page.pdf", headers)
    assert private.status_code == 400 and private.json()["errors"][0]["field"] == "url"


async def test_an_unanswered_request_turns_overdue_and_is_escalated_once(
    settings: Settings, client: Client, db: AsyncSession
):
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    request = (
        await client.post(f"/api/incidents/{incident['id']}/takedowns", json=_request(platform["id"]), headers=headers)
    ).json()
    soon = now() + timedelta(hours=20)
    quiet = {"reports_late": 0, "report_escalations": 0, "report_reminders": 0}  # the report clock: 72 hours
    assert (await run_sweeps(db, soon)) == {"overdue": 0, "escalations": 0, "reminders": 1} | quiet
    later = now() + timedelta(hours=25)
    assert (await run_sweeps(db, later))["overdue"] == 1
    again = await run_sweeps(db, later + timedelta(minutes=15))
    assert again == {"overdue": 0, "escalations": 0, "reminders": 0} | quiet
    await db.commit()
    messages = sorted((await db.scalars(select(OutboxMessage))).all(), key=lambda m: m.kind)
    assert [m.kind for m in messages] == ["escalation", "escalation", "reminder"]
    # The emails speak of a takedown request, not of a referral.
    for message in (messages[0], messages[2]):
        recipient = Recipient(user_id=uuid.uuid4(), email="head@example.gov.vn")
        email = compose("ipcoord@localhost", recipient, 1, message.kind, message.payload, None)
        assert "yêu cầu gỡ bỏ" in email["Subject"] and "takedown request" in email["Subject"]
        assert "hồ sơ" not in email["Subject"] and "referral" not in email.get_content()
    shown = (await client.get(f"/api/takedowns/{request['id']}")).json()
    assert shown["status"] == "overdue"
    timeline = (await client.get(f"/api/takedowns/{request['id']}/events")).json()
    assert timeline[-1]["action"] == "overdue" and timeline[-1]["actor"] is None
    answer = {"outcome": "partly_done", "answered_at": now().isoformat()}
    assert (await client.post(f"/api/takedowns/{request['id']}/answer", json=answer, headers=headers)).json()[
        "status"
    ] == "partly_done"


async def test_the_coordinator_sees_open_requests_per_platform_and_repeat_sellers(
    settings: Settings, client: Client, db: AsyncSession
):
    shopee = await _platform(settings, db)
    tiktok = await _platform(settings, db, name="TikTok Shop", kind="social_network", registration_number="")
    _, headers = await logged_in(client, db)
    for platform in (shopee, shopee, tiktok):
        incident = await _online_incident(client, headers)
        created = await client.post(
            f"/api/incidents/{incident['id']}/takedowns",
            json=_request(platform["id"], seller_account="shop.hanggia "),
            headers=headers,
        )
        assert created.status_code == 201, created.text
    async with AsyncTestClient(app=create_app(settings)) as coordinator:
        await logged_in(coordinator, db, role="coordinator", agency="SKHCN")
        queues = (await coordinator.get("/api/takedowns/platforms")).json()
        assert [(q["platform"], q["open"], q["overdue"]) for q in queues] == [("Shopee", 2, 0), ("TikTok Shop", 1, 0)]
        sellers = (await coordinator.get("/api/takedowns/repeat-sellers")).json()
        assert [(s["seller_account"], s["incidents"], s["platforms"]) for s in sellers] == [
            ("shop.hanggia", 3, ["Shopee", "TikTok Shop"])
        ]
    assert (await client.get("/api/takedowns/platforms")).status_code == 403


async def test_a_saved_page_is_downloaded_never_rendered_and_other_agencies_see_no_captures(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    saved = (await _capture(client, incident["id"], SHOP, SAVED_PAGE, "trang.html", headers)).json()
    download = await client.get(f"/api/incidents/{incident['id']}/attachments/{saved['attachment_id']}")
    assert download.content == SAVED_PAGE
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    async with AsyncTestClient(app=create_app(settings)) as other:
        _, other_headers = await logged_in(other, db, agency="CA")
        assert (await other.get(f"/api/incidents/{incident['id']}/captures")).status_code == 404
        refused = await _capture(other, incident["id"], SHOP, SAVED_PAGE, "trang.html", other_headers)
        assert refused.status_code == 404
