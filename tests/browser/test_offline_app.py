"""The offline app in Chromium: after one visit online, the record form opens with no connection (the first load
of the day offline), keeps a record in IndexedDB across a reload, and sends it once, by itself, when the connection
returns."""

from __future__ import annotations

import pytest
from playwright.async_api import BrowserContext, Page, expect
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.incidents.models import Incident
from tests.browser.conftest import LogIn, NewPage, Screenshot

pytestmark = pytest.mark.browser


async def _installed(page: Page) -> None:
    """Wait until the service worker controls the page and has kept the inspector's pages."""
    await page.evaluate("navigator.serviceWorker.ready")
    await page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10_000)
    await page.wait_for_function(
        """async () => {
             const names = await caches.keys();
             for (const name of names) {
               const cache = await caches.open(name);
               if (await cache.match('/incidents/new') && await cache.match('/incidents/mine')) return true;
             }
             return false;
           }""",
        timeout=10_000,
    )


async def _count(db: AsyncSession) -> int:
    db.expire_all()
    return await db.scalar(select(func.count()).select_from(Incident)) or 0


KEPT_ID = """async path => {
  for (const name of await caches.keys()) {
    const hit = await (await caches.open(name)).match(path);
    if (hit) return hit.headers.get('x-request-id');
  }
  return null;
}"""


async def _first_load_offline(context: BrowserContext, kept_id: str, path: str) -> Page:
    """A new tab opened with no connection at all: what the phone does on the next morning in the mountains.
    The answer is the copy kept on the phone (same request id), not a new one from the server."""
    await context.set_offline(True)
    page = await context.new_page()
    response = await page.goto(path)
    assert response is not None and response.from_service_worker
    assert response.headers["x-request-id"] == kept_id, "the page came from the server, not the phone's copy"
    return page


async def test_the_form_opens_offline_keeps_a_record_across_a_reload_and_sends_it_once(
    new_page: NewPage, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    online = await new_page()
    await log_in(online, role="inspector", agency="QLTT")
    await online.goto("/incidents/new")
    await _installed(online)
    kept_id = await online.evaluate(KEPT_ID, "/incidents/new")
    context = online.context
    await online.close()

    page = await _first_load_offline(context, kept_id, "/incidents/new")
    assert await page.evaluate("navigator.onLine") is False
    await expect(page.locator("h1")).to_have_text("Ghi nhận vụ việc")
    await expect(page.locator("#f-unit-code option")).to_have_count(39)  # the 38 units came with the page
    await page.locator("#f-unit-code").select_option("03445")
    await page.locator("#f-subject_matter").select_option(["NHAN_HIEU"])
    await page.locator("#f-infringement_acts").select_option(["HANG_GIA_MAO_NHAN_HIEU"])
    await page.locator("#f-seizure-record_number").fill("09/BB-QLTT")
    await page.locator("#f-goods-0-description").fill("Túi xách")
    await page.locator("#f-goods-0-infringed_mark").fill("Louis Vuitton")
    await page.locator("#f-goods-0-quantity").fill("3")
    await page.locator("#f-goods-0-unit").fill("chiếc")
    await page.locator("#f-goods-0-unit_price_vnd").fill("450.000")
    await page.get_by_role("button", name="Lưu vụ việc").click()
    outbox = page.locator("#outbox")
    await expect(outbox).to_contain_text("Đang chờ gửi (1)")
    await expect(outbox).to_contain_text("09/BB-QLTT")

    await page.reload()  # still offline: the page and the record are both on the phone
    await expect(outbox).to_contain_text("Đang chờ gửi (1)")
    await expect(outbox.locator(".last-error")).to_contain_text("không có kết nối mạng")
    await expect(outbox.get_by_role("button", name="Gửi lại")).to_be_visible()
    await screenshot(page, "outbox")
    mine = await context.new_page()
    assert (await mine.goto("/incidents/mine")).from_service_worker  # type: ignore[union-attr]
    await expect(mine.locator("#outbox")).to_contain_text("Đang chờ gửi (1)")
    await mine.close()
    assert await _count(db) == 0

    # The connection coming back sends the record with no tap: the 'online' event flushes the outbox (a tap on
    # "Gửi lại" would race it, the button goes away as soon as the record is sent).
    await context.set_offline(False)
    await expect(outbox).to_be_hidden(timeout=15_000)
    await expect(page.locator("#record-status")).to_contain_text("Đã gửi vụ việc.")
    await page.reload()
    await page.wait_for_timeout(500)  # a second flush on load finds nothing to send
    assert await _count(db) == 1
    assert [e for e in page_errors if "ERR_INTERNET_DISCONNECTED" not in e and "Failed to fetch" not in e] == []


async def test_the_worker_is_served_from_the_root_as_javascript_with_its_own_policy(page: Page):
    response = await page.request.get("/sw.js")
    assert response.status == 200
    headers = response.headers
    assert headers["content-type"].startswith("text/javascript")
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-cache" and "set-cookie" not in headers
    text = await response.text()
    assert '"/incidents/new"' in text and "/static/js/record.js?v=" in text
