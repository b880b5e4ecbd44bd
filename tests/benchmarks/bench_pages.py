"""Benchmark of the web pages on a weak connection: bytes on the wire, requests and load times in Chromium.

Run: ``.venv/bin/python tests/benchmarks/bench_pages.py [--repeats 2] [--incidents 300] [--quick] [--smoke]``.
Not collected by pytest. It creates a throwaway database on the server the tests use, migrates it, loads a
modest data set (bench_pages_data.py: the demo year through the services, synthetic incidents by COPY, a few
referrals), starts the real service (uvicorn, one worker) and drives Debian's Chromium (/usr/bin/chromium,
through Playwright, at the browser tests' phone viewport) over each page with Chromium's network emulation:
400 kbit/s down and up, 400 ms round trip. Each page is visited cold (HTTP cache disabled) and warm (after an
unthrottled visit filled the cache; static assets are immutable for a year), and compared with an empty page
served by the same server through the same throttle. The server is stopped and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aims as recorded
import bench_pages_data as data
from harness import ROOT, load_average, run_main, server_env, serving, throwaway_database
from playwright.async_api import Browser, CDPSession, ConsoleMessage, Page, Response, async_playwright
from playwright.async_api import Error as PlaywrightError

from tests.browser.conftest import CHROMIUM, PHONE

LATENCY_MS = 400  # round trip added to every request
KBIT_S = 400  # down and up
THROTTLED = {
    "offline": False,
    "latency": LATENCY_MS,
    "downloadThroughput": KBIT_S * 1000 / 8,
    "uploadThroughput": KBIT_S * 1000 / 8,
}
UNTHROTTLED = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
# Smoke mode: the same emulation calls with a light throttle (every code path, seconds, nothing judged).
SMOKE_THROTTLED = {"offline": False, "latency": 5, "downloadThroughput": 10_000_000, "uploadThroughput": 10_000_000}
EMPTY = "/static/favicon.svg"  # 219 bytes, one request, no session, no work on the server
AIM_FORM_KB = 100.0
AIM_FORM_USABLE_MS = 3000.0
AIM_CHOROPLETH_WARM_KB = 150.0  # bench_maps.py's aim: the page without its cached static assets
AIM_DASHBOARD_USABLE_MS = 2000.0  # issue 17: the numbers first, the maps may load after
QUIET_S = 0.3  # no request in flight for this long after load and usable: the visit is over
SMOKE_QUIET_S = 0.05  # smoke mode: nothing is judged, the visit just has to finish
VISIT_TIMEOUT_MS = 60_000
# Injected before any page script. usable = max(first contentful paint, ready); ready is DOMContentLoaded
# (deferred scripts have run) and, on the record form, record.js's own mark (it adds class "js" to <html>
# once the form is wired), the save button enabled and the first field taking focus.
USABLE_JS = """
(() => {
  const bench = (window.__bench = { fcp: null, ready: null, usable: null });
  function formReady() {
    const form = document.getElementById("record-form");
    if (!form) return true;
    const save = document.getElementById("save");
    if (!document.documentElement.classList.contains("js") || !save || save.disabled) return false;
    const first = form.querySelector("select, textarea, input:not([type=hidden]):not([tabindex='-1'])");
    if (!first) return false;
    first.focus();
    const focused = document.activeElement === first;
    first.blur();
    return focused;
  }
  function settle() {
    if (bench.ready !== null && bench.fcp !== null) bench.usable = Math.max(bench.ready, bench.fcp);
  }
  function check() {
    if (formReady()) { bench.ready = performance.now(); settle(); } else setTimeout(check, 20);
  }
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "first-contentful-paint") { bench.fcp = e.startTime; settle(); }
  }).observe({ type: "paint", buffered: true });
  document.addEventListener("DOMContentLoaded", check);
})();
"""
TIMING_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return { load: nav ? nav.loadEventEnd : null, usable: window.__bench ? window.__bench.usable : null };
}"""


@dataclass(frozen=True)
class Target:
    """A page to visit: its label, URL path and the user who opens it (None: anonymous)."""

    label: str
    path: str
    user: str | None


# --- Recording what went over the wire ---------------------------------------------------------------------


