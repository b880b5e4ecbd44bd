"""Static assets over HTTP: public, cached for a year, gzipped, content-hashed URLs, nothing outside the folder."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.web.assets import STATIC_DIR, AssetUrls, asset_url
from tests.builders import logged_in

Client = AsyncTestClient[Litestar]
SITE_CSS = STATIC_DIR / "css" / "site.css"
OUTSIDE = STATIC_DIR.parent / "assets.py"  # a real file one level above the static folder


def _sha12(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _directives(cache_control: str) -> set[str]:
    return {part.strip() for part in cache_control.split(",")}


async def test_anonymous_browser_gets_the_stylesheet_cached_for_a_year(client: Client):
    response = await client.get(asset_url("css/site.css"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.content == SITE_CSS.read_bytes()
    assert _directives(response.headers["cache-control"]) == {"public", "max-age=31536000", "immutable"}
    assert "set-cookie" not in response.headers  # nothing per-user on a shared, cached response


async def test_logged_in_browser_gets_no_cookie_with_a_shared_cacheable_asset(client: Client, db: AsyncSession):
    await logged_in(client, db)
    response = await client.get(asset_url("css/site.css"))
    assert response.status_code == 200
    assert "set-cookie" not in response.headers  # no session refresh or CSRF cookie a shared cache could keep


async def test_stylesheet_is_gzipped_only_when_the_browser_asks(client: Client):
    gzipped = await client.get("/static/css/site.css", headers={"accept-encoding": "gzip"})
    assert gzipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in gzipped.headers["vary"].lower()
    assert gzipped.content == SITE_CSS.read_bytes()  # httpx decodes it
    plain = await client.get("/static/css/site.css", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == SITE_CSS.read_bytes()


async def test_missing_asset_is_404_and_not_cached_for_a_year(client: Client):
    response = await client.get("/static/css/nope.css")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")


@pytest.mark.parametrize(
    "raw_path",
    [
        "/static/../assets.py",
        "/static/css/../../assets.py",
        "/static/%2e%2e/assets.py",
        "/static/%2E%2E%2Fassets.py",
        "/static/..%2fassets.py",
        "/static/css/%2e%2e%2f%2e%2e%2fassets.py",
        "/static/../../settings.py",
        "/static/%2e%2e/%2e%2e/settings.py",
        "/static//etc/passwd",
    ],
)
async def test_path_traversal_never_serves_a_file_outside_the_folder(app: Litestar, client: Client, raw_path: str):
    # httpx would remove literal dot segments before sending; call the app as uvicorn would, with the raw target.
    status, body = await _asgi_get(app, raw_path)
    assert status in {400, 404}
    assert OUTSIDE.read_bytes() not in body
    assert b"root:" not in body


async def _asgi_get(app: Litestar, raw_path: str) -> tuple[int, bytes]:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")


def test_asset_url_carries_the_hash_of_the_file_served():
    assert asset_url("css/site.css") == f"/static/css/site.css?v={_sha12(SITE_CSS.read_bytes())}"


def test_asset_url_changes_when_the_content_changes(tmp_path: Path):
    (tmp_path / "js").mkdir()
    script = tmp_path / "js" / "app.js"
    first, second = b"console.log(1);", b"console.log(2);"
    script.write_bytes(first)
    running = AssetUrls(tmp_path)
    before = running("js/app.js")
    script.write_bytes(second)
    after_restart = AssetUrls(tmp_path)("js/app.js")
    assert before == f"/static/js/app.js?v={_sha12(first)}"
    assert after_restart == f"/static/js/app.js?v={_sha12(second)}"
    assert running("js/app.js") == before  # hashed once per process: a deploy restarts it


@pytest.mark.parametrize("path", ["css/nope.css", "css", "../assets.py", "/etc/passwd"])
def test_asset_url_refuses_what_is_not_a_file_in_the_folder(path: str):
    with pytest.raises(FileNotFoundError):
        asset_url(path)


def test_base_layout_is_vietnamese_phone_ready_and_links_the_hashed_stylesheet(app: Litestar):
    html = app.template_engine.get_template("base.html.j2").render()  # type: ignore[union-attr]
    assert '<html lang="vi">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert f'href="{asset_url("css/site.css")}"' in html
    assert "ipcoord — Sở hữu trí tuệ Lai Châu" in html


def test_templates_escape_what_they_are_given(app: Litestar):
    rendered = app.template_engine.render_string("{{ text }}", {"text": "<script>x</script>"})  # type: ignore[union-attr]
    assert rendered == "&lt;script&gt;x&lt;/script&gt;"
