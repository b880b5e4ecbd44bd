"""Each map page renders in headless Chromium on a phone: legend in Vietnamese, no JavaScript error; with the
base-map server unreachable (a closed government network) the page falls back to boundaries and says so."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from maps.geotag import Geotagger
from service.clock import local_day, now
from service.demo import load_demo
from tests.browser.conftest import LogIn, Screenshot
from tests.builders import make_incident

pytestmark = pytest.mark.browser


async def _incidents(db: AsyncSession, user: object) -> None:
    rng = np.random.default_rng(5)
    for _ in range(40):
        lon, lat = 103.458 + rng.normal(0, 0.01), 22.396 + rng.normal(0, 0.01)
        await make_incident(db, user, lon=lon, lat=lat)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "legend"),
    [
        ("/maps/choropleth", "Số vụ theo đơn vị"),
        ("/maps/hotspots", "Điểm nóng Getis-Ord Gi*"),
        ("/maps/hotspots?areas=h3&resolution=7", "Điểm nóng Getis-Ord Gi*"),
        ("/maps/hexbins?resolution=8", "Số vụ có tọa độ GPS mỗi ô"),
    ],
)
async def test_map_page_renders_with_vietnamese_legend_and_no_script_error(
    page: Page,
    page_errors: list[str],
    log_in: LogIn,
    screenshot: Screenshot,
    db: AsyncSession,
    path: str,
    legend: str,
):
    user = await log_in(page, role="coordinator", agency="SKHCN")
    await _incidents(db, user)
    response = await page.goto(path)
    assert response is not None and response.status == 200
    await expect(page.locator(".ipc-legend")).to_contain_text(legend)
    await expect(page.locator(".leaflet-interactive").first).to_be_visible()
    await expect(page.locator(".ipc-tile-note")).to_be_visible(timeout=10_000)
    await expect(page.locator(".ipc-caption")).to_contain_text("Kỳ:")
    await expect(page.locator(".ipc-attribution").first).to_contain_text("Ranh giới")
    await screenshot(page, path.split("/")[-1].replace("?", "_").replace("&", "_").replace("=", "-"))
    assert page_errors == []


async def test_filter_form_keeps_a_bad_period_and_shows_the_error_by_the_field(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot
):
    await log_in(page, role="coordinator", agency="SKHCN")
    await page.goto("/maps/choropleth")
    await page.get_by_text("Bộ lọc").click()  # folded under the map on a phone
    await page.get_by_label("Từ ngày").fill("01/05/2026")
    await page.get_by_label("Đến ngày").fill("01/04/2026")
    await page.get_by_role("button", name="Xem bản đồ").click()
    await expect(page.locator("#end-error")).to_contain_text("không được trước ngày bắt đầu")
    await expect(page.get_by_label("Từ ngày")).to_have_value("01/05/2026")
    await screenshot(page)
    assert [e for e in page_errors if "400" not in e] == []


async def test_clicking_a_hot_unit_on_the_demo_map_opens_its_incidents(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    await load_demo(db, Geotagger.from_bundled(), today=local_day(now()))
    await db.commit()
    await log_in(page, role="coordinator", agency="SKHCN")
    await page.goto("/maps/hotspots")
    figures = await (await page.request.get("/api/maps/hotspots")).json()
    hot = next(unit for unit in figures["units"] if unit["label"].startswith("hot"))
    area = page.locator(f'path[data-area="{hot["code"]}"]')
    await expect(area).to_have_count(1)
    await screenshot(page, "hot")
    await area.click()
    await page.wait_for_url(f"**/incidents?unit=2025%3A{hot['code']}*")
    await expect(page.locator("h1")).to_contain_text(hot["full_name"])
    assert await page.locator("table.incident-list tbody tr").count() == min(int(hot["count"]), 50)
    await screenshot(page, "incidents")
    assert page_errors == []


async def test_date_fields_show_dd_mm_yyyy_whatever_the_browsers_locale(
    browser: Browser, live_server: str, db: AsyncSession, log_in: LogIn
):
    context = await browser.new_context(base_url=live_server, locale="en-US")
    try:
        page = await context.new_page()
        await log_in(page, role="coordinator", agency="SKHCN")
        await page.goto("/maps/choropleth?start=2026-01-01&end=2026-03-31")
        start = page.get_by_label("From (dd/mm/yyyy)")  # an English browser gets the English page
        await expect(start).to_have_value("01/01/2026")
        assert await start.get_attribute("placeholder") == "dd/mm/yyyy"
        await page.get_by_text("Filters").click()
        await start.fill("15/02/2026")
        await page.get_by_role("button", name="Show map").click()
        await expect(page.locator(".ipc-caption")).to_contain_text("15/02/2026 – 31/03/2026")
        await expect(start).to_have_value("15/02/2026")
        assert await start.get_attribute("type") == "text"
        await page.goto("/sanctions?decided_from=2026-03-05")
        await expect(page.locator("#f-decided_from")).to_have_value("05/03/2026")
    finally:
        await context.close()
