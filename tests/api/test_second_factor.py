"""A second factor at sign-in: the gate for roles that require one, TOTP, recovery codes, the account slowdown
of wrong codes, bearer tokens, and the administrators' reset."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import msgspec
import pyotp
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.audit.models import AuditEvent
from service.auth.models import RecoveryCode, TotpSecret, User
from service.settings import Settings
from tests.builders import PASSWORD, csrf_headers, logged_in, login, make_user
from tests.second_factor_helpers import code, enrol_totp, second_factor

Client = AsyncTestClient[Litestar]


def admin_mfa_app(settings: Settings) -> Litestar:
    """An instance of the app with MFA_REQUIRED_ROLES=admin."""
    return create_app(msgspec.structs.replace(settings, mfa_required_roles=("admin",)))


@pytest.fixture
async def mfa_client(settings: Settings, db: AsyncSession) -> AsyncIterator[Client]:
    """A client of such an instance."""
    async with AsyncTestClient(app=admin_mfa_app(settings)) as client:
        yield client


async def test_admin_without_second_factor_signs_in_but_cannot_read_users(mfa_client: Client, db: AsyncSession):
    admin = await make_user(db, role="admin", agency="SKHCN")
    signed_in = await login(mfa_client, admin.username)
    assert signed_in.status_code == 200 and signed_in.json()["second_factor"] == "enrol"
    users = await mfa_client.get("/api/admin/users")
    assert users.status_code == 403
    body = users.json()
    assert body["code"] == "auth.second_factor_enrolment_required"
    assert "xác thực hai bước" in body["message_vi"] and "second factor" in body["message_en"]
    page = await mfa_client.get("/dashboard", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/account/security"
    assert (await mfa_client.get("/api/me")).status_code == 200  # who am I still answers


async def test_after_totp_enrolment_sign_in_needs_a_valid_code(
    settings: Settings, mfa_client: Client, db: AsyncSession
):
    admin = await make_user(db, role="admin", agency="SKHCN")
    await login(mfa_client, admin.username)
    secret, recovery_codes = await enrol_totp(mfa_client)
    assert len(recovery_codes) == 10 and len(set(recovery_codes)) == 10
    assert (await mfa_client.get("/api/admin/users")).status_code == 200  # enrolling passed the factor
    async with AsyncTestClient(app=admin_mfa_app(settings)) as other:
        signed_in = await login(other, admin.username)
        assert signed_in.status_code == 200 and signed_in.json()["second_factor"] == "pending"
        refused = await other.get("/api/admin/users")
        assert refused.status_code == 403 and refused.json()["code"] == "auth.second_factor_required"
        wrong = await second_factor(other, "000000" if code(secret, 1) != "000000" else "111111")
        assert wrong.status_code == 400
        assert wrong.json()["code"] == "second_factor.code_invalid" and wrong.json()["field"] == "code"
        assert (await other.get("/api/admin/users")).status_code == 403
        passed = await second_factor(other, code(secret, 1))
        assert passed.status_code == 200 and passed.json()["second_factor"] == "passed"
        assert (await other.get("/api/admin/users")).status_code == 200


async def test_totp_code_used_once_is_refused_the_second_time(client: Client, db: AsyncSession, settings: Settings):
    user, _ = await logged_in(client, db)
    secret, _ = await enrol_totp(client)
    now_code = code(secret, 1)
    async with AsyncTestClient(app=create_app(settings)) as first, AsyncTestClient(app=create_app(settings)) as second:
        await login(first, user.username)
        assert (await second_factor(first, now_code)).status_code == 200
        await login(second, user.username)
        reused = await second_factor(second, now_code)
    assert reused.status_code == 400 and reused.json()["code"] == "second_factor.code_used"


async def test_expired_totp_code_is_refused(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    secret, _ = await enrol_totp(client)
    await login(client, user.username)
    stale = await second_factor(client, code(secret, -4))  # two minutes old
    assert stale.status_code == 400 and stale.json()["code"] == "second_factor.code_invalid"


async def test_recovery_codes_are_stored_hashed_and_work_once(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    _, codes = await enrol_totp(client)
    stored = list(await db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)))
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(c in h for c in codes for h in stored)
    await login(client, user.username)
    used = await second_factor(client, codes[0].lower().replace("-", " "))  # typed loosely, still the code
    assert used.status_code == 200
    await login(client, user.username)
    again = await second_factor(client, codes[0])
    assert again.status_code == 400 and again.json()["code"] == "second_factor.recovery_code_used"
    assert (await client.get("/api/me")).json()["second_factor"] == "pending"  # still waiting
    assert (await second_factor(client, codes[1])).status_code == 200
    assert (await client.get("/api/me/second-factor")).json()["recovery_codes_left"] == 8


async def test_wrong_codes_slow_the_account_down_whatever_the_session(
    client: Client, db: AsyncSession, settings: Settings
):
    user, _ = await logged_in(client, db)
    secret, _ = await enrol_totp(client)
    await login(client, user.username)
    statuses = [(await second_factor(client, "12345" + str(i))).status_code for i in range(5)]
    assert statuses == [400] * 5
    assert await db.scalar(select(User.failed_second_factors).where(User.id == user.id)) == 5
    # Four more failures as if just made (16 s of waiting), so a slow machine cannot outwait the delay below.
    await db.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_second_factors=9, last_failed_second_factor_at=datetime.now(UTC))
    )
    await db.commit()
    async with AsyncTestClient(app=create_app(settings)) as elsewhere:
        await login(elsewhere, user.username)
        slowed = await second_factor(elsewhere, code(secret, 1))  # even the right code waits now
    assert slowed.status_code == 429 and slowed.json()["code"] == "second_factor.slowed"
    assert 1 <= int(slowed.headers["Retry-After"]) <= 16
    await db.execute(
        update(User)
        .where(User.id == user.id)
        .values(last_failed_second_factor_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    await db.commit()
    assert (await second_factor(client, code(secret, 1))).status_code == 200


async def test_a_session_waiting_for_its_second_factor_cannot_create_a_token(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    secret, _ = await enrol_totp(client)
    await login(client, user.username)
    headers = await csrf_headers(client)
    refused = await client.post("/api/me/tokens", json={"name": "tích hợp"}, headers=headers)
    assert refused.status_code == 403 and refused.json()["code"] == "auth.second_factor_required"
    await second_factor(client, code(secret, 1))
    assert (await client.post("/api/me/tokens", json={"name": "tích hợp"}, headers=headers)).status_code == 201


async def test_totp_enrolment_needs_a_code_of_the_new_key(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    started = (await client.post("/api/me/second-factor/totp", headers=headers)).json()
    assert started["otpauth_uri"].startswith("otpauth://totp/") and started["qr_svg"].startswith("<svg")
    wrong = await client.post("/api/me/second-factor/totp/confirm", json={"code": "abc"}, headers=headers)
    assert wrong.status_code == 400 and wrong.json()["field"] == "code"
    assert await db.scalar(select(TotpSecret.confirmed_at).where(TotpSecret.user_id == user.id)) is None
    assert (await client.get("/api/me/second-factor")).json()["totp"] is False


async def test_admin_reset_removes_the_factors_and_ends_the_users_sessions(
    client: Client, db: AsyncSession, settings: Settings
):
    user, _ = await logged_in(client, db)
    await enrol_totp(client)
    async with AsyncTestClient(app=create_app(settings)) as admin_client:
        _, admin_headers = await logged_in(admin_client, db, role="admin", agency="SKHCN")
        reset = await admin_client.post(f"/api/admin/users/{user.id}/second-factor-reset", headers=admin_headers)
    assert reset.status_code == 200 and reset.json()["ended"] == 1
    assert (await client.get("/api/me")).status_code == 401
    assert (await login(client, user.username, PASSWORD)).json()["second_factor"] == "single"
    status = (await client.get("/api/me/second-factor")).json()
    assert status["totp"] is False and status["recovery_codes_left"] == 0
    revoked = list(await db.scalars(select(RecoveryCode.revoked_at).where(RecoveryCode.user_id == user.id)))
    assert len(revoked) == 10 and all(r is not None for r in revoked)  # kept on record, unusable


async def test_second_factor_changes_and_a_reset_are_in_the_audit_trail(
    client: Client, db: AsyncSession, settings: Settings
):
    user, _ = await logged_in(client, db)
    await enrol_totp(client)
    async with AsyncTestClient(app=create_app(settings)) as admin_client:
        admin, admin_headers = await logged_in(admin_client, db, role="admin", agency="SKHCN")
        reset = await admin_client.post(f"/api/admin/users/{user.id}/second-factor-reset", headers=admin_headers)
        assert reset.status_code == 200
    rows = (await db.execute(select(AuditEvent.event, AuditEvent.actor_id, AuditEvent.record_ids))).all()
    about_user = [(event, actor) for event, actor, ids in rows if str(user.id) in ids]
    assert ("auth.second_factor_added", user.id) in about_user
    assert ("auth.recovery_codes_issued", user.id) in about_user
    assert ("auth.second_factor_reset", admin.id) in about_user  # the administrator who reset it
    assert not any("secret" in str(ids) for _, _, ids in rows)


async def test_totp_keys_are_sealed_at_rest_and_a_key_stored_before_still_verifies(
    client: AsyncTestClient[Litestar], db: AsyncSession
):
    """A copy of the database holds a Fernet token, not the key the authenticator app was given; a key stored in
    clear before the column was sealed still verifies."""
    user, _ = await logged_in(client, db, role="coordinator")
    secret, _ = await enrol_totp(client)
    stored = await db.scalar(text("SELECT secret FROM totp_secrets WHERE user_id = :u"), {"u": user.id})
    assert stored is not None and stored.startswith("gA") and secret not in stored
    await db.execute(
        text("UPDATE totp_secrets SET secret = :s, last_used_step = 0 WHERE user_id = :u"), {"s": secret, "u": user.id}
    )
    await db.commit()
    await client.post("/api/auth/logout", headers=await csrf_headers(client))
    assert (await login(client, user.username)).status_code == 200
    assert (await second_factor(client, pyotp.TOTP(secret).now())).status_code == 200
