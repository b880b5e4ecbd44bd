"""The sanction decisions page in headless Chromium on a phone: from the menu, filtered, downloaded."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.test_sanction_list import decide, violator
from tests.browser.conftest import LogIn, Screenshot
from tests.builders import make_incident

pytestmark = pytest.mark.browser


async def test_agency_staff_filter_the_decisions_and_download_what_they_see(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    user = await log_in(page, agency="QLTT", role="agency_staff")
    incident = await make_incident(db, user, **violator())
    paid = await decide(db, incident, user, decided_on=date(2026, 3, 9), payment_status="paid", fine_vnd=1_250_000)
    unpaid = await decide(db, incident, user, decided_on=date(2026, 3, 10))
    await page.goto("/referrals/inbox")
    await page.get_by_role("link", name="Quyết định xử phạt").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quyết định xử phạt")
    await expect(page.get_by_text(unpaid.number)).to_be_visible()

    await page.get_by_text("Lọc quyết định").click()
    await page.get_by_label("Tình trạng thi hành").select_option("paid")
    await page.get_by_role("button", name="Lọc").click()
    await expect(page.get_by_text(paid.number)).to_be_visible()
    await expect(page.get_by_text(unpaid.number)).to_have_count(0)
    await expect(page.get_by_text("1.250.000 ₫")).to_be_visible()

    async with page.expect_download() as info:
        await page.get_by_role("link", name="CSV", exact=False).first.click()
    download = await info.value
    content = (await download.path()).read_text(encoding="utf-8-sig")  # type: ignore[union-attr]
    assert paid.number in content and unpaid.number not in content
    await screenshot(page)
    assert page_errors == []
