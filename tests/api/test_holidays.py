"""The calendar over HTTP: admins amend days off and working weekend days, open referrals' deadlines follow."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.calendar.models import Holiday
from service.calendar.repository import load_calendar, load_rules
from service.calendar.rules import holiday_rows
from service.calendar.workdays import WorkCalendar, add_working_days, is_working_day, next_working_day
from service.clock import LOCAL_TZ, local_day, now
from service.referrals.clocks import set_clocks
from service.referrals.models import Referral, ReferralEvent
from service.settings import Settings
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]
TRANSFER_DAYS = 10  # CHUYEN_THAM_QUYEN: 10 working days from sending (Luật XLVPHC, Điều 66 khoản 1 điểm a)


async def _transfer(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    """A seizure referred to the provincial committee as beyond the sender's sanctioning power."""
    incident = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    sent = {"incident_id": incident["id"], "to_agency": "UBND_TINH", "type": "CHUYEN_THAM_QUYEN"}
    response = await client.post("/api/referrals", json=sent, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _calendar(db: AsyncSession) -> WorkCalendar:
    return await load_calendar(db)


def _with_day_off(work_calendar: WorkCalendar, day: date) -> WorkCalendar:
    return dataclasses.replace(work_calendar, days_off=work_calendar.days_off | {day})


def _without_day_off(work_calendar: WorkCalendar, day: date) -> WorkCalendar:
    return dataclasses.replace(work_calendar, days_off=work_calendar.days_off - {day})


async def _decision_due(client: Client, referral_id: str) -> date:
    referral = (await client.get(f"/api/referrals/{referral_id}")).json()
    return date.fromisoformat(next(c for c in referral["clocks"] if c["name"] == "decision")["due_on"])


async def _recomputed(db: AsyncSession, referral_id: str) -> list[ReferralEvent]:
    stmt = select(ReferralEvent).where(
        ReferralEvent.referral_id == uuid.UUID(referral_id), ReferralEvent.action == "deadline_recomputed"
    )
    return list(await db.scalars(stmt))


async def _sent_on(db: AsyncSession, referral_id: str, day: date) -> None:
    """Date the referral back to `day`, with the clocks it would have had if sent then."""
    referral = await db.get(Referral, uuid.UUID(referral_id))
    assert referral is not None
    referral.sent_at = datetime.combine(day, time(9), LOCAL_TZ)
    set_clocks(referral, await load_rules(db, local_day(now())), day, None)
    await db.commit()


def _nearest_seeded_weekday_holiday(today: date, work_calendar: WorkCalendar) -> date:
    rows = [r for r in holiday_rows() if r["kind"] == "day_off"]
    weekdays = [r["day"] for r in rows if is_working_day(r["day"], _without_day_off(work_calendar, r["day"]))]
    return min(weekdays, key=lambda day: abs((day - today).days))


async def test_a_new_holiday_inside_an_open_referral_moves_its_due_date_and_is_logged(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _transfer(client, headers)
    today, days_off = local_day(now()), await _calendar(db)
    before = await _decision_due(client, referral["id"])
    assert before == add_working_days(today, TRANSFER_DAYS, days_off)
    announced = next_working_day(today + timedelta(days=1), days_off)  # the first working day of the window
    async with AsyncTestClient(app=create_app(settings)) as admin:
        user, admin_headers = await logged_in(admin, db, agency="SKHCN", role="admin")
        changed = await admin.put(f"/api/holidays/{announced}", json={"name": "Nghỉ bù"}, headers=admin_headers)
        timeline = (await admin.get(f"/api/referrals/{referral['id']}/events")).json()
    after = await _decision_due(client, referral["id"])
    assert changed.status_code == 200, changed.text
    assert changed.json()["holiday"]["changed_by"] == user.username
    assert changed.json()["recomputed_referral_ids"] == [referral["id"]]
    assert after == next_working_day(
        before + timedelta(days=1), _with_day_off(days_off, announced)
    )  # one working day later
    assert timeline[-1]["action"] == "deadline_recomputed" and timeline[-1]["actor"] == user.username
    assert after.isoformat() in timeline[-1]["note"] and timeline[-1]["from_status"] == timeline[-1]["to_status"]
    [event] = await _recomputed(db, referral["id"])
    assert event.details["clock"] == "decision" and event.details["holiday"] == announced.isoformat()
    assert (event.details["old"], event.details["new"]) == (before.isoformat(), after.isoformat())


async def test_removing_a_seeded_holiday_moves_the_due_date_back_and_keeps_the_row(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _transfer(client, headers)
    days_off = await _calendar(db)
    moved = _nearest_seeded_weekday_holiday(local_day(now()), days_off)
    await _sent_on(db, referral["id"], moved - timedelta(days=1))
    before = await _decision_due(client, referral["id"])
    async with AsyncTestClient(app=create_app(settings)) as admin:
        user, admin_headers = await logged_in(admin, db, agency="SKHCN", role="admin")
        removed = await admin.delete(f"/api/holidays/{moved}", headers=admin_headers)
        after = await _decision_due(client, referral["id"])
        table = (await admin.get("/api/holidays", params={"year": moved.year})).json()
        restored = await admin.put(f"/api/holidays/{moved}", json={"name": "Ngày lễ"}, headers=admin_headers)
    assert removed.status_code == 200, removed.text
    assert (
        after == add_working_days(moved - timedelta(days=1), TRANSFER_DAYS, _without_day_off(days_off, moved)) < before
    )
    row = next(h for h in table if h["day"] == moved.isoformat())
    assert row["is_day_off"] is row["in_force"] is False and row["changed_by"] == user.username  # kept, marked moved
    assert restored.status_code == 200 and await _decision_due(client, referral["id"]) == before
    assert [e.details["new"] for e in await _recomputed(db, referral["id"])] == [after.isoformat(), before.isoformat()]


async def test_a_closed_referral_keeps_its_dates(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = await _transfer(client, headers)
    url = f"/api/referrals/{referral['id']}/actions"
    async with AsyncTestClient(app=create_app(settings)) as committee:
        _, committee_headers = await logged_in(committee, db, agency="UBND_TINH", role="agency_head")
        for action in ({"action": "acknowledge"}, {"action": "start"}, {"action": "close", "outcome": "HOAN_THANH"}):
            assert (await committee.post(url, json=action, headers=committee_headers)).status_code == 200
    stored = await db.scalar(select(Referral.due_on).where(Referral.id == uuid.UUID(referral["id"])))
    announced = next_working_day(local_day(now()) + timedelta(days=1), await _calendar(db))
    async with AsyncTestClient(app=create_app(settings)) as admin:
        _, admin_headers = await logged_in(admin, db, agency="SKHCN", role="admin")
        changed = await admin.put(f"/api/holidays/{announced}", json={"name": "Nghỉ bù"}, headers=admin_headers)
    db.expire_all()
    assert changed.status_code == 200 and changed.json()["recomputed_referral_ids"] == []
    assert await db.scalar(select(Referral.due_on).where(Referral.id == uuid.UUID(referral["id"]))) == stored
    assert await _recomputed(db, referral["id"]) == []


async def test_any_user_reads_the_table_but_only_admins_change_it(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
    table = await client.get("/api/holidays", params={"year": 2026})
    added = await client.put("/api/holidays/2026-12-31", json={"name": "Cuối năm"}, headers=headers)
    removed = await client.delete("/api/holidays/2026-09-02", headers=headers)
    assert table.status_code == 200
    national_day = next(h for h in table.json() if h["day"] == "2026-09-02")
    assert national_day["is_day_off"] is True and national_day["source"] == "holidays-package"
    assert added.status_code == removed.status_code == 403
    assert await db.scalar(select(func.count()).select_from(Holiday).where(Holiday.day == date(2026, 12, 31))) == 0


@pytest.mark.parametrize("day", ["2026-13-01", "2026-02-30", "30-04-2026", "tomorrow"])
async def test_a_day_not_written_yyyy_mm_dd_is_400_naming_day(client: Client, db: AsyncSession, day: str):
    _, headers = await logged_in(client, db, agency="SKHCN", role="admin")
    response = await client.put(f"/api/holidays/{day}", json={"name": "Nghỉ"}, headers=headers)
    assert response.status_code == 400 and response.json()["field"] == "day"
    assert day in response.json()["message_vi"] and day in response.json()["message_en"]


async def test_removing_a_day_that_is_not_in_the_table_is_404(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="SKHCN", role="admin")
    response = await client.delete("/api/holidays/2026-10-14", headers=headers)
    assert response.status_code == 404 and response.json()["code"] == "holiday.not_found"
