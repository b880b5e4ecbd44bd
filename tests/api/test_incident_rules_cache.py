"""The deadline rules and calendar a process keeps in memory (service/calendar/repository.py, `cached_rules`) are
never older than the database: a change made elsewhere (another instance, an admin page, a migration) moves the
incidents' clocks on the very next request, on the list and on the detail route."""

from __future__ import annotations

from datetime import date, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.calendar.models import DeadlineRule, Holiday
from service.clock import local_day, now
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]


def _decision(clocks: list[dict[str, object]]) -> dict[str, object]:
    return next(c for c in clocks if c["name"] == "sanction_decision")


async def _clocks(client: Client, incident_id: str) -> tuple[dict[str, object], dict[str, object]]:
    """The sanction-decision clock of the incident on its detail route and on the list."""
    detail = (await client.get(f"/api/incidents/{incident_id}")).json()
    page = (await client.get("/api/incidents", params={"limit": 100})).json()
    item = next(i for i in page["items"] if i["id"] == incident_id)
    return _decision(detail["clocks"]), _decision(item["clocks"])


async def test_a_rule_changed_in_the_database_moves_the_clocks_at_the_next_request(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident_id = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()["id"]
    before_detail, before_item = await _clocks(client, incident_id)  # now in this process's memory
    rule = await db.scalar(select(DeadlineRule).where(DeadlineRule.code == "sanction_decision"))
    assert rule is not None and rule.unit == "working_days"
    amount = rule.amount
    try:
        # As another instance (or an admin on it) would: straight in the database, nothing told to this process.
        await db.execute(update(DeadlineRule).where(DeadlineRule.id == rule.id).values(amount=amount + 10))
        await db.commit()
        after_detail, after_item = await _clocks(client, incident_id)
    finally:
        await db.execute(update(DeadlineRule).where(DeadlineRule.id == rule.id).values(amount=amount))
        await db.commit()
    back_detail, _ = await _clocks(client, incident_id)
    assert before_detail == before_item and after_detail == after_item
    assert date.fromisoformat(str(after_detail["due_on"])) >= date.fromisoformat(str(before_detail["due_on"])) + (
        timedelta(days=14)  # ten working days more: at least two weeks later
    )
    assert back_detail == before_detail


async def test_a_day_off_added_in_the_database_moves_the_clocks_at_the_next_request(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident_id = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()["id"]
    before, _ = await _clocks(client, incident_id)
    due = date.fromisoformat(str(before["due_on"]))
    # The first working day of the window that the seeded calendar does not already make a day off.
    today = local_day(now())
    taken = set(await db.scalars(select(Holiday.day).where(Holiday.day.between(today, due))))
    free = next(d for d in (today + timedelta(days=n) for n in range(1, 30)) if d.weekday() < 5 and d not in taken)
    db.add(Holiday(day=free, kind="day_off", name="Nghỉ", name_en="Day off", legal_basis="QĐ tỉnh", source="admin"))
    await db.commit()
    after_detail, after_item = await _clocks(client, incident_id)
    assert after_detail == after_item
    assert date.fromisoformat(str(after_detail["due_on"])) > due  # one working day fewer in the window