@dataclass
class Wire:
    """CDP Network events of one visit: requests, which were served from the cache, bytes received."""

    requests: dict[str, str] = field(default_factory=dict)  # requestId -> file name, 'page' for the document
    cached: set[str] = field(default_factory=set)
    received: dict[str, int] = field(default_factory=dict)  # requestId -> encodedDataLength (headers + body)
    failed: dict[str, str] = field(default_factory=dict)
    statuses: list[tuple[int, str]] = field(default_factory=list)  # from Playwright's `response` events
    errors: list[str] = field(default_factory=list)
    last_event: float = 0.0

    @property
    def in_flight(self) -> int:
        return len(self.requests.keys() - self.received.keys() - self.failed.keys())

    def touch(self) -> None:
        self.last_event = time.monotonic()


class Recorder:
    """Listens to a page's CDP session and Playwright events; `start()` begins a new visit's record."""

    def __init__(self, cdp: CDPSession, page: Page) -> None:
        self.wire = Wire()
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "Network.requestWillBeSent": self._sent,
            "Network.requestServedFromCache": lambda e: self._cached(e["requestId"]),
            "Network.responseReceived": self._disk_cache,
            "Network.loadingFinished": lambda e: self._finished(e["requestId"], int(e["encodedDataLength"])),
            "Network.loadingFailed": lambda e: self._failed(e["requestId"], e.get("errorText", "")),
        }
        for event, handler in handlers.items():
            cdp.on(event, handler)
        page.on("response", self._response)
        page.on("pageerror", lambda e: self.wire.errors.append(f"pageerror: {e.message}"))
        page.on("console", self._console)

    def start(self) -> Wire:
        self.wire = Wire()
        self.wire.touch()
        return self.wire

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not is_automatic_icon(message.location.get("url", "")):
            self.wire.errors.append(f"console: {message.text}")

    def _response(self, response: Response) -> None:
        if not is_automatic_icon(response.url):
            self.wire.statuses.append((response.status, response.url))

    def _sent(self, event: dict[str, Any]) -> None:
        request_id, url = event["requestId"], event["request"]["url"]
        if not url.startswith("data:") and not is_automatic_icon(url):
            self.wire.requests[request_id] = "page" if event.get("type") == "Document" else short_name(url)
        self.wire.touch()

    def _cached(self, request_id: str) -> None:
        """The memory cache answered (no responseReceived.fromDiskCache for these)."""
        self.wire.cached.add(request_id)

    def _disk_cache(self, event: dict[str, Any]) -> None:
        """The disk cache answered: the response is marked, and loadingFinished still reports a size."""
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            self.wire.cached.add(event["requestId"])

    def _finished(self, request_id: str, size: int) -> None:
        if request_id in self.wire.requests:
            self.wire.received[request_id] = size
        self.wire.touch()

    def _failed(self, request_id: str, error: str) -> None:
        if request_id in self.wire.requests:
            self.wire.failed[request_id] = error
        self.wire.touch()


# --- One visit ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One throttled page load: requests (and how many the cache served), bytes on the wire, times in ms."""

    requests: int
    from_cache: int
    wire: int
    load_ms: float
    usable_ms: float | None
    sizes: dict[str, int]  # file name -> bytes on the wire
    problems: list[str]


@dataclass
class Tab:
    """A logged-in (or anonymous) phone page with its CDP session and recorder."""

    page: Page
    cdp: CDPSession
    recorder: Recorder


async def quiet(wire: Wire) -> None:
    """Wait until no request has been in flight for QUIET_S (at most 10 s)."""
    deadline, quiet_s = time.monotonic() + 10, SMOKE_QUIET_S if recorded.is_smoke() else QUIET_S
    while time.monotonic() < deadline:
        if wire.in_flight == 0 and time.monotonic() - wire.last_event >= quiet_s:
            return
        await asyncio.sleep(0.05)


def is_automatic_icon(url: str) -> bool:
    """Chromium's own GET /favicon.ico for a document that names no icon (the empty page, an SVG): not counted.

    The app's pages link their icon (base.html.j2); the app has no /favicon.ico route, so this is a 404.
    """
    return urlsplit(url).path == "/favicon.ico"


def short_name(url: str) -> str:
    """The file name of a URL's path, for the per-file lines."""
    return urlsplit(url).path.rsplit("/", 1)[-1] or "/"


