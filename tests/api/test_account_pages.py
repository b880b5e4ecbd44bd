"""The pages of account security: the second step of signing in, enrolment forced by the role, sessions."""

from __future__ import annotations

import re

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.settings import Settings
from tests.builders import PASSWORD, login, make_user, page_token
from tests.second_factor_helpers import code, enrol_totp

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html,application/xhtml+xml", "Accept-Language": "vi"}


async def _post(client: Client, path: str, form: dict[str, str], page: str) -> object:
    data = form | {"_csrf_token": await page_token(client, page, HTML)}
    return await client.post(path, data=data, headers=HTML, follow_redirects=False)


async def test_sign_in_with_the_form_then_the_app_code(client: Client, db: AsyncSession):
    user = await make_user(db, role="inspector")
    await login(client, user.username)
    secret, _ = await enrol_totp(client)
    client.cookies.clear()
    signed = await _post(client, "/login", {"username": user.username, "password": PASSWORD, "next": ""}, "/login")
    assert signed.status_code == 303 and signed.headers["location"] == "/login/second-factor"  # type: ignore[attr-defined]
    blocked = await client.get("/incidents/new", headers=HTML, follow_redirects=False)
    assert blocked.status_code == 303 and blocked.headers["location"] == "/login/second-factor"
    wrong = await _post(client, "/login/second-factor", {"code": "000001"}, "/login/second-factor")
    assert wrong.status_code == 400 and "không đúng hoặc đã hết hạn" in wrong.text  # type: ignore[attr-defined]
    passed = await _post(client, "/login/second-factor", {"code": code(secret, 1)}, "/login/second-factor")
    assert passed.status_code == 303 and passed.headers["location"] == "/incidents/new"  # type: ignore[attr-defined]
    assert (await client.get("/incidents/new", headers=HTML)).status_code == 200


async def test_an_admin_who_must_enrol_is_taken_to_enrolment_and_sees_the_codes_once(
    settings: Settings, db: AsyncSession
):
    admin = await make_user(db, role="admin", agency="SKHCN")
    app = create_app(msgspec.structs.replace(settings, mfa_required_roles=("admin",)))
    async with AsyncTestClient(app=app) as browser:
        form = {"username": admin.username, "password": PASSWORD, "next": "/dashboard"}
        signed = await _post(browser, "/login", form, "/login")
        assert signed.headers["location"] == "/account/security"  # type: ignore[attr-defined]
        security = await browser.get("/account/security", headers=HTML)
        assert "bắt buộc xác thực hai bước" in security.text
        assert (await browser.get("/dashboard", headers=HTML, follow_redirects=False)).status_code == 303
        enrol = await _post(browser, "/account/security/totp", {}, "/account/security")
        assert enrol.status_code == 200 and "<svg" in enrol.text  # type: ignore[attr-defined]
        secret = re.search(r"<code>([A-Z2-7]{32})</code>", enrol.text).group(1)  # type: ignore[union-attr, attr-defined]
        done = await _post(browser, "/account/security/totp/confirm", {"code": code(secret)}, "/account/security")
        shown = re.findall(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", done.text)  # type: ignore[attr-defined]
        assert done.status_code == 200 and len(set(shown)) == 10  # type: ignore[attr-defined]
        assert (await browser.get("/dashboard", headers=HTML)).status_code == 200
        again = await browser.get("/account/security", headers=HTML)
        assert not any(c in again.text for c in shown)  # shown once


async def test_the_sessions_page_ends_another_session(client: Client, db: AsyncSession, settings: Settings):
    user = await make_user(db)
    await login(client, user.username)
    async with AsyncTestClient(app=create_app(settings)) as phone:
        await login(phone, user.username)
        page = (await client.get("/account/sessions", headers=HTML)).text
        assert page.count('/end"') == 1 and "phiên này" in page
        other = re.search(r'action="(/account/sessions/[0-9a-f]{32}/end)"', page).group(1)  # type: ignore[union-attr]
        ended = await _post(client, other, {}, "/account/sessions")
        assert ended.status_code == 303  # type: ignore[attr-defined]
        assert (await phone.get("/api/me")).status_code == 401
    assert (await client.get("/api/me")).status_code == 200


async def test_a_slowed_account_is_told_on_the_login_page(client: Client, db: AsyncSession):
    user = await make_user(db)
    for _ in range(3):
        await login(client, user.username, "not-the-password")
    slowed = await _post(client, "/login", {"username": user.username, "password": PASSWORD, "next": ""}, "/login")
    assert slowed.status_code == 429 and "thử lại sau" in slowed.text  # type: ignore[attr-defined]
