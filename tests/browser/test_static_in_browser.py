"""A phone browser loads the site's stylesheet, logged in or not, and its login session reaches the API."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from service.web.assets import asset_url
from service.web.templating import template_config
from tests.browser.conftest import LogIn, NewPage, Screenshot

pytestmark = pytest.mark.browser

FETCH_ME = """async () => {
    const response = await fetch("/api/me");
    return {status: response.status, body: await response.json()};
}"""


async def test_inspector_phone_loads_the_stylesheet_and_its_session_reaches_the_api(
    page: Page, page_errors: list[str], log_in: LogIn
):
    user = await log_in(page, role="inspector", agency="QLTT")
    response = await page.goto(asset_url("css/site.css"))
    assert response is not None and response.status == 200
    assert "immutable" in response.headers["cache-control"]
    me = await page.evaluate(FETCH_ME)  # the page's own fetch: the cookie is in the browser, not just the API client
    assert me["status"] == 200, me
    assert me["body"]["username"] == user.username and me["body"]["auth_method"] == "session"
    assert page_errors == []


async def test_base_layout_fits_a_phone_and_applies_the_stylesheet(
    page: Page, page_errors: list[str], screenshot: Screenshot
):
    await page.goto(asset_url("css/site.css"))  # the live server's origin, so the layout's /static link resolves
    async with page.expect_response(lambda r: "/static/css/site.css" in r.url) as loaded:
        await page.set_content(template_config().engine_instance.get_template("base.html.j2").render())
    assert (await loaded.value).status == 200
    header = page.locator(".site-header")
    assert await header.inner_text() == "ipcoord — Sở hữu trí tuệ Lai Châu"
    assert await header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 61, 110)"
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    await screenshot(page)
    assert page_errors == []


async def test_anonymous_phone_gets_the_stylesheet_but_not_the_api(new_page: NewPage, page_errors: list[str]):
    anonymous = await new_page()
    response = await anonymous.goto("/static/css/site.css")
    assert response is not None and response.status == 200
    assert "text/css" in response.headers["content-type"]
    assert (await anonymous.request.get("/api/me")).status == 401
    assert page_errors == []
