"""The calendar's working Saturdays and the deadline calculator over HTTP and real PostgreSQL.

The check of issue 15: for every start date of 2024-2027 and every amount from 1 to 30 working days, the service's
due date equals the one the `holidays` package computes from its own calendar (its `get_nth_working_day`, which
knows Vietnam's days off and `weekend_workdays`), never from the service's code.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import holidays
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.calendar.repository import load_calendar
from service.calendar.workdays import due_date
from service.clock import LOCAL_TZ, local_day, now
from service.incidents.models import Incident
from service.referrals.models import ReferralEvent
from service.settings import Settings
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]
PACKAGE = holidays.country_holidays("VN", years=range(2023, 2029))
STARTS = [date(2024, 1, 1) + timedelta(days=n) for n in range((date(2028, 1, 1) - date(2024, 1, 1)).days)]


def independent_due(start: date, amount: int) -> date:
    """The `amount`-th working day after `start` by the `holidays` package's own calendar."""
    return PACKAGE.get_nth_working_day(start, amount)


async def _due(client: Client, start: date | str, amount: int | str, unit: str = "working_days") -> Any:
    params = {"start": str(start), "amount": str(amount), "unit": unit}
    return await client.get("/api/calendar/due-date", params=params)


async def test_every_working_day_due_date_of_2024_to_2027_matches_the_holidays_package(db: AsyncSession):
    work_calendar = await load_calendar(db)  # the stored calendar every clock of the service reads
    mismatches = [
        (start, amount, due_date(start, amount, "working_days", work_calendar), independent_due(start, amount))
        for start in STARTS
        for amount in range(1, 31)
        if due_date(start, amount, "working_days", work_calendar) != independent_due(start, amount)
    ]
    assert len(STARTS) == 1461 and mismatches == []


