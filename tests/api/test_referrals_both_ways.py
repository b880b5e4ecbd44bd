"""Referrals both ways over HTTP: refer any incident from its page, the receiver asks for information, the sender
answers with a note and a file, both timelines show it, and the pause moves the receiver's clock."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.builders import logged_in, page_token
from tests.incident_bodies import body
from tests.unit.test_content_check import pdf

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}


async def _incident(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    incident = await client.post("/api/incidents", json=body("seizure"), headers=headers)
    assert incident.status_code == 201, incident.text
    return incident.json()


async def _refer_with_page(client: Client, incident_id: str, **form: str) -> Any:
    token = await page_token(client, f"/incidents/{incident_id}/refer", HTML)
    data = {"_csrf_token": token, "to_agency": "CA", "type": "CHUYEN_THAM_QUYEN", "message": "Vượt thẩm quyền"}
    return await client.post(f"/incidents/{incident_id}/refer", data=data | form, headers=HTML, follow_redirects=False)


async def _ask(police: Client, referral_id: str) -> None:
    token = await page_token(police, f"/referrals/{referral_id}", HTML)
    for form in ({"action": "acknowledge", "note": ""}, {"action": "request_information", "note": "Gửi ảnh kho"}):
        sent = await police.post(
            f"/referrals/{referral_id}/actions",
            data={"_csrf_token": token, **form},
            headers=HTML,
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text


async def test_the_refer_form_offers_every_type_with_its_clocks_and_sends_a_referral(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _incident(client, headers)
    view = (await client.get(f"/incidents/{incident['id']}", headers=HTML)).text
    assert f'href="/incidents/{incident["id"]}/refer"' in view and "Chuyển hồ sơ" in view
    form = (await client.get(f"/incidents/{incident['id']}/refer", headers=HTML)).text
    assert "Phối hợp xác minh" in form and "Chuyển hòa giải" not in form  # mediation is for disputes only
    assert "20 ngày từ ngày tiếp nhận" in form and "Bộ luật Tố tụng hình sự 2015, Điều 147" in form
    assert "ngay, trong ngày gửi (việc của bên chuyển)" in form
    sent = await _refer_with_page(
        client, incident["id"], type="CHUYEN_HO_SO_HINH_SU", due_rule="police_decision_complex"
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("?done=sent")
    referral_id = sent.headers["location"].split("/")[2].split("?")[0]
    stored = (await client.get(f"/api/referrals/{referral_id}")).json()
    assert (stored["to_agency"], stored["type"], stored["status"]) == ("CA", "CHUYEN_HO_SO_HINH_SU", "sent")
    rule = await db.scalar(text("SELECT due_rule FROM referrals WHERE id = :id"), {"id": referral_id})
    assert rule == "police_decision_complex"


async def test_a_clock_the_type_does_not_allow_is_named_beside_its_field_and_nothing_is_sent(
    client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _incident(client, headers)
    refused = await _refer_with_page(client, incident["id"], due_rule="court_mediation")
    assert refused.status_code == 422 and 'id="r-due_rule-error"' in refused.text
    assert "Thời hạn `court_mediation` không áp dụng cho loại chuyển giao này" in refused.text
    assert "Vượt thẩm quyền" in refused.text  # what was typed is kept
    count = await db.scalar(text("SELECT count(*) FROM referrals WHERE incident_id = :id"), {"id": incident["id"]})
    assert count == 0


async def test_sender_answers_a_request_for_information_with_a_note_and_a_file_seen_in_both_timelines(
    client: Client, db: AsyncSession, police: Client
):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _incident(client, headers)
    referral_id = (await _refer_with_page(client, incident["id"])).headers["location"].split("/")[2].split("?")[0]
    await _ask(police, referral_id)
    outbox = (await client.get("/referrals/outbox", headers=HTML)).text
    assert "Chờ bổ sung thông tin — việc của bạn" in outbox
    assert incident["data"]["record_number"] in outbox  # the card says which record it is
    page = (await client.get(f"/referrals/{referral_id}", headers=HTML)).text
    assert "Gửi ảnh kho" in page and f'action="/referrals/{referral_id}/answer"' in page
    token = await page_token(client, f"/referrals/{referral_id}", HTML)
    answered = await client.post(
        f"/referrals/{referral_id}/answer",
        data={"_csrf_token": token, "note": "Ảnh kho và biên bản kèm theo"},
        files={"file": ("kho.pdf", pdf(), "application/pdf")},
        headers=HTML,
        follow_redirects=False,
    )
    assert answered.status_code == 303, answered.text
    for reader in (client, police):
        timeline = (await reader.get(f"/referrals/{referral_id}", headers=HTML)).text
        assert "Bên chuyển bổ sung thông tin" in timeline and "Ảnh kho và biên bản kèm theo" in timeline
        assert "kho.pdf" in timeline
    after = (await client.get(f"/api/referrals/{referral_id}")).json()
    assert after["awaiting_information"] is False and after["allowed_actions"] == []
    assert "Chờ bổ sung thông tin — việc của bạn" not in (await client.get("/referrals/outbox", headers=HTML)).text


async def test_only_the_sender_answers_and_only_while_information_is_awaited(
    client: Client, db: AsyncSession, police: Client
):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _incident(client, headers)
    referral_id = (await _refer_with_page(client, incident["id"])).headers["location"].split("/")[2].split("?")[0]
    answer = {"action": "provide_information", "note": "Thông tin thêm"}
    too_early = await client.post(f"/api/referrals/{referral_id}/actions", json=answer, headers=headers)
    assert too_early.status_code == 409 and too_early.json()["code"] == "referral.action_not_allowed"
    await _ask(police, referral_id)
    police_headers = {"x-csrftoken": police.cookies.get("ipcoord_csrf") or ""}
    by_receiver = await police.post(f"/api/referrals/{referral_id}/actions", json=answer, headers=police_headers)
    assert by_receiver.status_code == 403 and by_receiver.json()["code"] == "referral.not_sender"
    waiting = (await police.get(f"/api/referrals/{referral_id}")).json()
    assert waiting["awaiting_information"] is True
    assert next(c for c in waiting["clocks"] if c["name"] == "decision")["paused"] is True
    await db.execute(
        text(
            "UPDATE referrals SET information_requested_at = information_requested_at - interval '4 days'"
            " WHERE id = :id"
        ),
        {"id": referral_id},
    )
    await db.commit()
    before = waiting["clocks"][-1]["due_on"]
    done = await client.post(f"/api/referrals/{referral_id}/actions", json=answer, headers=headers)
    assert done.status_code == 200, done.text
    events = (await client.get(f"/api/referrals/{referral_id}/events")).json()
    assert events[-1]["action"] == "provide_information" and events[-1]["note"] == "Thông tin thêm"
    paused = await db.scalar(text("SELECT paused_days FROM referrals WHERE id = :id"), {"id": referral_id})
    assert paused == 4 and done.json()["clocks"][-1]["due_on"] > before


async def test_my_incidents_card_shows_the_record_number_next_due_day_and_the_referrals_live_status(
    client: Client, db: AsyncSession, police: Client
):
    _, headers = await logged_in(client, db, agency="QLTT", role="inspector")
    incident = await _incident(client, headers)
    referral_id = (
        (await _refer_with_page(client, incident["id"], type="CHUYEN_HO_SO_HINH_SU"))
        .headers["location"]
        .split("/")[2]
        .split("?")[0]
    )
    police_headers = {"x-csrftoken": police.cookies.get("ipcoord_csrf") or ""}
    for action in ({"action": "acknowledge"}, {"action": "start"}, {"action": "close", "outcome": "KHOI_TO"}):
        done = await police.post(f"/api/referrals/{referral_id}/actions", json=action, headers=police_headers)
        assert done.status_code == 200, done.text
    card = (await client.get("/incidents/mine", headers=HTML)).text
    assert incident["data"]["record_number"] in card
    assert "Đã kết thúc" in card and "Khởi tố" in card and "Đã chuyển hồ sơ cho Công an." not in card
    assert re.search(
        r"Hạn tiếp theo: [^<]*(Thứ Hai|Thứ Ba|Thứ Tư|Thứ Năm|Thứ Sáu|Thứ Bảy|Chủ Nhật), \d\d/\d\d/\d{4}", card
    )
    assert "phiên bản" not in card.lower()
