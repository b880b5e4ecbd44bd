"""Login sessions in PostgreSQL, rate limiting, CSRF, API tokens and the caller's identity."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import CSRF_COOKIE, create_app
from service.auth.cache import principals
from service.auth.middleware import SESSION_COOKIE
from service.auth.models import ApiToken, LoginSession, User
from service.settings import Settings
from tests.builders import PASSWORD, csrf_headers, logged_in, login, make_user


async def test_login_sets_http_only_session_cookie_and_me_answers(client: AsyncTestClient[Litestar], db: AsyncSession):
    user = await make_user(db, role="inspector", agency="QLTT")
    response = await login(client, user.username)
    assert response.status_code == 200
    set_cookie = response.headers["set-cookie"]
    assert SESSION_COOKIE in set_cookie and "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    me = (await client.get("/api/me")).json()
    assert me["username"] == user.username
    assert me["agency"]["code"] == "QLTT" and me["agency"]["name_vi"] == "Chi cục Quản lý thị trường"
    assert me["role"] == "inspector" and me["auth_method"] == "session" and me["sees_all_agencies"] is False


async def test_unknown_user_and_wrong_password_get_the_same_answer(client: AsyncTestClient[Litestar], db: AsyncSession):
    user = await make_user(db)
    wrong_password = await login(client, user.username, "not-the-password")
    unknown_user = await login(client, "nobody-here", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 401
    strip = {"request_id"}
    assert {k: v for k, v in wrong_password.json().items() if k not in strip} == {
        k: v for k, v in unknown_user.json().items() if k not in strip
    }
    assert wrong_password.json()["code"] == "auth.invalid_credentials"
    assert SESSION_COOKIE not in client.cookies


async def test_password_is_stored_as_argon2_hash(db: AsyncSession):
    user = await make_user(db)
    stored = await db.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_login_flood_from_one_address_is_refused_with_429(client: AsyncTestClient[Litestar], db: AsyncSession):
    user = await make_user(db)
    # Other usernames each time: the per-account slowdown (test_sign_in_security.py) must not be what answers.
    statuses = [(await login(client, f"guess-user-{i}", "guess-number-x")).status_code for i in range(5)]
    assert statuses == [401] * 5
    blocked = await login(client, user.username)  # even the right password waits now
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "request.too_many"
    assert blocked.json()["message_vi"] and blocked.json()["message_en"]
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60  # as the OpenAPI document promises


async def test_logout_ends_the_session_on_the_server(client: AsyncTestClient[Litestar], db: AsyncSession):
    _, headers = await logged_in(client, db)
    assert await db.scalar(select(func.count()).select_from(LoginSession)) == 1
    response = await client.post("/api/auth/logout", headers=headers)
    assert response.status_code == 200
    assert await db.scalar(select(func.count()).select_from(LoginSession)) == 0
    assert (await client.get("/api/me")).status_code == 401


async def test_session_is_shared_by_a_second_app_instance(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
):
    user, _ = await logged_in(client, db)
    async with AsyncTestClient(app=create_app(settings)) as other_instance:
        other_instance.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
        me = await other_instance.get("/api/me")
    assert me.status_code == 200
    assert me.json()["username"] == user.username


async def test_session_id_planted_before_login_is_not_kept(client: AsyncTestClient[Litestar], db: AsyncSession):
    user = await make_user(db)
    planted = "attacker-chosen-session-id"
    client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    await login(client, user.username)
    assert client.cookies[SESSION_COOKIE] != planted
    stored = await db.scalar(select(func.count()).select_from(LoginSession).where(LoginSession.session_id == planted))
    assert stored == 0


async def test_deactivated_user_loses_their_session(client: AsyncTestClient[Litestar], db: AsyncSession):
    user, _ = await logged_in(client, db)
    await client.get("/api/me")  # this instance now holds the user in its short-lived cache
    await db.execute(text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user.id})
    await db.commit()
    principals.clear()  # as if AUTH_CACHE_SECONDS had passed (another instance deactivated the user)
    response = await client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.session_expired"


async def test_deactivated_user_cannot_log_in(client: AsyncTestClient[Litestar], db: AsyncSession):
    user = await make_user(db)
    await db.execute(text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user.id})
    await db.commit()
    assert (await login(client, user.username)).status_code == 401


async def test_cookie_request_without_csrf_token_is_refused(client: AsyncTestClient[Litestar], db: AsyncSession):
    await logged_in(client, db)
    response = await client.post("/api/me/tokens", json={"name": "scripts"})
    assert response.status_code == 403
    assert response.json()["code"] == "auth.csrf"
    assert "CSRF" in response.json()["message_vi"] and "CSRF" in response.json()["message_en"]


async def test_cookie_request_with_forged_csrf_token_is_refused(client: AsyncTestClient[Litestar], db: AsyncSession):
    await logged_in(client, db)
    await csrf_headers(client)
    forged = "0" * 64 + "1" * 64
    response = await client.post("/api/me/tokens", json={"name": "scripts"}, headers={"x-csrftoken": forged})
    assert response.status_code == 403
    assert response.json()["code"] == "auth.csrf"
    assert await db.scalar(select(func.count()).select_from(ApiToken)) == 0


async def test_cookie_request_with_matching_csrf_token_passes(client: AsyncTestClient[Litestar], db: AsyncSession):
    _, headers = await logged_in(client, db)
    assert CSRF_COOKIE in client.cookies
    response = await client.post("/api/me/tokens", json={"name": "scripts"}, headers=headers)
    assert response.status_code == 201


async def _new_token(client: AsyncTestClient[Litestar], headers: dict[str, str], name: str = "tích hợp") -> dict:
    response = await client.post("/api/me/tokens", json={"name": name, "expires_in_days": 30}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_api_token_is_shown_once_and_stored_hashed(client: AsyncTestClient[Litestar], db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = await _new_token(client, headers)
    assert created["token"].startswith("ipc_") and len(created["token"]) > 40
    listed = (await client.get("/api/me/tokens")).json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0]
    stored = await db.scalar(select(ApiToken.token_hash).where(ApiToken.id == created["id"]))
    assert stored is not None and created["token"] not in stored and len(stored) == 64


async def test_bearer_token_authenticates_without_cookies_or_csrf(
    settings: Settings, client: AsyncTestClient[Litestar], db: AsyncSession
):
    user, headers = await logged_in(client, db)
    token = (await _new_token(client, headers))["token"]
    async with AsyncTestClient(app=create_app(settings)) as integrator:
        bearer = {"Authorization": f"Bearer {token}"}
        me = await integrator.get("/api/me", headers=bearer)
        second = await integrator.post("/api/me/tokens", json={"name": "second"}, headers=bearer)
    assert me.status_code == 200 and me.json()["username"] == user.username
    assert me.json()["auth_method"] == "token"
    # Tokens are made from login sessions only: a leaked token cannot mint itself successors (issue 22).
    assert second.status_code == 403 and second.json()["code"] == "auth.token_needs_second_factor"


async def test_revoked_token_no_longer_works_but_stays_on_record(
    settings: Settings, client: AsyncTestClient[Litestar], db: AsyncSession
):
    _, headers = await logged_in(client, db)
    created = await _new_token(client, headers)
    revoked = await client.delete(f"/api/me/tokens/{created['id']}", headers=headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    async with AsyncTestClient(app=create_app(settings)) as integrator:
        me = await integrator.get("/api/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert me.status_code == 401
    assert await db.scalar(select(func.count()).select_from(ApiToken)) == 1


async def test_a_user_cannot_revoke_another_users_token(
    settings: Settings, client: AsyncTestClient[Litestar], db: AsyncSession
):
    _, headers = await logged_in(client, db)
    created = await _new_token(client, headers)
    async with AsyncTestClient(app=create_app(settings)) as other:
        _, other_headers = await logged_in(other, db, agency="SVHTTDL")
        response = await other.delete(f"/api/me/tokens/{created['id']}", headers=other_headers)
    assert response.status_code == 404
    assert response.json()["code"] == "auth.token_not_found"
    still = await db.scalar(select(ApiToken.revoked_at).where(ApiToken.id == created["id"]))
    assert still is None


async def test_unknown_bearer_token_is_401(client: AsyncTestClient[Litestar], db: AsyncSession):
    response = await client.get("/api/me", headers={"Authorization": "Bearer ipc_not-a-real-token"})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


async def test_inspector_cannot_use_admin_routes(client: AsyncTestClient[Litestar], db: AsyncSession):
    _, headers = await logged_in(client, db, role="inspector")
    listing = await client.get("/api/admin/users")
    creating = await client.post(
        "/api/admin/users",
        json={"username": "sneaky", "password": "long-enough-pass", "agency_code": "QLTT", "role": "admin"},
        headers=headers,
    )
    assert listing.status_code == creating.status_code == 403
    assert creating.json()["code"] == "auth.forbidden"
    assert await db.scalar(select(func.count()).select_from(User).where(User.username == "sneaky")) == 0


async def test_admin_creates_user_who_can_then_log_in(
    settings: Settings, client: AsyncTestClient[Litestar], db: AsyncSession
):
    _, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    response = await client.post(
        "/api/admin/users",
        json={
            "username": "qltt.doi1",
            "full_name": "Lò Văn Minh",
            "password": "mật-khẩu-đủ-dài",
            "agency_code": "QLTT",
            "role": "inspector",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["agency_code"] == "QLTT"
    async with AsyncTestClient(app=create_app(settings)) as newcomer:
        assert (await login(newcomer, "qltt.doi1", "mật-khẩu-đủ-dài")).status_code == 200


async def test_admin_deactivates_a_user_instead_of_deleting(client: AsyncTestClient[Litestar], db: AsyncSession):
    _, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    target = await make_user(db)
    response = await client.patch(f"/api/admin/users/{target.id}", json={"is_active": False}, headers=headers)
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert await db.scalar(select(func.count()).select_from(User).where(User.id == target.id)) == 1


async def test_short_password_is_refused_naming_the_field(client: AsyncTestClient[Litestar], db: AsyncSession):
    _, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    response = await client.post(
        "/api/admin/users",
        json={"username": "short.pw", "password": "short", "agency_code": "QLTT", "role": "inspector"},
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "password" and response.json()["code"] == "user.weak_password"


async def test_agencies_are_listed_with_parents(client: AsyncTestClient[Litestar], db: AsyncSession):
    await logged_in(client, db)
    agencies = {a["code"]: a for a in (await client.get("/api/agencies")).json()}
    assert {"SKHCN", "QLTT", "SCT", "SVHTTDL", "CA", "HQ", "TOA_AN"} <= set(agencies)
    assert agencies["QLTT"]["parent_code"] == "SCT"
    assert agencies["SVHTTDL"]["name_vi"] == "Sở Văn hóa, Thể thao và Du lịch"


async def test_admin_adds_a_team_under_an_agency(client: AsyncTestClient[Litestar], db: AsyncSession):
    _, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    body = {
        "code": "QLTT_DOI1",
        "name_vi": "Đội Quản lý thị trường số 1",
        "name_en": "Market Surveillance Team 1",
        "parent_code": "QLTT",
        "valid_from": "2025-03-01",
    }
    created = await client.post("/api/agencies", json=body, headers=headers)
    again = await client.post("/api/agencies", json=body, headers=headers)
    assert created.status_code == 201 and created.json()["parent_code"] == "QLTT"
    assert again.status_code == 409 and again.json()["field"] == "code"


async def test_deactivation_by_an_admin_takes_effect_at_once_on_this_instance(
    settings: Settings, client: AsyncTestClient[Litestar], db: AsyncSession
):
    user, _ = await logged_in(client, db)
    assert (await client.get("/api/me")).status_code == 200
    async with AsyncTestClient(app=create_app(settings)) as admin:
        _, headers = await logged_in(admin, db, role="admin", agency="SKHCN")
        await admin.patch(f"/api/admin/users/{user.id}", json={"is_active": False}, headers=headers)
    assert (await client.get("/api/me")).status_code == 401
