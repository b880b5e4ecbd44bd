"""Each map page renders in headless Chromium on a phone: legend in Vietnamese, no JavaScript error; with the
base-map server unreachable (a closed government network) the page falls back to boundaries and says so."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

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
    await page.get_by_label("Từ ngày / From").fill("2026-05-01")
    await page.get_by_label("Đến ngày / To").fill("2026-04-01")
    await page.get_by_role("button", name="Xem bản đồ / Show map").click()
    await expect(page.locator("#end-error")).to_contain_text("không được trước ngày bắt đầu")
    await expect(page.get_by_label("Từ ngày / From")).to_have_value("2026-05-01")
    await screenshot(page)
    assert [e for e in page_errors if "400" not in e] == []
