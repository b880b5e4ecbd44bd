"""The audit trail over HTTP: what each accountable action leaves behind, and the administrators' reading of it."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from service.app import create_app
from service.audit.buffer import ReadBuffer
from service.audit.service import event_row, verify
from service.settings import Settings
from tests.builders import PASSWORD, logged_in, login, make_user
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]


async def _rows(db: AsyncSession, event: str | None = None) -> list[Any]:
    stmt = text("SELECT * FROM audit_events WHERE CAST(:event AS text) IS NULL OR event = :event ORDER BY id")
    return list((await db.execute(stmt, {"event": event})).mappings().all())


async def _recorded_incident(client: Client, db: AsyncSession) -> str:
    """An incident with a violator, recorded over HTTP by an inspector who then logs out."""
    _, headers = await logged_in(client, db, agency="QLTT")
    response = await client.post("/api/incidents", json=body("seizure"), headers=headers)
    assert response.status_code == 201, response.text
    assert (await client.post("/api/auth/logout", headers=headers)).status_code == 200
    return str(response.json()["id"])


async def test_a_coordinator_opening_an_identity_then_exporting_leaves_two_rows(client: Client, db: AsyncSession):
    incident_id = await _recorded_incident(client, db)
    coordinator, _ = await logged_in(client, db, role="coordinator", agency="SKHCN")
    before = len(await _rows(db))
    opened = await client.get(f"/api/incidents/{incident_id}", headers={"User-Agent": "Firefox/140 test"})
    assert opened.status_code == 200 and opened.json()["data"]["violator"]["id_number"] == "012345678901"
    exported = await client.get("/api/incidents/export", params={"format": "csv", "kind": "seizure"})
    assert exported.status_code == 200
    rows = (await _rows(db))[before:]
    assert [r["event"] for r in rows] == ["personal_data.read", "personal_data.export"]
    read, export = rows
    assert read["actor_id"] == coordinator.id and read["actor_name"] == coordinator.username
    assert read["record_type"] == "incident" and read["record_ids"] == [incident_id]
    assert {"violator.name", "violator.id_number", "violator.address", "location.address"} <= set(read["fields"])
    assert read["address"] and read["user_agent"] == "Firefox/140 test" and read["detail"] == {"view": "api.incident"}
    assert "violator.id_number" in export["fields"] and export["detail"]["kind"] == "seizure"
    assert export["detail"]["view"] == "export.incidents"


async def test_a_list_without_personal_data_leaves_no_row(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    before = len(await _rows(db))
    assert (await client.get("/api/incidents")).status_code == 200  # nothing recorded yet: nothing shown
    assert len(await _rows(db)) == before


async def test_sign_ins_are_recorded_and_a_refused_one_survives_the_rollback(client: Client, db: AsyncSession):
    user = await make_user(db)
    assert (await login(client, user.username, "wrong password!")).status_code == 401
    assert (await login(client, "nobody-here", PASSWORD)).status_code == 401
    assert (await login(client, user.username)).status_code == 200
    failed = await _rows(db, "auth.sign_in_failed")
    assert [(r["actor_id"], r["detail"]["reason"]) for r in failed] == [
        (user.id, "wrong_password"),
        (None, "unknown_user"),
    ]
    assert failed[1]["actor_name"] == "nobody-here"
    assert [r["actor_id"] for r in await _rows(db, "auth.sign_in")] == [user.id]


async def test_token_issue_and_revocation_are_recorded(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = (await client.post("/api/me/tokens", json={"name": "partner"}, headers=headers)).json()
    assert (await client.delete(f"/api/me/tokens/{created['id']}", headers=headers)).status_code == 200
    issued, revoked = await _rows(db, "auth.token_issued"), await _rows(db, "auth.token_revoked")
    assert issued[0]["record_ids"] == revoked[0]["record_ids"] == [created["id"]]
    assert created["token"] not in str(issued[0]) and issued[0]["detail"]["name"] == "partner"


async def test_an_admin_changing_a_role_is_recorded_with_old_and_new(client: Client, db: AsyncSession):
    admin, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    user = await make_user(db)
    response = await client.patch(f"/api/admin/users/{user.id}", json={"role": "agency_head"}, headers=headers)
    assert response.status_code == 200
    (changed,) = await _rows(db, "user.changed")
    assert changed["actor_id"] == admin.id and changed["record_ids"] == [str(user.id)]
    assert changed["fields"] == ["role"] and changed["detail"] == {"role": ["inspector", "agency_head"]}


async def test_a_holiday_edit_is_recorded(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    holiday = {"kind": "day_off", "name": "Nghỉ bù", "legal_basis": "Thông báo 1/TB-BNV"}
    assert (await client.put("/api/holidays/2026-12-28", json=holiday, headers=headers)).status_code == 200
    (edited,) = await _rows(db, "calendar.holiday_set")
    assert edited["record_type"] == "holiday" and edited["record_ids"] == ["2026-12-28"]


async def test_admins_filter_the_trail_and_export_it_as_csv(client: Client, db: AsyncSession):
    user = await make_user(db)
    await login(client, user.username, "wrong password!")
    admin, _ = await logged_in(client, db, role="admin", agency="SKHCN")
    page = (await client.get("/api/admin/audit", params={"user": user.username})).json()
    assert [item["event"] for item in page["items"]] == ["auth.sign_in_failed"]
    by_event = (await client.get("/api/admin/audit", params={"event": "auth"})).json()["items"]
    assert {item["event"] for item in by_event} == {"auth.sign_in_failed", "auth.sign_in"}
    by_record = (await client.get("/api/admin/audit", params={"record": str(admin.id)})).json()["items"]
    assert [item["event"] for item in by_record] == ["auth.sign_in", "user.created"]  # newest first
    later = (await client.get("/api/admin/audit", params={"since": "2999-01-01T00:00:00Z"})).json()["items"]
    assert later == []
    exported = await client.get("/api/admin/audit/export", params={"event": "auth"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {row["event"] for row in rows} == {"auth.sign_in_failed", "auth.sign_in"} and rows[0]["hash"]
    assert (await _rows(db, "audit.exported"))[0]["actor_id"] == admin.id


async def test_a_backwards_time_range_is_a_400_naming_since(client: Client, db: AsyncSession):
    await logged_in(client, db, role="admin", agency="SKHCN")
    params = {"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}
    response = await client.get("/api/admin/audit", params=params)
    assert response.status_code == 400 and response.json()["field"] == "since"


async def test_the_audit_page_lists_rows_and_links_the_csv(client: Client, db: AsyncSession):
    await logged_in(client, db, role="admin", agency="SKHCN")
    response = await client.get("/admin/audit", params={"event": "auth", "since": "01/01/2026"})
    assert response.status_code == 200
    assert (
        "auth.sign_in" in response.text and "/api/admin/audit/export?event=auth&amp;since=2026-01-01" in response.text
    )
    wrong = await client.get("/admin/audit", params={"since": "31/02/2026"})
    assert wrong.status_code == 400 and "dd/mm/yyyy" in wrong.text


async def test_other_roles_cannot_read_the_trail(client: Client, db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    assert (await client.get("/api/admin/audit")).status_code == 403
    assert (await client.get("/admin/audit")).status_code in (403, 303)


async def test_with_the_read_buffer_the_row_is_appended_shortly_after_the_answer(
    settings: Settings, client: Client, db: AsyncSession
):
    incident_id = await _recorded_incident(client, db)
    buffered = msgspec.structs.replace(settings, audit_read_flush_ms=50)
    async with AsyncTestClient(app=create_app(buffered)) as other:
        coordinator, _ = await logged_in(other, db, role="coordinator", agency="SKHCN")
        assert (await other.get(f"/api/incidents/{incident_id}")).status_code == 200
        for _ in range(100):
            rows = await _rows(db, "personal_data.read")
            if rows:
                break
            await asyncio.sleep(0.05)
    assert [(r["actor_id"], r["record_ids"]) for r in rows] == [(coordinator.id, [incident_id])]
    assert rows[0]["address"] and rows[0]["request_id"]
    async with db.bind.connect() as connection:  # type: ignore[union-attr]
        assert (await verify(connection)).broken is None


WAITING_ON_A_LOCK = (
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
)


async def test_reads_being_appended_when_the_app_stops_still_reach_the_trail(engine: AsyncEngine, db: AsyncSession):
    """Shutdown waits for the append under way: cancelled, that batch of reads would be lost without a trace."""
    buffer = ReadBuffer(engine, 0.01)
    buffer.add(event_row("personal_data.read", None, record_type="incident", record_ids=["read-at-shutdown"]))
    async with engine.connect() as blocker:
        await blocker.execute(text("LOCK TABLE audit_events IN EXCLUSIVE MODE"))  # the append waits behind it
        buffer.start()
        for _ in range(200):
            async with engine.connect() as look:  # a new transaction each time: pg_stat_activity is a snapshot
                waiting = await look.scalar(text(WAITING_ON_A_LOCK))
            if waiting:
                break
            await asyncio.sleep(0.02)
        assert waiting, "the append never started"
        stopping = asyncio.create_task(buffer.stop())
        await asyncio.sleep(0.1)
        assert not stopping.done()  # waiting for the append, not cancelling it
        await blocker.rollback()
    await asyncio.wait_for(stopping, 10)
    rows = await _rows(db, "personal_data.read")
    assert [r["record_ids"] for r in rows] == [["read-at-shutdown"]] and not buffer.pending
