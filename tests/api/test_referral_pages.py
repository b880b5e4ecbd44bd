"""Referral pages over HTTP: the inbox with its clocks, one referral, and acting on it with the form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import local_day, now
from service.settings import Settings
from tests.builders import logged_in, page_token
from tests.incident_bodies import body
from tests.unit.test_content_check import pdf

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


async def _refer(client: Client, headers: dict[str, str], type_: str = "CHUYEN_THAM_QUYEN") -> dict[str, Any]:
    """A seizure recorded by the client's agency (QLTT), referred to the police."""
    incident = await client.post("/api/incidents", json=body("seizure"), headers=headers)
    assert incident.status_code == 201, incident.text
    sent = {"incident_id": incident.json()["id"], "to_agency": "CA", "type": type_, "message": "Đề nghị xử lý"}
    referral = await client.post("/api/referrals", json=sent, headers=headers)
    assert referral.status_code == 201, referral.text
    return referral.json()


async def _act(client: Client, referral_id: str, **form: str) -> Any:
    token = await page_token(client, f"/referrals/{referral_id}", HTML)
    data = {"_csrf_token": token, "note": ""} | form
    return await client.post(f"/referrals/{referral_id}/actions", data=data, headers=HTML, follow_redirects=False)


async def test_inbox_shows_an_incoming_referral_with_its_due_date_and_days_left(
    client: Client, db: AsyncSession, police: Client
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    clocks = {c["name"]: c for c in (await police.get("/api/referrals/inbox")).json()[0]["clocks"]}
    response = await police.get("/referrals/inbox", headers=HTML)
    page = response.text
    assert response.status_code == 200 and f'href="/referrals/{referral["id"]}"' in page
    assert "Chuyển người có thẩm quyền xử phạt" in page and "Chi cục Quản lý thị trường (QLTT)" in page
    decision = clocks["decision"]
    assert "Hạn giải quyết" in page and "(việc của bên nhận):" in page and _day(decision["due_on"]) in page
    weekday = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
    assert f"{weekday[date.fromisoformat(decision['due_on']).weekday()]}, {_day(decision['due_on'])}" in page
    assert f"còn {decision['days_left']} ngày (10 ngày làm việc)" in page
    assert _day(clocks["acknowledge"]["due_on"]) in page and "QUÁ HẠN" not in page


async def test_an_overdue_referral_is_marked_overdue_in_words_not_only_in_red(
    client: Client, db: AsyncSession, police: Client
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers, "CHUYEN_HO_SO_HINH_SU")
    yesterday = local_day(now()) - timedelta(days=1)
    await db.execute(text("UPDATE referrals SET due_on = :d WHERE id = :id"), {"d": yesterday, "id": referral["id"]})
    await db.commit()
    page = (await police.get("/referrals/inbox", params={"overdue": "true"}, headers=HTML)).text
    assert 'class="ref-card is-overdue"' in page and "clock-overdue" in page
    assert "QUÁ HẠN 1 ngày" in page and yesterday.strftime("%d/%m/%Y") in page
    assert "1 hồ sơ" in page


async def test_another_agencys_referral_is_neither_listed_nor_readable(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    async with AsyncTestClient(app=create_app(settings)) as culture:
        await logged_in(culture, db, agency="SVHTTDL", role="agency_staff")
        inbox = await culture.get("/referrals/inbox", headers=HTML)
        page = await culture.get(f"/referrals/{referral['id']}", headers=HTML)
        api = await culture.get(f"/api/referrals/{referral['id']}")
    assert inbox.status_code == 200 and referral["id"] not in inbox.text and "0 hồ sơ" in inbox.text
    assert page.status_code == api.status_code == 404
    assert "Không tìm thấy hồ sơ chuyển giao." in page.text and "Đề nghị xử lý" not in page.text


async def test_acknowledging_with_the_form_changes_the_state_and_adds_the_note_to_the_timeline(
    client: Client, db: AsyncSession, police: Client
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    response = await _act(police, referral["id"], action="acknowledge", note="Đã nhận hồ sơ, giao Đội 2", version="1")
    assert response.status_code == 303
    assert response.headers["location"] == f"/referrals/{referral['id']}?done=acknowledge"
    page = (await police.get(response.headers["location"], headers=HTML)).text
    assert "Đã thực hiện: Tiếp nhận. Trạng thái hiện tại: Đã tiếp nhận." in page
    assert 'Đã gửi <span aria-hidden="true">→</span>' in page and "Đã nhận hồ sơ, giao Đội 2" in page
    assert 'name="action" value="start"' in page and 'name="action" value="acknowledge"' not in page
    events = (await police.get(f"/api/referrals/{referral['id']}/events")).json()
    assert [(e["action"], e["note"]) for e in events][-1] == ("acknowledge", "Đã nhận hồ sơ, giao Đội 2")


async def test_an_action_the_table_does_not_allow_is_an_error_on_the_page_not_a_500(
    client: Client, db: AsyncSession, police: Client
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    response = await _act(police, referral["id"], action="close", outcome="HOAN_THANH")
    assert response.status_code == 409 and 'role="alert"' in response.text
    assert "Không thể `Kết thúc` khi hồ sơ đang ở trạng thái `Đã gửi`." in response.text
    assert (await police.get(f"/api/referrals/{referral['id']}")).json()["status"] == "sent"


async def test_a_missing_required_note_is_shown_beside_the_note_and_nothing_changes(
    client: Client, db: AsyncSession, police: Client
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    response = await _act(police, referral["id"], action="refuse", note="  ")
    assert response.status_code == 400
    assert 'id="note-refuse-error"' in response.text and "`Ghi chú` phải có ít nhất 3 ký tự" in response.text
    assert 'aria-describedby="note-refuse-error"' in response.text
    assert (await police.get(f"/api/referrals/{referral['id']}")).json()["status"] == "sent"


async def test_the_sending_agency_cannot_act_and_is_told_why_in_english_when_it_reads_english(
    client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    client.cookies.set("ipcoord_lang", "en")
    page = (await client.get(f"/referrals/{referral['id']}", headers=HTML)).text
    assert "There is nothing you may do with this referral" in page and "Back to the outbox" in page
    response = await _act(client, referral["id"], action="acknowledge")
    assert response.status_code == 403 and "Only the receiving agency may do this." in response.text


async def test_a_form_without_its_csrf_token_is_refused(client: Client, db: AsyncSession, police: Client):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    await police.get(f"/referrals/{referral['id']}", headers=HTML)
    response = await police.post(
        f"/referrals/{referral['id']}/actions", data={"action": "acknowledge", "note": ""}, follow_redirects=False
    )
    assert response.status_code == 403
    assert (await police.get(f"/api/referrals/{referral['id']}")).json()["status"] == "sent"


async def test_bad_filters_are_shown_beside_their_field_with_what_was_typed(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="CA", role="agency_staff")
    response = await client.get("/referrals/inbox", params={"status": "lost", "due_before": "2026-13-40"}, headers=HTML)
    assert response.status_code == 400
    assert 'id="f-status-error"' in response.text and 'id="f-due_before-error"' in response.text
    assert 'value="2026-13-40"' in response.text and "`Hạn đến ngày`" in response.text


async def test_staff_cannot_open_another_agencys_queue_but_a_coordinator_can(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    outbox = await client.get("/referrals/outbox", headers=HTML)
    assert referral["id"] in outbox.text and "Công an tỉnh (Phòng Cảnh sát kinh tế) (CA)" in outbox.text
    refused = await client.get("/referrals/inbox", params={"agency": "CA"}, headers=HTML)
    assert refused.status_code == 403 and "Bạn không có quyền" in refused.text
    async with AsyncTestClient(app=create_app(settings)) as coordinator:
        await logged_in(coordinator, db, agency="SKHCN", role="coordinator")
        page = await coordinator.get("/referrals/inbox", params={"agency": "CA", "party": "QLTT"}, headers=HTML)
        detail = await coordinator.get(f"/referrals/{referral['id']}", headers=HTML)
    assert page.status_code == 200 and referral["id"] in page.text
    assert detail.status_code == 200 and 'name="action"' not in detail.text  # coordinators read, receivers act


async def test_files_sent_with_a_referral_are_linked_from_it(client: Client, db: AsyncSession, police: Client):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    files = {"file": ("bien_ban.pdf", pdf(), "application/pdf")}
    added = (await client.post(f"/api/incidents/{incident['id']}/attachments", files=files, headers=headers)).json()
    sent = {
        "incident_id": incident["id"],
        "to_agency": "CA",
        "type": "CHUYEN_HO_SO_HINH_SU",
        "attachment_ids": [added["id"]],
    }
    referral = (await client.post("/api/referrals", json=sent, headers=headers)).json()
    page = (await police.get(f"/referrals/{referral['id']}", headers=HTML)).text
    link = f"/api/incidents/{incident['id']}/attachments/{added['id']}"
    assert f'href="{link}">bien_ban.pdf</a>' in page and (await police.get(link)).status_code == 200


async def test_acting_from_a_stale_page_says_someone_else_acted_first(client: Client, db: AsyncSession, police: Client):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _refer(client, headers)
    first = await _act(police, referral["id"], action="acknowledge", version="1")
    second = await _act(police, referral["id"], action="acknowledge", version="1")
    assert first.status_code == 303 and second.status_code == 409
    assert "Hồ sơ vừa được người khác xử lý; hãy xem trạng thái mới" in second.text
    assert "phiên bản" not in second.text.lower()  # no internal version number on a page
    events = (await police.get(f"/api/referrals/{referral['id']}/events")).json()
    assert [e["action"] for e in events] == ["sent", "acknowledge"]
