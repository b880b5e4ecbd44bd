"""Sessions the user controls: list, end one or all others; a password change ends the others; failed sign-ins
slow the account down and tell its owner by email."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from service.app import create_app
from service.auth.models import LoginSession, User
from service.notifications.delivery import deliver_pending
from service.notifications.models import OutboxMessage
from service.settings import Settings
from tests.builders import PASSWORD, csrf_headers, login, make_user
from tests.loopback import smtp_server
from tests.notification_builders import channels, make_person, sessions

Client = AsyncTestClient[Litestar]
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ANDROID_CHROME = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile"


SignIn = Callable[[str, str], Awaitable[Client]]


@pytest.fixture
async def signed_in(settings: Settings, db: AsyncSession) -> AsyncIterator[SignIn]:
    """Sign a user in on a browser of their own (an app instance each), all closed at the end."""
    async with AsyncExitStack() as stack:

        async def sign_in(username: str, user_agent: str) -> Client:
            client = await stack.enter_async_context(AsyncTestClient(app=create_app(settings)))
            client.headers["user-agent"] = user_agent
            assert (await login(client, username)).status_code == 200
            return client

        yield sign_in


async def test_sessions_list_shows_start_last_use_address_and_browser(signed_in: SignIn, db: AsyncSession):
    user = await make_user(db)
    desk = await signed_in(user.username, FIREFOX)
    await signed_in(user.username, ANDROID_CHROME)
    listed = (await desk.get("/api/me/sessions")).json()
    assert len(listed) == 2
    browsers = {s["browser"]: s for s in listed}
    assert set(browsers) == {"Firefox 128 (Linux)", "Chrome 131 (Android)"}
    assert browsers["Firefox 128 (Linux)"]["current"] is True and browsers["Chrome 131 (Android)"]["current"] is False
    assert all(s["address"] and s["started_at"] and s["last_used_at"] for s in listed)
    assert all(len(s["id"]) == 32 for s in listed)
    stored = set(await db.scalars(select(LoginSession.session_id).where(LoginSession.user_id == user.id)))
    assert not {s["id"] for s in listed} & stored  # the list never shows the secret session ids


async def test_the_user_ends_one_session_then_all_the_others(signed_in: SignIn, db: AsyncSession):
    user = await make_user(db)
    desk, phone, laptop = [await signed_in(user.username, agent) for agent in (FIREFOX, ANDROID_CHROME, FIREFOX)]
    listed = (await desk.get("/api/me/sessions")).json()
    phone_id = next(s["id"] for s in listed if "Android" in s["browser"])
    ended = await desk.delete(f"/api/me/sessions/{phone_id}", headers=await csrf_headers(desk))
    assert ended.status_code == 200
    assert (await phone.get("/api/me")).status_code == 401
    assert (await laptop.get("/api/me")).status_code == 200
    again = await desk.delete(f"/api/me/sessions/{phone_id}", headers=await csrf_headers(desk))
    assert again.status_code == 404 and again.json()["code"] == "auth.session_not_found"
    others = await desk.post("/api/me/sessions/end-others", headers=await csrf_headers(desk))
    assert others.json() == {"ended": 1}
    assert (await laptop.get("/api/me")).status_code == 401
    assert (await desk.get("/api/me")).status_code == 200


async def test_a_user_cannot_end_another_users_session(signed_in: SignIn, db: AsyncSession):
    owner, stranger = await make_user(db), await make_user(db)
    mine = await signed_in(owner.username, FIREFOX)
    theirs = await signed_in(stranger.username, FIREFOX)
    target = (await theirs.get("/api/me/sessions")).json()[0]["id"]
    refused = await mine.delete(f"/api/me/sessions/{target}", headers=await csrf_headers(mine))
    assert refused.status_code == 404
    assert (await theirs.get("/api/me")).status_code == 200


async def test_a_password_change_ends_every_other_session(signed_in: SignIn, db: AsyncSession):
    user = await make_user(db)
    desk = await signed_in(user.username, FIREFOX)
    phone = await signed_in(user.username, ANDROID_CHROME)
    headers = await csrf_headers(desk)
    wrong = await desk.post(
        "/api/me/password", json={"current_password": "not-mine-at-all", "new_password": "x" * 12}, headers=headers
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "current_password"
    short = await desk.post(
        "/api/me/password", json={"current_password": PASSWORD, "new_password": "short"}, headers=headers
    )
    assert short.status_code == 400 and short.json()["field"] == "new_password"
    assert (await phone.get("/api/me")).status_code == 200  # refused changes end nothing
    changed = await desk.post(
        "/api/me/password", json={"current_password": PASSWORD, "new_password": "a-new-long-password"}, headers=headers
    )
    assert changed.status_code == 200 and changed.json() == {"ended": 1}
    assert (await phone.get("/api/me")).status_code == 401
    assert (await desk.get("/api/me")).status_code == 200
    assert (await login(phone, user.username, "a-new-long-password")).status_code == 200


async def test_failed_sign_ins_slow_the_account_down_and_email_its_owner(
    client: Client, db: AsyncSession, engine: AsyncEngine
):
    user = await make_person(db, "nguoi.dung@test.invalid", agency="QLTT", role="inspector")
    statuses = [(await login(client, user.username, f"wrong-guess-{i}")).status_code for i in range(3)]
    assert statuses == [401, 401, 401]
    slowed = await login(client, user.username)  # the right password waits too
    assert slowed.status_code == 429 and slowed.json()["code"] == "auth.account_slowed"
    assert "giây" in slowed.json()["message_vi"] and 1 <= int(slowed.headers["Retry-After"]) <= 2
    notices = list(await db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "security.sign_ins_slowed")))
    assert len(notices) == 1 and notices[0].payload["user_id"] == str(user.id)
    async with smtp_server() as mailbox, httpx.AsyncClient() as http, sessions(engine)() as session:
        await deliver_pending(session, datetime.now(UTC), channels(http, smtp_port=mailbox.port))
    mails = mailbox.to("nguoi.dung@test.invalid")
    assert len(mails) == 1 and "đăng nhập sai" in str(mails[0]["Subject"])
    assert len(mailbox.messages) == 1  # nobody else in the agency is told
    await db.execute(
        update(User).where(User.id == user.id).values(last_failed_sign_in_at=datetime.now(UTC) - timedelta(seconds=5))
    )
    await db.commit()
    assert (await login(client, user.username)).status_code == 200
    assert await db.scalar(select(User.failed_sign_ins).where(User.id == user.id)) == 0