def summarise(wire: Wire, timing: dict[str, Any]) -> Visit:
    problems = [f"{status} {short_name(url)}" for status, url in wire.statuses if status >= 400]
    problems += [f"failed {wire.requests[rid]}: {error}" for rid, error in wire.failed.items()]
    sizes = {wire.requests[rid]: size for rid, size in wire.received.items() if rid not in wire.cached}
    return Visit(
        requests=len(wire.requests),
        from_cache=len(wire.cached & wire.requests.keys()),
        wire=sum(size for rid, size in wire.received.items() if rid not in wire.cached),
        load_ms=float(timing["load"] or "nan"),
        usable_ms=None if timing["usable"] is None else float(timing["usable"]),
        sizes=sizes,
        problems=problems + wire.errors,
    )


async def visit(tab: Tab, path: str, *, cold: bool) -> Visit:
    """One throttled visit from about:blank: the cache disabled (cold) or as the earlier visits left it (warm)."""
    await tab.page.goto("about:blank")
    await tab.cdp.send("Network.setCacheDisabled", {"cacheDisabled": cold})
    await tab.cdp.send("Network.emulateNetworkConditions", SMOKE_THROTTLED if recorded.is_smoke() else THROTTLED)
    wire = tab.recorder.start()
    try:
        await tab.page.goto(path, wait_until="load", timeout=VISIT_TIMEOUT_MS)
        try:
            await tab.page.wait_for_function("() => window.__bench && window.__bench.usable !== null", timeout=15_000)
        except PlaywrightError:
            wire.errors.append("usable: not reached within 15 s")
        await quiet(wire)
        timing = await tab.page.evaluate(TIMING_JS)
    finally:
        await tab.cdp.send("Network.emulateNetworkConditions", UNTHROTTLED)
        await tab.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    return summarise(wire, timing)


async def fill_cache(tab: Tab, path: str) -> None:
    """An unthrottled visit with the cache enabled: what a first visit leaves in the cache."""
    await tab.page.goto(path, wait_until="load", timeout=VISIT_TIMEOUT_MS)
    await quiet(tab.recorder.wire)


# --- Browser contexts ----------------------------------------------------------------------------------------


async def open_tab(browser: Browser, base: str, user: str | None, password: str | None) -> Tab:
    """A page in a phone context (as the browser tests), logged in through POST /api/auth/login when a user is
    given (the session cookie lands in the context's jar); closed with the browser."""
    # No service worker: it answers from its own cache (docs/pages.md, offline) whatever the HTTP cache, so a
    # "cold" visit would download nothing; the figures are the network's and the HTTP cache's.
    context = await browser.new_context(base_url=base, service_workers="block", **PHONE)
    await context.add_init_script(USABLE_JS)
    if user:
        response = await context.request.post("/api/auth/login", data={"username": user, "password": password})
        if response.status != 200:
            raise SystemExit(f"login of {user} failed: HTTP {response.status} {(await response.text())[:300]}")
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    return Tab(page, cdp, Recorder(cdp, page))


async def probe(tab: Tab, target: Target) -> str | None:
    """None when the page answers 200 without a redirect (unthrottled), else why it is skipped: /dashboard, say,
    before it exists."""
    try:
        response = await tab.page.goto(target.path, wait_until="load", timeout=VISIT_TIMEOUT_MS)
    except PlaywrightError as error:
        return f"not loaded: {error.message.splitlines()[0]}"
    landed = urlsplit(tab.page.url).path
    if landed != urlsplit(target.path).path:
        return f"redirected to {landed}"
    if response is None or response.status != 200:
        return f"HTTP {response.status if response else 'no response'} (unthrottled probe)"
    return None


# --- Results -------------------------------------------------------------------------------------------------


@dataclass
class Result:
    """Every visit of one target, cold and warm, and why it was skipped if it was."""

    target: Target
    cold: list[Visit] = field(default_factory=list)
    warm: list[Visit] = field(default_factory=list)
    skipped: str | None = None


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None and v == v]
    return statistics.median(present) if present else None


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def ratio(value: float | None, baseline: float | None) -> str:
    return "n/a" if value is None or not baseline else f"{value / baseline:.1f}x"


