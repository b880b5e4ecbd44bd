"""The takedown pages in chromium at 390×844: axe finds no critical or serious violation; the inspector records
the platform's answer "done" from the request page and sees the clocks met, and uploads a PNG capture of a URL from
the request page and sees it in the chain of custody."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import Page
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.settings import Settings
from tests.api.test_takedowns import LISTING, SAVED_PAGE, SHOP, _capture, _online_incident, _platform, _request
from tests.browser.conftest import LogIn, NewPage, Screenshot
from tests.browser.test_accessibility import AXE, BLOCKING, OPTIONS, _summary
from tests.builders import logged_in
from tests.unit.test_content_check import photo

pytestmark = pytest.mark.browser


async def _sent_request(settings: Settings, db: AsyncSession) -> dict[str, Any]:
    """An online incident of QLTT with two captured URLs and a request sent to Shopee."""
    platform = await _platform(settings, db)
    async with AsyncTestClient(app=create_app(settings)) as client:
        _, headers = await logged_in(client, db)
        incident = await _online_incident(client, headers)
        await _capture(client, incident["id"], SHOP, photo(image_format="PNG", gps=None), "shop.png", headers)
        await _capture(client, incident["id"], LISTING, SAVED_PAGE, "listing.html", headers)
        url = f"/api/incidents/{incident['id']}/takedowns"
        return dict((await client.post(url, json=_request(platform["id"]), headers=headers)).json())


async def _axe(page: Page, path: str) -> list[str]:
    response = await page.goto(path)
    assert response is not None and response.status == 200, path
    violations = (await AXE.run(page, options=OPTIONS)).response["violations"]
    return [f"{path}: {line}" for line in _summary([v for v in violations if v["impact"] in BLOCKING])]


async def test_the_inspector_answers_done_on_an_axe_clean_request_page(
    new_page: NewPage,
    log_in: LogIn,
    settings: Settings,
    db: AsyncSession,
    screenshot: Screenshot,
    record_property: Callable[[str, object], None],
):
    takedown = await _sent_request(settings, db)
    page = await new_page()
    await log_in(page, role="inspector", agency="QLTT")
    paths = [
        "/takedowns",
        f"/takedowns/{takedown['id']}",
        f"/incidents/{takedown['incident_id']}",
        f"/incidents/{takedown['incident_id']}/takedowns/new",
    ]
    found = [line for path in paths for line in await _axe(page, path)]
    record_property("printed: axe takedown pages", f"{len(found)} critical/serious")
    assert found == []
    await page.goto(f"/takedowns/{takedown['id']}")
    assert await page.get_by_text("Hạn nền tảng xử lý").is_visible()
    await screenshot(page, "-sent")
    await page.get_by_label("Kết quả").select_option("done")
    await page.get_by_label("Nội dung trả lời").fill("Đã gỡ hai đường dẫn.")
    await page.get_by_role("button", name="Ghi nhận").click()
    await page.wait_for_url(f"**/takedowns/{takedown['id']}?done=answered")
    assert await page.locator(".status-done").first.is_visible()
    assert await page.locator(".clock-met").count() == 2


async def test_the_coordinator_and_admin_pages_are_axe_clean(
    new_page: NewPage, log_in: LogIn, settings: Settings, db: AsyncSession
):
    await _sent_request(settings, db)
    coordinator = await new_page()
    await log_in(coordinator, role="coordinator", agency="SKHCN")
    found = await _axe(coordinator, "/takedowns/platforms") + await _axe(coordinator, "/takedowns")
    admin = await new_page()
    await log_in(admin, role="admin", agency="SKHCN")
    found += await _axe(admin, "/admin/platforms")
    assert found == []


async def test_the_inspector_uploads_a_png_capture_from_the_request_page_on_a_phone(
    new_page: NewPage,
    page_errors: list[str],
    log_in: LogIn,
    settings: Settings,
    db: AsyncSession,
    screenshot: Screenshot,
    tmp_path: Path,
):
    platform = await _platform(settings, db)
    async with AsyncTestClient(app=create_app(settings)) as client:
        _, headers = await logged_in(client, db)
        incident = await _online_incident(client, headers)
        url = f"/api/incidents/{incident['id']}/takedowns"
        takedown = (await client.post(url, json=_request(platform["id"]), headers=headers)).json()
    shot = tmp_path / "man-hinh.png"
    shot.write_bytes(photo(image_format="PNG", gps=None))
    page = await new_page()
    await log_in(page, role="inspector", agency="QLTT")
    path = f"/takedowns/{takedown['id']}"
    assert await _axe(page, path) == []
    await page.get_by_text(f"Tải lên chứng cứ: {SHOP}").click()  # <details>: opens without any script
    form = page.locator("#capture-1")
    assert await form.get_by_label("Mã HTTP nhận được").input_value() == "200"
    await form.get_by_label("Ảnh chụp màn hình (PNG, JPEG), PDF hoặc trang đã lưu (HTML, MHTML)").set_input_files(shot)
    await form.get_by_label("Mã HTTP nhận được").fill("403")
    found = await AXE.run(page, options=OPTIONS)  # the open form too
    assert _summary([v for v in found.response["violations"] if v["impact"] in BLOCKING]) == []
    await screenshot(page, "-form")
    await form.get_by_role("button", name="Lưu chứng cứ").click()
    await page.wait_for_url(f"**{path}?done=captured*")
    assert await page.get_by_text("Đã lưu chứng cứ vào chuỗi lưu giữ.").is_visible()
    custody = page.locator("ol.custody li")
    assert await custody.count() == 1
    line = await custody.first.inner_text()
    assert SHOP in line and "HTTP 403" in line and hashlib.sha256(shot.read_bytes()).hexdigest() in line
    assert "man-hinh.png" in line
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    await screenshot(page, "-captured")
    assert await _axe(page, path) == []
    assert page_errors == []
