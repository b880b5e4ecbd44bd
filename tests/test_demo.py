"""The demo loader: users, then a year of incidents up to the day it is loaded (across the 2025 reform), referrals
in every status in every demo agency's inbox, mediation and sanctions; loaded once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import msgspec
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from maps.geotag import Geotagger
from maps.hotspots import NOT_SIGNIFICANT, HotspotParams
from service.auth.models import User
from service.cases.models import DuplicateFlag
from service.clock import LOCAL_TZ, local_day, now
from service.dashboard import figures
from service.dashboard import repository as dashboard
from service.demo import DEMO_USERS, load_demo
from service.demo.catalogue import DEMO_LABEL
from service.demo.incidents import demo_incidents, demo_principal
from service.incidents.models import Incident
from service.map_views.query import MapFilters
from service.map_views.service import unit_hotspots
from service.referrals import repository as referrals
from service.referrals.models import MediationSession, Referral, ReferralEvent
from service.referrals.repository import QueueFilters
from service.sanctions.models import SanctionDecision
from service.takedowns.models import TakedownRequest

REFORM = datetime(2025, 6, 30, 17, 0, tzinfo=UTC)  # 1 July 2025, 00:00 in Vietnam
DAY = date(2026, 3, 14)


@pytest.fixture(scope="module")
def tagger() -> Geotagger:
    """One geotagger for the module (building it reads the boundary files)."""
    return Geotagger.from_bundled()


def test_demo_incidents_are_deterministic_modest_and_never_after_the_day_they_are_loaded():
    until = datetime.combine(DAY, time(9, 30), tzinfo=LOCAL_TZ)
    first, again, other = demo_incidents(DAY, until), demo_incidents(DAY, until), demo_incidents(DAY, until, seed=7)
    assert msgspec.json.encode(first) == msgspec.json.encode(again)
    assert msgspec.json.encode(first) != msgspec.json.encode(other)
    assert 110 <= len(first) <= 150
    assert all(data.occurred_at.utcoffset() is not None and data.occurred_at <= until for _, data in first)
    assert all(data.detected_at is None or data.detected_at <= until for _, data in first)
    this_month = [d for _, d in first if d.occurred_at.astimezone(LOCAL_TZ).date() >= DAY.replace(day=1)]
    assert this_month


def test_a_demo_loaded_early_on_the_first_of_a_month_still_has_incidents_that_month():
    until = datetime(2026, 5, 1, 0, 20, tzinfo=LOCAL_TZ)
    incidents = demo_incidents(date(2026, 5, 1), until)
    assert any(d.occurred_at.astimezone(LOCAL_TZ).date() == date(2026, 5, 1) for _, d in incidents)


async def test_loading_twice_creates_everything_once(db: AsyncSession, tagger: Geotagger):
    first = await load_demo(db, tagger, today=DAY)
    await db.commit()
    second = await load_demo(db, tagger, today=DAY)
    await db.commit()
    stored = await db.scalar(select(func.count()).select_from(Incident))
    assert sorted(first.users) == sorted(u[0] for u in DEMO_USERS) and second.users == []
    assert first.incidents == stored and second.incidents == 0 and second.referrals == 0
    assert first.referrals == await db.scalar(select(func.count()).select_from(Referral)) > 0


async def test_demo_incidents_span_the_reform_with_both_generations(db: AsyncSession, tagger: Geotagger):
    await load_demo(db, tagger, today=local_day(now()))
    await db.commit()
    incidents = list(await db.scalars(select(Incident)))
    before = [i for i in incidents if i.occurred_at < REFORM]
    assert before and len(before) < len(incidents)
    assert all(i.unit_2025 for i in incidents)
    picked_2024 = [i for i in before if (i.payload.get("unit") or {}).get("generation") == "2024"]
    assert picked_2024 and all(i.commune_2024 and i.district_2024 for i in picked_2024)
    assert all(i.location_source == "crosswalk" for i in picked_2024)
    after = [i for i in incidents if i.occurred_at >= REFORM]
    assert not any((i.payload.get("unit") or {}).get("generation") == "2024" for i in after)
    assert any(i.location_source == "gps" for i in after)
    a_year_ago = now() - timedelta(days=366)
    assert sum(i.occurred_at >= a_year_ago for i in incidents) >= 60


async def test_demo_incidents_are_varied_and_labelled(db: AsyncSession, tagger: Geotagger):
    await load_demo(db, tagger, today=DAY)
    await db.commit()
    incidents = list(await db.scalars(select(Incident)))
    assert len({i.kind for i in incidents}) >= 4
    assert any(i.crime_signs for i in incidents)
    assert all(i.payload["summary"].endswith(DEMO_LABEL) for i in incidents)
    mediation = next(i for i in incidents if i.kind == "mediation_outcome")
    settled = await db.get(Incident, uuid.UUID(mediation.payload["settles_incident_id"]))
    assert settled is not None and settled.kind == "dispute"


async def test_the_demo_gives_the_coordinator_one_likely_duplicate_to_link(db: AsyncSession, tagger: Geotagger):
    await load_demo(db, tagger, today=DAY)
    await db.commit()
    flags = list(await db.scalars(select(DuplicateFlag)))
    assert len(flags) == 1 and flags[0].status == "open"
    assert {"same_reference", "same_goods", "nearby_place"} <= set(flags[0].reasons)
    pair = [await db.get(Incident, flags[0].incident_a_id), await db.get(Incident, flags[0].incident_b_id)]
    assert sorted(i.payload["record_number"] for i in pair if i) == ["03/BB-ĐQLTTCĐ", "07/BB-PC03"]


async def _inbox(db: AsyncSession, username: str) -> list[Referral]:
    principal = await demo_principal(db, username)
    rows = await referrals.list_queue(db, agency_id=principal.agency_id, incoming=True, filters=QueueFilters())
    return [row[0] for row in rows]


@pytest.mark.parametrize("day", [local_day(now()), date(2026, 1, 1), date(2025, 9, 8)])
async def test_a_fresh_demo_on_any_day_fills_the_dashboard_every_inbox_and_the_hotspot_map(
    db: AsyncSession, tagger: Geotagger, day: date
):
    await load_demo(db, tagger, today=day, at=min(now(), datetime.combine(day, time(10), tzinfo=LOCAL_TZ)))
    await db.commit()
    periods = figures.periods(day)
    counts = figures.counts(await dashboard.incident_groups(db, periods))
    assert counts.month > 0 and counts.year > 0
    late = figures.overdue(await dashboard.overdue_by_agency(db, day))
    assert late.overdue > 0
    for username in {"demo.qltt", "demo.svhttdl", "demo.ca", "demo.hq", "demo.coordinator", "demo.hoagiai"}:
        assert await _inbox(db, username), username
    coordinator = await demo_principal(db, "demo.coordinator")
    filters = MapFilters(start=day - timedelta(days=365), end=day)
    hot = await unit_hotspots(db, coordinator, filters, HotspotParams(permutations=999, alpha=0.10))
    assert any(u.label.startswith("hot") for u in hot.units if u.label != NOT_SIGNIFICANT), hot.units


async def test_demo_referrals_cover_every_status_and_clock(db: AsyncSession, tagger: Geotagger):
    day = local_day(now())
    await load_demo(db, tagger, today=day)
    await db.commit()
    made = list(await db.scalars(select(Referral)))
    assert {r.status for r in made} == {"sent", "acknowledged", "in_progress", "closed", "returned", "refused"}
    running = [r for r in made if r.status in ("sent", "acknowledged", "in_progress")]
    due = [r.due_on if r.status != "sent" or r.ack_due_on is None else r.ack_due_on for r in running]
    assert any(d is not None and d < day for d in due)  # overdue
    assert any(d is not None and day < d <= day + timedelta(days=4) for d in due)  # due tomorrow (next working day)
    closed = [r for r in made if r.status == "closed"]
    closed_on = [(local_day(r.closed_at), r.due_on) for r in closed if r.closed_at and r.due_on]
    assert any(c <= d for c, d in closed_on) and any(c > d for c, d in closed_on)
    events = list(await db.scalars(select(ReferralEvent)))
    assert len(events) > len(made) and all(e.at <= now() for e in events)
    assert all(r.sent_at <= (r.acknowledged_at or r.sent_at) <= (r.closed_at or now()) for r in made)


async def test_the_demo_has_a_mediation_case_with_sessions_and_fines_paid_and_unpaid(
    db: AsyncSession, tagger: Geotagger
):
    await load_demo(db, tagger, today=DAY)
    await db.commit()
    sessions = list(await db.scalars(select(MediationSession)))
    assert len(sessions) >= 2
    decisions = list(await db.scalars(select(SanctionDecision)))
    assert {d.payment_status for d in decisions} == {"paid", "unpaid"}
    # Paid decisions say when; some hold a person's birth date and sex for the national record.
    assert all(d.executed_on is not None for d in decisions if d.payment_status == "paid")
    assert any(d.violator_birth_date is not None and d.violator_sex for d in decisions)
    users = await db.scalar(select(func.count()).select_from(User).where(User.username.like("demo.%")))
    assert users == len(DEMO_USERS)


async def test_the_demo_sends_takedown_requests_in_several_states(db: AsyncSession, tagger: Geotagger):
    loaded = await load_demo(db, tagger, today=DAY)
    await db.commit()
    statuses = sorted((await db.scalars(select(TakedownRequest.status))).all())
    assert loaded.takedowns == len(statuses) >= 3
    assert {"done", "acknowledged", "overdue"} <= set(statuses)
