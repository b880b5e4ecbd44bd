"""The reports page in headless Chromium: a coordinator reads the tables in Vietnamese and downloads the workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from service.clock import now
from tests.browser.conftest import LogIn, Screenshot
from tests.builders import make_incident, make_user

pytestmark = pytest.mark.browser


async def test_coordinator_sees_the_tables_in_vietnamese_and_downloads_the_xlsx(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    await log_in(page, role="coordinator", agency="SKHCN")
    inspector = await make_user(db, agency="QLTT")
    await make_incident(db, inspector, occurred_at=now())
    await make_incident(db, inspector, occurred_at=now(), status="withdrawn")
    response = await page.goto("/reports")
    assert response is not None and response.status == 200
    await expect(page.locator("#title-by_kind")).to_have_text("Theo loại vụ việc")
    await expect(page.locator("#table-by_kind thead th").last).to_have_text("Số vụ")
    await expect(page.locator('#table-by_kind tfoot td[data-column="cases"]')).to_have_text("1")
    await expect(page.locator("#table-goods")).to_contain_text("chiếc")
    await screenshot(page)

    async with page.expect_download() as started:
        await page.locator('#report-downloads a[data-format="xlsx"]').click()
    download = await started.value
    assert download.suggested_filename.endswith("_dvhc-2025.xlsx")
    book = openpyxl.load_workbook(io.BytesIO((await download.path()).read_bytes()))  # the saved file has no suffix
    assert book.sheetnames[2] == "Theo loại vụ việc"
    assert [cell.value for cell in book["Theo loại vụ việc"][1]] == ["Mã loại", "Loại vụ việc", "Số vụ"]
    assert page_errors == []


async def test_a_period_that_ends_before_it_starts_is_shown_beside_its_field(
    page: Page, page_errors: list[str], log_in: LogIn
):
    await log_in(page, role="coordinator", agency="SKHCN")
    await page.goto("/reports")
    await page.select_option("#f-mode", "period")
    await page.fill("#f-start", "2026-06-30")
    await page.fill("#f-end", "2026-01-01")
    await page.locator("#report-form button[type=submit]").click()
    await expect(page.locator("#end-error")).to_contain_text("Ngày kết thúc")
    await expect(page.locator("#report-downloads")).to_have_count(0)
    # The page answers a bad form with 400, which Chromium logs; nothing else may fail.
    assert [error for error in page_errors if "status of 400" not in error] == []
