"""The coordinator's dashboard in headless Chromium: a new incident shows in this month's counts, both maps
draw with Vietnamese legends, and nothing fails in the console (tiles out of reach, as on a closed network)."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from service.clock import now
from tests.browser.conftest import LogIn, Screenshot
from tests.builders import make_incident, make_user

pytestmark = pytest.mark.browser


def _seizures_this_month(page: Page) -> object:
    return page.locator('#by-kind tr[data-code="seizure"] td[data-period="month"]')


async def test_coordinator_sees_a_new_incident_on_the_dashboard_with_both_maps(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    await log_in(page, role="coordinator", agency="SKHCN")
    inspector = await make_user(db, agency="QLTT")
    await make_incident(db, inspector, occurred_at=now())
    response = await page.goto("/dashboard")
    assert response is not None and response.status == 200
    await expect(_seizures_this_month(page)).to_have_text("1")  # type: ignore[arg-type]

    await make_incident(db, inspector, occurred_at=now())
    await page.reload()
    await expect(_seizures_this_month(page)).to_have_text("2")  # type: ignore[arg-type]
    await expect(page.locator('#by-agency tr[data-code="QLTT"] td[data-period="month"]')).to_have_text("2")

    legends = page.locator(".ipc-legend")
    await expect(legends).to_have_count(2)
    await expect(page.locator("#map-hotspots .ipc-legend")).to_contain_text("Điểm nóng Getis-Ord Gi*")
    await expect(page.locator("#map-choropleth .ipc-legend")).to_contain_text("Số vụ theo đơn vị")
    for key in ("hotspots", "choropleth"):
        await expect(page.locator(f"#map-{key} .leaflet-interactive").first).to_be_visible()
        await expect(page.locator(f"#map-{key} .ipc-caption")).to_contain_text("Kỳ:")
    await screenshot(page)
    await page.set_viewport_size({"width": 1366, "height": 900})  # a coordinator's office screen
    await screenshot(page, "desktop")
    assert page_errors == []