async def test_the_calculator_over_http_agrees_with_the_holidays_package(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    swaps = [d - timedelta(days=n) for d in sorted(PACKAGE.weekend_workdays) if d.year >= 2024 for n in range(1, 8)]
    sample = [(start, n % 30 + 1) for n, start in enumerate(STARTS[::9])] + [(s, 5) for s in swaps]
    for start, amount in sample:
        response = await _due(client, start, amount)
        assert response.status_code == 200, response.text
        assert response.json()["due_date"] == independent_due(start, amount).isoformat(), (start, amount)


async def test_five_working_days_from_friday_21_august_2026_end_on_thursday_27_and_say_why(
    client: Client, db: AsyncSession
):
    await logged_in(client, db, agency="CA", role="agency_staff")
    response = await _due(client, "2026-08-21", 5)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["due_date"] == "2026-08-27" and answer["working_days"] == 5
    assert answer["weekend_days_skipped"] == 1 and answer["days_off_skipped"] == 0  # Sunday 23
    [saturday] = answer["exceptions"]
    assert saturday["day"] == "2026-08-22" and saturday["kind"] == "working_day"
    assert "31/08/2026" in saturday["name_vi"] and "làm việc bù" in saturday["name_vi"]
    assert "31/08/2026" in saturday["name_en"] and "Working day" in saturday["name_en"]
    assert saturday["legal_basis"]


async def test_ten_working_days_over_the_national_day_list_both_kinds_of_exception(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    answer = (await _due(client, "2026-08-21", 10)).json()
    assert answer["due_date"] == "2026-09-08"  # 22, 24-28, 3, 4, 7, 8: 31 Aug and 1-2 Sep are off
    kinds = [(e["day"], e["kind"]) for e in answer["exceptions"]]
    assert kinds == [
        ("2026-08-22", "working_day"),
        ("2026-08-31", "day_off"),
        ("2026-09-01", "day_off"),
        ("2026-09-02", "day_off"),
    ]
    national_day = answer["exceptions"][2]
    assert national_day["name_vi"] == "Quốc khánh" and national_day["name_en"] == "National Day"
    assert answer["days_off_skipped"] == 3


async def test_a_calendar_limit_ending_on_a_day_off_moves_to_the_next_working_day(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    answer = (await _due(client, "2026-08-31", 1, "calendar_days")).json()
    assert answer["nominal_end"] == "2026-09-01" and answer["due_date"] == "2026-09-03" and answer["moved"] is True
    months = (await _due(client, "2025-12-31", 2, "months")).json()
    assert months["nominal_end"] == "2026-02-28" and months["due_date"] == "2026-03-02"  # a Saturday
    years = (await _due(client, "2024-05-04", 2, "years")).json()
    assert years["due_date"] == "2026-05-04" and years["moved"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2019-12-31", "amount": "5", "unit": "working_days"}, "start"),
        ({"start": "2031-01-02", "amount": "5", "unit": "working_days"}, "start"),
        ({"start": "21/08/2026", "amount": "5", "unit": "working_days"}, "start"),
        ({"start": "2026-08-21", "amount": "-1", "unit": "working_days"}, "amount"),
        ({"start": "2026-08-21", "amount": "0", "unit": "working_days"}, "amount"),
        ({"start": "2026-08-21", "amount": "99999999", "unit": "working_days"}, "amount"),
        ({"start": "2026-08-21", "amount": "10", "unit": "years"}, "amount"),  # ends in 2036, past the calendar
        ({"start": "2026-08-21", "amount": "5", "unit": "fortnights"}, "unit"),
        ({"start": "2026-08-21", "amount": "5"}, "unit"),
    ],
    ids=["before", "after", "dd/mm", "negative", "zero", "huge", "past the calendar", "unknown unit", "no unit"],
)
async def test_bad_input_is_400_naming_the_field_in_both_languages(
    client: Client, db: AsyncSession, params: dict[str, str], field: str
):
    await logged_in(client, db, agency="QLTT")
    response = await client.get("/api/calendar/due-date", params=params)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["field"] == field, error
    assert error["message_vi"] and error["message_en"] and error["message_vi"] != error["message_en"]


async def test_the_calculator_needs_a_login(client: Client):
    assert (await _due(client, "2026-08-21", 5)).status_code == 401


async def test_the_year_listing_shows_the_working_saturday_beside_the_days_off(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    table = {row["day"]: row for row in (await client.get("/api/holidays", params={"year": 2026})).json()}
    saturday, monday = table["2026-08-22"], table["2026-08-31"]
    assert (saturday["kind"], saturday["is_day_off"], saturday["in_force"]) == ("working_day", False, True)
    assert (monday["kind"], monday["is_day_off"]) == ("day_off", True)
    assert table["2026-09-02"]["name"] == "Quốc khánh" and table["2026-09-02"]["name_en"] == "National Day"
    assert all(row["legal_basis"] for row in table.values())


async def _incident_recorded_on(client: Client, db: AsyncSession, headers: dict[str, str], day: date) -> str:
    incident = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    stored = await db.get(Incident, uuid.UUID(incident["id"]))
    assert stored is not None
    stored.recorded_at = datetime.combine(day, time(9), LOCAL_TZ).astimezone(UTC)
    await db.commit()
    return str(incident["id"])


async def test_an_incidents_sanction_clock_counts_the_working_saturday(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident_id = await _incident_recorded_on(client, db, headers, date(2026, 8, 21))
    clocks = (await client.get(f"/api/incidents/{incident_id}")).json()["clocks"]
    decision = next(c for c in clocks if c["name"] == "sanction_decision")
    assert decision["due_on"] == "2026-09-03"  # 7 working days: 22, 24-28, 3 (31 Aug, 1-2 Sep off)


def _next_saturday_after(day: date, weeks: int) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7 + 7 * weeks)


async def test_an_admin_declared_working_saturday_moves_open_clocks_and_is_logged(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    sent = {"incident_id": (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()["id"]}
    referral = await client.post(
        "/api/referrals", json=sent | {"to_agency": "UBND_TINH", "type": "CHUYEN_THAM_QUYEN"}, headers=headers
    )
    referral_id = referral.json()["id"]
    before = next(c for c in referral.json()["clocks"] if c["name"] == "decision")["due_on"]
    saturday = _next_saturday_after(local_day(now()), 0)
    if saturday == local_day(now()):
        saturday += timedelta(days=7)
    async with AsyncTestClient(app=create_app(settings)) as admin:
        _, admin_headers = await logged_in(admin, db, agency="SKHCN", role="admin")
        worked = {"name": "Làm bù", "name_en": "Make-up day", "kind": "working_day", "legal_basis": "QĐ tỉnh"}
        changed = await admin.put(f"/api/holidays/{saturday}", json=worked, headers=admin_headers)
        after = (await admin.get(f"/api/referrals/{referral_id}")).json()
        removed = await admin.delete(f"/api/holidays/{saturday}", headers=admin_headers)
        back = (await admin.get(f"/api/referrals/{referral_id}")).json()
    assert changed.status_code == 200, changed.text
    assert changed.json()["holiday"]["kind"] == "working_day" and changed.json()["recomputed_referral_ids"] == [
        referral_id
    ]
    due_after = next(c for c in after["clocks"] if c["name"] == "decision")["due_on"]
    assert date.fromisoformat(due_after) < date.fromisoformat(before)  # one working day more in the window
    assert removed.status_code == 200 and next(c for c in back["clocks"] if c["name"] == "decision")["due_on"] == before
    events = await db.scalars(
        select(ReferralEvent).where(
            ReferralEvent.referral_id == uuid.UUID(referral_id), ReferralEvent.action == "deadline_recomputed"
        )
    )
    assert [(e.details["old"], e.details["new"]) for e in events] == [(before, due_after), (due_after, before)]


async def test_a_weekday_cannot_be_marked_a_working_weekend_day(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="SKHCN", role="admin")
    response = await client.put(
        "/api/holidays/2026-12-09", json={"name": "Làm bù", "kind": "working_day"}, headers=headers
    )
    assert response.status_code == 400 and response.json()["field"] == "kind"
    assert response.json()["code"] == "holiday.not_a_weekend_day"
