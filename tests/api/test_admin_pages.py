"""/admin over HTTP: users, agencies, the calendar, deadline rules, dead letters and tokens from pages, with the
API's guards, CSRF and each refusal beside its field."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import local_day, now
from service.settings import Settings
from tests.builders import logged_in, make_user

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}


async def _post(client: Client, page: str, action: str, **form: str) -> Any:
    html = (await client.get(page, headers=HTML)).text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert token, html
    data = {"_csrf_token": token.group(1), **form}
    return await client.post(action, data=data, headers=HTML, follow_redirects=False)


async def _admin(client: Client, db: AsyncSession) -> None:
    await logged_in(client, db, agency="SKHCN", role="admin")


async def test_an_admin_adds_a_working_saturday_from_the_page(client: Client, db: AsyncSession):
    await _admin(client, db)
    form = {"day": "14/11/2026", "kind": "working_day", "name": "Làm bù thử nghiệm", "legal_basis": "Thông báo số 1/TB"}
    saved = await _post(client, "/admin/holidays", "/admin/holidays", **form)
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/holidays?year=2026&done=holiday_set"
    page = (await client.get(saved.headers["location"], headers=HTML)).text
    assert "Thứ Bảy, 14/11/2026" in page and "Làm bù thử nghiệm" in page and "đã được tính lại" in page
    listed = (await client.get("/api/holidays", params={"year": 2026})).json()
    day = next(h for h in listed if h["day"] == "2026-11-14")
    assert (day["kind"], day["is_day_off"], day["legal_basis"]) == ("working_day", False, "Thông báo số 1/TB")


async def test_calendar_form_errors_are_beside_their_fields_and_nothing_is_stored(client: Client, db: AsyncSession):
    await _admin(client, db)
    bad_day = await _post(client, "/admin/holidays", "/admin/holidays", day="31/02/2026", kind="day_off", name="X")
    assert bad_day.status_code == 400 and 'id="a-day-error"' in bad_day.text and 'value="31/02/2026"' in bad_day.text
    weekday = await _post(client, "/admin/holidays", "/admin/holidays", day="12/11/2026", kind="working_day", name="Y")
    assert weekday.status_code == 400 and 'id="a-kind-error"' in weekday.text
    stored = await db.scalar(text("SELECT count(*) FROM holidays WHERE day IN ('2026-11-12')"))
    assert stored == 0


async def test_users_are_created_changed_and_deactivated_from_the_page(client: Client, db: AsyncSession):
    admin, _ = await logged_in(client, db, agency="SKHCN", role="admin")
    form = {
        "username": "thanh.qltt",
        "full_name": "Lò Văn Thành",
        "password": "mật-khẩu-đủ-dài-1",
        "agency_code": "QLTT",
    }
    created = await _post(client, "/admin/users", "/admin/users", **form, role="inspector")
    assert created.status_code == 303, created.text
    user_id = await db.scalar(text("SELECT id FROM users WHERE username = 'thanh.qltt'"))
    again = await _post(client, "/admin/users", "/admin/users", **form, role="inspector")
    assert again.status_code == 409 and 'id="a-username-error"' in again.text and "mật-khẩu" not in again.text
    changed = await _post(client, "/admin/users", f"/admin/users/{user_id}", role="agency_staff", agency_code="CA")
    assert changed.status_code == 303
    row = (await db.execute(text("SELECT role, is_active FROM users WHERE id = :id"), {"id": user_id})).one()
    assert tuple(row) == ("agency_staff", False)  # the check box left unticked deactivates
    users = (await client.get("/api/admin/users")).json()
    assert next(u for u in users if u["username"] == "thanh.qltt")["agency_code"] == "CA"
    audited = await db.execute(
        text("SELECT event, actor_id FROM audit_events WHERE record_ids ? :id ORDER BY id"), {"id": str(user_id)}
    )
    assert [tuple(r) for r in audited] == [("user.created", admin.id), ("user.changed", admin.id)]  # who made each


async def test_agencies_are_added_with_days_typed_dd_mm_yyyy(client: Client, db: AsyncSession):
    await _admin(client, db)
    form = {"code": "QLTT_DOI3", "name_vi": "Đội QLTT số 3", "name_en": "Market team 3", "parent_code": "QLTT"}
    bad = await _post(client, "/admin/agencies", "/admin/agencies", **form, valid_from="2026-13-01")
    assert bad.status_code == 400 and 'id="a-valid_from-error"' in bad.text
    saved = await _post(client, "/admin/agencies", "/admin/agencies", **form, valid_from="01/07/2025")
    assert saved.status_code == 303
    agencies = (await client.get("/api/agencies")).json()
    team = next(a for a in agencies if a["code"] == "QLTT_DOI3")
    assert (team["parent_code"], team["valid_from"]) == ("QLTT", "2025-07-01")


async def test_a_deadline_rule_gets_a_new_version_and_the_old_one_ends_the_day_before(client: Client, db: AsyncSession):
    await _admin(client, db)
    rule_id = await db.scalar(text("SELECT id FROM deadline_rules WHERE code = 'expert_opinion' AND valid_to IS NULL"))
    start = local_day(now()) + timedelta(days=1)
    form = {
        "amount": "15",
        "unit": "working_days",
        "legal_basis": "Quyết định 12/QĐ-UBND",
        "valid_from": start.strftime("%d/%m/%Y"),
    }
    saved = await _post(client, "/admin/rules", f"/admin/rules/{rule_id}/version", **form)
    assert saved.status_code == 303, saved.text
    rows = (
        await db.execute(
            text(
                "SELECT amount, valid_from, valid_to FROM deadline_rules"
                " WHERE code = 'expert_opinion' ORDER BY valid_from"
            )
        )
    ).all()
    assert [(r.amount, r.valid_to) for r in rows] == [(10, start - timedelta(days=1)), (15, None)]
    late = await _post(client, "/admin/rules", f"/admin/rules/{rule_id}/version", **form)
    assert late.status_code == 400 and "r-" in late.text and 'role="alert"' in late.text


async def test_a_dead_letter_is_replayed_from_the_page(client: Client, db: AsyncSession):
    await _admin(client, db)
    message_id = await db.scalar(
        text(
            "INSERT INTO notification_outbox (kind, dedupe_key, payload, status, attempts, last_error)"
            " VALUES ('referral.sent', 'test-dead-1', '{}', 'dead', 8, 'SMTP 550') RETURNING id"
        )
    )
    await db.commit()
    page = (await client.get("/admin/notifications", headers=HTML)).text
    assert "SMTP 550" in page
    replayed = await _post(
        client, "/admin/notifications", f"/admin/notifications/{message_id}/replay", note="Đã sửa địa chỉ"
    )
    assert replayed.status_code == 303
    status = await db.scalar(text("SELECT status FROM notification_outbox WHERE id = :id"), {"id": message_id})
    assert status == "pending"
    twice = await _post(client, "/admin/notifications", f"/admin/notifications/{message_id}/replay")
    assert twice.status_code == 409 and 'role="alert"' in twice.text


async def test_an_admin_makes_and_revokes_an_api_token_whose_secret_is_shown_once(
    settings: Settings, client: Client, db: AsyncSession
):
    await _admin(client, db)
    made = await _post(client, "/admin/tokens", "/admin/tokens", name="Báo cáo tự động", expires_in_days="30")
    secret = re.search(r'<code class="token-secret">([^<]+)</code>', made.text)
    assert made.status_code == 200 and secret
    async with AsyncTestClient(app=create_app(settings)) as machine:
        bearer = {"Authorization": f"Bearer {secret.group(1)}"}
        assert (await machine.get("/api/me", headers=bearer)).status_code == 200
    listing = (await client.get("/admin/tokens", headers=HTML)).text
    assert secret.group(1) not in listing and "Báo cáo tự động" in listing
    token_id = re.search(r'action="/admin/tokens/([0-9a-f-]{36})/revoke"', listing).group(1)
    revoked = await _post(client, "/admin/tokens", f"/admin/tokens/{token_id}/revoke")
    assert revoked.status_code == 303 and "Đã thu hồi" in (await client.get("/admin/tokens", headers=HTML)).text


async def test_other_roles_get_a_403_page_and_no_admin_menu(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    refused = await client.get("/admin/holidays", headers=HTML)
    assert refused.status_code == 403
    assert 'href="/admin"' not in (await client.get("/dashboard", headers=HTML)).text
    await make_user(db, agency="QLTT")
