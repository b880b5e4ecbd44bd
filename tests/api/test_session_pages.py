"""Login and logout pages, the remembered language, login redirects, and the security headers of pages."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import CSRF_COOKIE
from tests.builders import PASSWORD, logged_in, make_user, page_token

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html,application/xhtml+xml"}


async def _post_login(client: Client, username: str, password: str, next: str = "") -> object:
    token = await page_token(client, "/login", HTML)
    form = {"username": username, "password": password, "next": next, "_csrf_token": token}
    return await client.post("/login", data=form, headers=HTML, follow_redirects=False)


async def test_inspector_logs_in_with_the_form_and_lands_on_the_record_form(client: Client, db: AsyncSession):
    user = await make_user(db, role="inspector", agency="QLTT")
    response = await _post_login(client, user.username, PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/incidents/new"
    me = await client.get("/api/me")
    assert me.json()["username"] == user.username


async def test_login_returns_to_the_page_asked_for_but_never_to_another_site(client: Client, db: AsyncSession):
    user = await make_user(db, role="coordinator", agency="SKHCN")
    back = await _post_login(client, user.username, PASSWORD, next="/maps/hotspots?areas=h3")
    assert back.headers["location"] == "/maps/hotspots?areas=h3"
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = await _post_login(client, user.username, PASSWORD, next=evil)
        assert response.headers["location"] == "/dashboard"


async def test_wrong_password_shows_the_error_and_keeps_the_username(client: Client, db: AsyncSession):
    user = await make_user(db)
    response = await _post_login(client, user.username, "wrong")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text or "không đúng" in response.text
    assert f'value="{user.username}"' in response.text and "wrong" not in response.text


async def test_login_form_without_its_csrf_token_is_refused(client: Client, db: AsyncSession):
    user = await make_user(db)
    await client.get("/login", headers=HTML)
    form = {"username": user.username, "password": PASSWORD}
    response = await client.post("/login", data=form, headers=HTML, follow_redirects=False)
    assert response.status_code == 403 and "ipcoord_session" not in response.headers.get("set-cookie", "")


async def test_a_browser_without_a_session_is_sent_to_the_login_page_and_back(client: Client, db: AsyncSession):
    response = await client.get("/maps/choropleth?generation=2024", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fmaps%2Fchoropleth%3Fgeneration%3D2024"
    client.cookies.set("ipcoord_session", "gone")
    expired = await client.get("/maps/choropleth", headers=HTML, follow_redirects=False)
    assert expired.headers["location"].endswith("&expired=1")
    page = await client.get(expired.headers["location"], headers=HTML)
    assert "Phiên làm việc đã hết hạn" in page.text and "bản nháp chưa gửi vẫn được giữ" in page.text
    assert (await client.get("/maps/choropleth")).status_code == 401  # the API contract is unchanged


async def test_language_choice_is_remembered(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    assert 'lang="vi"' in (await client.get("/maps/hexbins", headers=HTML)).text
    await client.get("/lang", params={"code": "en", "next": "https://evil.example/"}, follow_redirects=False)
    page = (await client.get("/maps/hexbins", headers=HTML)).text
    assert '<html lang="en">' in page and "Log out" in page


async def test_logout_ends_the_session(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    token = await page_token(client, "/maps/hexbins", HTML)
    response = await client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert (await client.get("/api/me")).status_code == 401


async def test_pages_carry_a_strict_content_security_policy_with_the_script_nonce(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    response = await client.get("/maps/choropleth", headers=HTML)
    policy = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce and f'<script nonce="{nonce.group(1)}">' in response.text
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "https://tile.openstreetmap.org" in policy and "cdn" not in policy.replace(nonce.group(0), "")
    assert response.headers["x-content-type-options"] == "nosniff"
    second = await client.get("/maps/choropleth", headers=HTML)
    assert second.headers["content-security-policy"] != policy  # a fresh nonce per response
    api = await client.get("/api/me")
    assert api.headers["x-frame-options"] == "DENY" and "content-security-policy" not in api.headers
    assert CSRF_COOKIE in client.cookies


async def test_browsers_get_errors_as_pages_and_the_api_keeps_json(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    missing = await client.get("/maps/nowhere", headers=HTML)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy" in missing.text and "Mã tra cứu sự cố" in missing.text
    forged = await client.post("/logout", data={"_csrf_token": "forged"}, headers=HTML)
    assert forged.status_code == 403 and "text/html" in forged.headers["content-type"]
    assert (await client.get("/api/me")).status_code == 200  # the forged logout did nothing
    api = await client.get("/api/nowhere")
    assert api.status_code == 404 and api.json()["code"] == "request.not_found"


async def test_a_form_posted_after_the_session_expired_goes_to_the_login_page(client: Client, db: AsyncSession):
    token = await page_token(client, "/login", HTML)
    client.cookies.set("ipcoord_session", "gone")
    headers = {**HTML, "Referer": "http://testserver.local/incidents/new?kind=seizure"}
    response = await client.post("/logout", data={"_csrf_token": token}, headers=headers, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fincidents%2Fnew%3Fkind%3Dseizure&expired=1"
