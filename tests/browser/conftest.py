"""Browser fixtures: the real app under uvicorn on a free local port, Debian's chromium driven by Playwright.

Never `playwright install`: its browser download is not used here. `make test` installs Debian's chromium.

    pytestmark = pytest.mark.browser

    async def test_inspector_sees_the_inbox(page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot):
        user = await log_in(page, role="inspector", agency="QLTT")
        await page.goto("/referrals/inbox")  # relative to the live server
        await screenshot(page)  # tests/screenshots/test_inspector_sees_the_inbox.png
        assert page_errors == []
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Error, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import User
from service.settings import Settings
from tests.builders import PASSWORD, make_user
from tests.live import free_port, live_app

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent.parent / "screenshots"
# An ordinary phone: iPhone 12-15 CSS viewport, Vietnamese locale and the province's time zone.
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "timezone_id": "Asia/Ho_Chi_Minh",
}

# Every browser test's server points base-map tiles at a local port that refuses connections, like a
# tile server out of reach on a closed government network: maps must fall back to boundaries, and the
# refused tile requests are the only console errors a test may see (left out of `page_errors`).
DEAD_TILES_PORT = free_port()
DEAD_TILES = f"http://127.0.0.1:{DEAD_TILES_PORT}/{{z}}/{{x}}/{{y}}.png"

NewPage = Callable[[], Awaitable[Page]]
LogIn = Callable[..., Awaitable[User]]
Screenshot = Callable[..., Awaitable[Path]]


@pytest.fixture(scope="module")
def browser_settings(settings: Settings) -> Settings:
    """The session's settings with base-map tiles that cannot load (see DEAD_TILES)."""
    return msgspec.structs.replace(settings, map_tile_url=DEAD_TILES, map_tile_attribution="Nền thử nghiệm")


@pytest.fixture(scope="module")
def live_server(browser_settings: Settings) -> Iterator[str]:
    """The base URL of the real app under uvicorn; one server per test module, data per test (`db`)."""
    with live_app(browser_settings) as url:
        yield url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium, or a failure saying how to get it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    """Headless Debian chromium, one per run (Playwright adds --no-sandbox itself unless asked for a sandbox)."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=chromium_path, headless=True)
        yield chromium
        await chromium.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Console errors and uncaught page errors of every page this test opened; assert it is empty."""
    return []


@pytest.fixture
async def new_page(
    browser: Browser, live_server: str, page_errors: list[str], db: AsyncSession
) -> AsyncIterator[NewPage]:
    """A factory of phone pages, each in a fresh context (own cookies), with URLs relative to the live server.

    Depends on `db` so that the pages are closed before the test's rows are truncated.
    """
    contexts: list[BrowserContext] = []

    async def open_page() -> Page:
        context = await browser.new_context(base_url=live_server, **PHONE)
        contexts.append(context)
        page = await context.new_page()
        _record_errors(page, page_errors)
        return page

    yield open_page
    for context in contexts:
        await context.close()


def _record_errors(page: Page, errors: list[str]) -> None:
    def on_console(message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        # Chromium asks for /favicon.ico by itself when a page names no icon (a CSS file opened directly, say).
        # The app has no such route: base.html.j2 links its icon. Anything else the page logs is kept.
        tile = url.startswith(f"http://127.0.0.1:{DEAD_TILES_PORT}/")
        if message.type == "error" and urlsplit(url).path != "/favicon.ico" and not tile:
            errors.append(f"console: {message.text} ({url})")

    def on_page_error(error: Error) -> None:
        errors.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)


@pytest.fixture
async def page(new_page: NewPage) -> Page:
    """An anonymous phone page (390x844 at 2x, vi-VN, Asia/Ho_Chi_Minh) on the live server."""
    return await new_page()


@pytest.fixture
def log_in(db: AsyncSession) -> LogIn:
    """`await log_in(page, **make_user_kwargs) -> User`: a new user, logged in in that page's browser context.

    It logs in through POST /api/auth/login on the context's request API, so the session cookie lands in the
    context's cookie jar and the page sends it like a browser that used the login form.
    """

    async def log_in_page(page: Page, **user: Any) -> User:
        account = await make_user(db, **user)
        response = await page.request.post("/api/auth/login", data={"username": account.username, "password": PASSWORD})
        assert response.status == 200, await response.text()
        return account

    return log_in_page


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshot:
    """`await screenshot(page, suffix="")` -> tests/screenshots/<test name>[-suffix].png (full page)."""

    async def save(page: Page, suffix: str = "") -> Path:
        name = re.sub(r"[^\w.-]+", "_", request.node.name) + (f"-{suffix}" if suffix else "")
        path = SCREENSHOTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=path, full_page=True)
        return path

    return save
