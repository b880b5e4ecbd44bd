"""Phone first (390×844): the map comes first with its filters folded, notices never cover the legend, every
finger target is 44×44 px or more, every control shows a focus ring, text in the other language says so."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from tests.browser.conftest import LogIn, Screenshot
from tests.builders import make_incident

pytestmark = pytest.mark.browser

TARGETS = ".site-menu a, .site-tools a, .site-tools button, .map-nav a, .downloads a, .map-downloads a"
OVERLAYS = (".ipc-caption", ".ipc-legend", ".ipc-tile-note")


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


async def _boxes(page: Page, selector: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for locator in await page.locator(selector).all():
        if await locator.is_visible():
            box = await locator.bounding_box()
            assert box is not None
            found.append(((await locator.inner_text()).strip()[:40], box))
    return found


async def test_the_hotspot_map_comes_first_with_filters_folded_and_nothing_covers_the_legend(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    user = await log_in(page, role="coordinator", agency="SKHCN")
    await make_incident(db, user)
    await page.goto("/maps/hotspots")
    await expect(page.locator(".ipc-tile-note")).to_be_visible(timeout=10_000)  # the base map is unreachable
    map_box = await page.locator(".ipc-map").bounding_box()
    assert map_box is not None and map_box["y"] < 400, map_box  # on the first screen, not 1.4 screens down
    assert await page.locator(".map-filters-box").get_attribute("open") is None
    await expect(page.locator("#f-start")).to_be_hidden()
    boxes = [await page.locator(s).bounding_box() for s in OVERLAYS]
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1 :], start=i + 1):
            assert a and b and not _overlap(a, b), (OVERLAYS[i], OVERLAYS[j])
    await screenshot(page)
    await page.locator(".map-filters-box summary").click()
    await expect(page.locator("#f-start")).to_be_visible()
    assert page_errors == []


async def test_on_a_laptop_the_notices_on_the_map_do_not_cover_each_other(
    browser: Browser, live_server: str, log_in: LogIn, db: AsyncSession
):
    context = await browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 768})
    page = await context.new_page()
    user = await log_in(page, role="coordinator", agency="SKHCN")
    await make_incident(db, user)
    await page.goto("/maps/hotspots")
    await expect(page.locator(".ipc-tile-note")).to_be_visible(timeout=10_000)
    boxes = [await page.locator(s).bounding_box() for s in OVERLAYS]
    await context.close()
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a and b and not _overlap(a, b), OVERLAYS[i]


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("coordinator", "/dashboard"),
        ("coordinator", "/maps/hotspots"),
        ("inspector", "/sanctions"),
        ("agency_staff", "/referrals/inbox"),
    ],
)
async def test_menu_and_download_links_are_finger_sized(
    page: Page, log_in: LogIn, db: AsyncSession, role: str, path: str
):
    user = await log_in(page, role=role, agency="SKHCN" if role == "coordinator" else "QLTT")
    await make_incident(db, user)
    await page.goto(path)
    small = [
        (text, box["width"], box["height"])
        for text, box in await _boxes(page, TARGETS)
        if box["width"] < 44 or box["height"] < 44
    ]
    assert await page.locator(TARGETS).count() > 3
    assert small == []


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/maps/hotspots", "#f-start"),
        ("/sanctions", "input[placeholder='dd/mm/yyyy']"),
        ("/referrals/due-date", "input[name=start]"),
    ],
)
async def test_date_fields_show_a_focus_ring_when_tapped(page: Page, log_in: LogIn, path: str, field: str):
    await log_in(page, role="coordinator", agency="SKHCN")
    await page.goto(path)
    control = page.locator(field).first
    await control.evaluate("el => { const folded = el.closest('details'); if (folded) folded.open = true; }")
    await control.tap()
    style = await control.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2, style


async def test_the_language_switch_and_english_pages_carry_their_language(page: Page, log_in: LogIn):
    await log_in(page, role="coordinator", agency="SKHCN")
    await page.goto("/maps/hotspots")
    await expect(page.locator("html")).to_have_attribute("lang", "vi")
    switch = page.locator(".site-tools a[lang]")
    await expect(switch).to_have_attribute("lang", "en")
    await switch.click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.locator(".site-tools a[lang]")).to_have_attribute("lang", "vi")
    await expect(page.locator(".ipc-legend")).to_contain_text("Getis-Ord")