def aims(result: Result) -> str:
    """The issue's aims for the seizure form and the dashboard, bench_maps.py's for the choropleth page, each
    recorded (aims.py); '-' elsewhere."""
    cold, warm = result.cold[-1], result.warm[-1]
    usable = median([v.usable_ms for v in result.cold])
    if result.target.path == "/incidents/new":
        size = recorded.aim(
            "seizure form, first visit on the wire",
            f"{cold.wire / 1024:.1f} KB",
            f"< {AIM_FORM_KB:.0f} KB",
            cold.wire / 1024 < AIM_FORM_KB,
        )
        fast = recorded.aim(
            "seizure form, usable on the throttled link (cold)",
            f"{ms(usable)} ms",
            f"< {AIM_FORM_USABLE_MS:.0f} ms",
            usable is not None and usable < AIM_FORM_USABLE_MS,
        )
        return f"<{AIM_FORM_KB:.0f} KB {size}; usable <{AIM_FORM_USABLE_MS / 1000:.0f} s {fast}"
    if result.target.path == "/dashboard":
        fast = recorded.aim(
            "dashboard, usable on the throttled link (cold)",
            f"{ms(usable)} ms",
            f"<= {AIM_DASHBOARD_USABLE_MS:.0f} ms",
            usable is not None and usable <= AIM_DASHBOARD_USABLE_MS,
        )
        return f"usable <={AIM_DASHBOARD_USABLE_MS / 1000:.0f} s {fast}"
    if result.target.path.startswith("/maps/choropleth"):
        met = recorded.aim(
            "choropleth page, repeat visit on the wire",
            f"{warm.wire / 1024:.1f} KB",
            f"< {AIM_CHOROPLETH_WARM_KB:.0f} KB",
            warm.wire / 1024 < AIM_CHOROPLETH_WARM_KB,
        )
        return f"warm <{AIM_CHOROPLETH_WARM_KB:.0f} KB {met}"
    return "-"


HEADER = (
    f"  {'page':22} {'who':16} {'req':>3} {'warm':>9} {'KB cold':>8} {'KB warm':>8} {'load cold':>9} "
    f"{'usable':>7} {'load warm':>9} {'usable':>7} {'x empty':>7} {'x empty':>7}  aims"
)
SUBHEADER = (
    f"  {'':22} {'':16} {'':>3} {'net+cache':>9} {'':>8} {'':>8} {'ms':>9} {'cold ms':>7} {'ms':>9} "
    f"{'warm ms':>7} {'load c':>7} {'usable':>7}"
)


def row(result: Result, empty_ms: float | None) -> str:
    """One table line: medians of the cold and warm visits; sizes and counts of the last (they do not vary)."""
    who = result.target.user or "anonymous"
    if result.skipped:
        return f"  {result.target.label:22} {who:16} skipped: {result.skipped}"
    cold, warm = result.cold[-1], result.warm[-1]
    load_cold, usable_cold = median([v.load_ms for v in result.cold]), median([v.usable_ms for v in result.cold])
    load_warm, usable_warm = median([v.load_ms for v in result.warm]), median([v.usable_ms for v in result.warm])
    warm_requests = f"{warm.requests - warm.from_cache}+{warm.from_cache}"
    return (
        f"  {result.target.label:22} {who:16} {cold.requests:>3} {warm_requests:>9} {cold.wire / 1024:8.1f} "
        f"{warm.wire / 1024:8.1f} {ms(load_cold):>9} {ms(usable_cold):>7} {ms(load_warm):>9} {ms(usable_warm):>7} "
        f"{ratio(load_cold, empty_ms):>7} {ratio(usable_cold, empty_ms):>7}  {aims(result)}"
    )


def details(result: Result) -> list[str]:
    """What the cold visit downloaded, largest first, and anything that went wrong in any visit."""
    if result.skipped or not result.cold:
        return []
    sizes = sorted(result.cold[-1].sizes.items(), key=lambda item: -item[1])
    files = ", ".join(f"{name} {size / 1024:.1f}" for name, size in sizes)
    lines = [f"  {result.target.label:22} {files}"]
    problems = sorted({p for v in result.cold + result.warm for p in v.problems})
    lines += [f"  {'':22} ! {problem}" for problem in problems]
    return lines


