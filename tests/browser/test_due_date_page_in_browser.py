"""The "Tính hạn" page in headless Chromium: from the inbox menu, a deadline over a working Saturday, an error."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import LogIn, Screenshot

pytestmark = pytest.mark.browser


async def test_staff_compute_five_working_days_over_the_working_saturday_of_august_2026(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot
):
    await log_in(page, agency="CA", role="agency_staff")
    await page.goto("/referrals/inbox")
    await page.get_by_role("navigation").get_by_role("link", name="Tính hạn").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tính hạn")

    await page.get_by_label("Ngày bắt đầu tính (dd/mm/yyyy)").fill("21/08/2026")
    await page.get_by_label("Độ dài thời hạn").fill("5")
    await page.get_by_label("Đơn vị").select_option("working_days")
    await page.get_by_role("button", name="Tính hạn").click()
    await expect(page.get_by_role("heading", name="Hạn cuối: Thứ Năm, 27/08/2026")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="22/08/2026")
    await expect(row).to_contain_text("Ngày làm bù")
    await screenshot(page)
    assert page_errors == []

    await page.get_by_label("Ngày bắt đầu tính (dd/mm/yyyy)").fill("01/01/2019")
    await page.get_by_role("button", name="Tính hạn").click()
    await expect(page.locator("#f-start-error")).to_contain_text("2020–2030")
    await expect(page.get_by_label("Ngày bắt đầu tính (dd/mm/yyyy)")).to_have_attribute("aria-invalid", "true")
    [refused] = page_errors  # the page answers the bad form with a 400, which Chromium reports on its console
    assert "status of 400" in refused and "/referrals/due-date?start=01%2F01%2F2019" in refused
