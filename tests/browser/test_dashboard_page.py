"""The coordinator's dashboard in headless Chromium: a new incident shows in this month's counts, both maps
draw in their frames with Vietnamese legends, and nothing fails in the console (tiles out of reach, as on a
closed network)."""

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

    # The numbers are there before any map; each map is a framed page of its own, loaded as it nears the screen.
    assert await page.locator(".ipc-legend").count() == 0
    for key, legend in (("hotspots", "Điểm nóng Getis-Ord Gi*"), ("choropleth", "Số vụ theo đơn vị")):
        await page.locator(f"#map-{key} iframe").scroll_into_view_if_needed()
        frame = page.frame_locator(f"#map-{key} iframe")
        await expect(frame.locator(".ipc-legend")).to_contain_text(legend)
        await expect(frame.locator(".leaflet-interactive").first).to_be_visible()
        await expect(frame.locator(".ipc-caption")).to_contain_text("Kỳ:")
        await expect(page.locator(f"#map-{key} a[href^='/maps/{key}']")).to_be_visible()
    await screenshot(page)
    await page.set_viewport_size({"width": 1366, "height": 900})  # a coordinator's office screen
    await screenshot(page, "desktop")
    assert page_errors == []
