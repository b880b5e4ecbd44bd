"""The takedown pages over HTTP: the inspector's list and request page with clocks, the answer form, the
incident's chain of custody, the drafting form, the coordinator's view per platform."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.settings import Settings
from tests.api.test_takedowns import LISTING, SAVED_PAGE, SHOP, _capture, _online_incident, _platform, _request
from tests.builders import logged_in
from tests.unit.test_content_check import photo

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}


def _token(page: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


async def _sent(settings: Settings, client: Client, db: AsyncSession) -> tuple[dict[str, Any], str]:
    """A request sent about an online incident with no capture yet, and the request page's CSRF token."""
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    url = f"/api/incidents/{incident['id']}/takedowns"
    takedown = (await client.post(url, json=_request(platform["id"]), headers=headers)).json()
    shown = await client.get(f"/takedowns/{takedown['id']}", headers=HTML)
    assert shown.status_code == 200
    return takedown, _token(shown.text)


async def test_the_inspector_follows_a_request_and_records_the_answer_done_from_the_page(
    settings: Settings, client: Client, db: AsyncSession
):
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    await _capture(client, incident["id"], SHOP, photo(image_format="PNG", gps=None), "shop.png", headers)
    await _capture(client, incident["id"], LISTING, SAVED_PAGE, "listing.html", headers)

    form = await client.get(f"/incidents/{incident['id']}/takedowns/new", headers=HTML)
    assert form.status_code == 200 and SHOP in form.text and "Shopee" in form.text
    data = {
        "_csrf_token": _token(form.text),
        "platform_id": platform["id"],
        "urls": [SHOP, LISTING],
        "legal_basis": "Nghị định 17/2023/NĐ-CP, Điều 113",
        "measures": ["remove"],
        "send": "true",
    }
    sent = await client.post(f"/incidents/{incident['id']}/takedowns/new", data=data, headers=HTML)
    assert sent.status_code == 200, sent.text
    assert "Hạn nền tảng xử lý" in sent.text and "còn 23 giờ" in sent.text and "Hạn báo cáo kết quả" in sent.text
    assert "Chuỗi lưu giữ chứng cứ" in sent.text and "HTTP 200" in sent.text
    takedown_id = str(sent.url).rstrip("/").split("/")[-1].split("?")[0]

    listed = await client.get("/takedowns", headers=HTML)
    assert "Đã gửi" in listed.text and "Shopee" in listed.text
    answer = {"_csrf_token": _token(sent.text), "outcome": "done", "answered_at": "", "text": "Đã gỡ."}
    done = await client.post(f"/takedowns/{takedown_id}/answer", data=answer, headers=HTML)
    assert done.status_code == 200 and "Đã gỡ bỏ" in done.text and "đã đáp ứng" in done.text
    incident_page = await client.get(f"/incidents/{incident['id']}", headers=HTML)
    assert "Chuỗi lưu giữ chứng cứ" in incident_page.text and "listing.html" in incident_page.text


async def test_an_early_answer_on_the_page_is_refused_beside_the_form(
    settings: Settings, client: Client, db: AsyncSession
):
    takedown, token = await _sent(settings, client, db)
    answer = {"_csrf_token": token, "outcome": "done", "answered_at": "2020-01-01T10:00"}
    refused = await client.post(f"/takedowns/{takedown['id']}/answer", data=answer, headers=HTML)
    assert refused.status_code == 400
    assert "sớm hơn lúc gửi yêu cầu" in refused.text


async def test_the_coordinator_sees_open_requests_per_platform(settings: Settings, client: Client, db: AsyncSession):
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    incident = await _online_incident(client, headers)
    await client.post(f"/api/incidents/{incident['id']}/takedowns", json=_request(platform["id"]), headers=headers)
    async with AsyncTestClient(app=create_app(settings)) as coordinator:
        await logged_in(coordinator, db, role="coordinator", agency="SKHCN")
        shown = await coordinator.get("/takedowns/platforms", headers=HTML)
        assert shown.status_code == 200 and "Shopee — 1 đang mở, 0 quá hạn" in shown.text
    assert (await client.get("/takedowns/platforms", headers=HTML)).status_code == 403


async def test_an_admin_adds_a_platform_and_ends_it_from_the_admin_page(client: Client, db: AsyncSession):
    await logged_in(client, db, role="admin", agency="SKHCN")
    shown = await client.get("/admin/platforms", headers=HTML)
    assert shown.status_code == 200
    form = {
        "_csrf_token": _token(shown.text),
        "name": "Lazada",
        "kind": "e_commerce",
        "registration_number": "0313025433",
        "contact": "ipr@lazada.vn",
        "valid_from": "01/01/2020",
    }
    added = await client.post("/admin/platforms", data=form, headers=HTML)
    assert added.status_code == 200 and "Đã thêm nền tảng." in added.text and "Lazada" in added.text
    platform = next(p for p in (await client.get("/api/platforms")).json() if p["name"] == "Lazada")
    wrong = await client.post("/admin/platforms", data=form | {"valid_to": "01/01/2019"}, headers=HTML)
    assert wrong.status_code == 400 and "sớm hơn ngày bắt đầu" in wrong.text
    end = {"_csrf_token": _token(added.text), "valid_to": "31/12/2024"}
    ended = await client.post(f"/admin/platforms/{platform['id']}/end", data=end, headers=HTML)
    assert ended.status_code == 200 and "Đã kết thúc hiệu lực nền tảng." in ended.text
    after = next(p for p in (await client.get("/api/platforms")).json() if p["id"] == platform["id"])
    assert after["valid_to"] == "2024-12-31" and after["in_force"] is False
