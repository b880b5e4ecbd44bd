"""The coordinator links two agencies' records of one seizure in headless Chromium on a phone screen."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from service.settings import Settings
from tests.api.test_cases import _one_seizure_twice
from tests.browser.conftest import LogIn, Screenshot

pytestmark = pytest.mark.browser


async def test_coordinator_links_the_pair_from_the_menu(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, settings: Settings, db: AsyncSession
):
    first, second = await _one_seizure_twice(settings, db)
    await log_in(page, role="coordinator", agency="SKHCN")
    await page.goto("/dashboard")
    await page.get_by_role("link", name="Nghi trùng").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Vụ việc nghi trùng")
    card = page.locator(".dup-card").first
    await expect(card.locator(".dup-reason").first).to_have_text("Cùng số hiệu bên ngoài")
    await expect(card.locator(".dup-incident")).to_have_count(2)
    await screenshot(page)

    await card.get_by_role("button", name="Gộp thành một vụ").click()  # the reason is required: the browser stops it
    await expect(page.get_by_role("heading", level=1)).to_have_text("Vụ việc nghi trùng")
    await card.get_by_label("Lý do (lưu vào lịch sử)").fill("Cùng vụ thu giữ, CA ghi lại theo hồ sơ QLTT")
    await card.get_by_role("button", name="Gộp thành một vụ").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Vụ đã gộp")
    await expect(page.get_by_role("status")).to_contain_text("báo cáo tính các vụ việc này là một vụ")
    for incident in (first, second):
        await expect(page.locator(f'a[href="/incidents/{incident["id"]}"]')).to_be_visible()
    await screenshot(page, "case")
    assert page_errors == []