def print_results(results: list[Result], repeats: int) -> None:
    empty = results[0]
    empty_ms = median([v.load_ms for v in empty.cold])
    print(f"== results: median of {repeats} visits each; KB = bytes received (headers + gzip bodies) / 1024 ==")
    print(HEADER)
    print(SUBHEADER)
    for result in results:
        print(row(result, empty_ms))
    print(
        "  req: requests of the cold visit; warm net+cache: requests that went to the server + served by the cache.\n"
        "  x empty: the page's cold load / usable time over the empty page's cold load time (one request, same\n"
        "  server, same throttle). usable: first contentful paint and DOMContentLoaded (deferred scripts run), and\n"
        "  on the seizure form record.js's mark (class 'js' on <html>), #save enabled and the first field focusable.\n"
        "  The emulation adds the round trip once per request: TCP/TLS handshakes and slow start are not modelled,\n"
        "  so a real first visit over HTTPS pays one or two round trips more. Chromium's own /favicon.ico (asked\n"
        "  for by the empty page, which names no icon) is not counted."
    )
    print("== cold visit: KB on the wire per file, largest first ==")
    for result in results:
        for line in details(result):
            print(line)


# --- Running ------------------------------------------------------------------------------------------------


def targets(seeded: data.Seeded) -> list[Target]:
    return [
        Target("empty page", EMPTY, None),
        Target("/login", "/login", None),
        Target("/incidents/new", "/incidents/new", data.INSPECTOR),
        Target("/incidents/mine", "/incidents/mine", data.INSPECTOR),
        Target("/referrals/inbox", "/referrals/inbox", data.AGENCY_STAFF),
        Target("/referrals/{id}", f"/referrals/{seeded.referral_id}", data.AGENCY_STAFF),
        Target("/dashboard", "/dashboard", data.COORDINATOR),
        Target("/maps/choropleth", "/maps/choropleth", data.COORDINATOR),
    ]


async def measure(base: str, seeded: data.Seeded, repeats: int) -> list[Result]:
    """Open a tab per user, probe every page, then `repeats` rounds over the pages: a cold visit, then warm."""
    results = [Result(target) for target in targets(seeded)]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            tabs: dict[str | None, Tab] = {}
            for user in dict.fromkeys(r.target.user for r in results):
                tabs[user] = await open_tab(browser, base, user, seeded.passwords.get(user or ""))
            for result in results:
                result.skipped = await probe(tabs[result.target.user], result.target)
                if result.skipped and recorded.is_smoke():  # a page that went away fails the smoke test
                    raise SystemExit(f"{result.target.label}: {result.skipped}")
            for _ in range(repeats):  # rounds over all pages, so machine load drifts over all alike
                for result in results:
                    if not result.skipped:
                        await visit_both(tabs[result.target.user], result)
        finally:
            await browser.close()
    return results


async def visit_both(tab: Tab, result: Result) -> None:
    result.cold.append(await visit(tab, result.target.path, cold=True))
    await fill_cache(tab, result.target.path)
    result.warm.append(await visit(tab, result.target.path, cold=False))


def bench(args: argparse.Namespace) -> None:
    print(
        f"pages over Chromium's network emulation: {KBIT_S} kbit/s down and up, {LATENCY_MS} ms round trip; "
        f"phone viewport {PHONE['viewport']['width']}x{PHONE['viewport']['height']}, {PHONE['locale']}; "
        f"load average {load_average()}" + (" (smoke: a light throttle instead, nothing judged)" if args.smoke else "")
    )
    with throwaway_database() as (database_url, tmp):
        seeded = asyncio.run(data.seed(database_url, args.incidents))
        # A closed network: the maps without outside base-map tiles, only what ipcoord itself serves.
        env = server_env(database_url, tmp, MAP_TILE_URL="none")
        with serving(env, tmp / "app.log", name="app", app_dir=ROOT) as app:
            print(f"  server {app.base} (uvicorn, 1 worker); empty page: {EMPTY}; MAP_TILE_URL=none")
            results = asyncio.run(measure(app.base, seeded, args.repeats))
    print_results(results, args.repeats)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=2, help="cold and warm visits of each page")
    parser.add_argument("--incidents", type=int, default=300, help="synthetic incidents besides the demo year")
    parser.add_argument("--quick", action="store_true", help="one visit of each kind (judged)")
    args = recorded.parse(parser)
    if args.quick:
        args.repeats = 1
    if args.smoke:  # one visit of each kind over a light throttle, a few synthetic incidents
        args.repeats, args.incidents = 1, 20
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
