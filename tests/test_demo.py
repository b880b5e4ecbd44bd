"""The demo loader: users, then a year of incidents across the 2025 reform, loaded once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from maps.geotag import Geotagger
from service.cases.models import DuplicateFlag
from service.demo import DEMO_USERS, load_demo
from service.demo_incidents import DEMO_LABEL, demo_incidents
from service.incidents.models import Incident

REFORM = datetime(2025, 6, 30, 17, 0, tzinfo=UTC)  # 1 July 2025, 00:00 in Vietnam


@pytest.fixture(scope="module")
def tagger() -> Geotagger:
    """One geotagger for the module (building it reads the boundary files)."""
    return Geotagger.from_bundled()


def test_demo_incidents_are_deterministic_and_modest():
    first, again, other = demo_incidents(), demo_incidents(), demo_incidents(seed=7)
    assert msgspec.json.encode(first) == msgspec.json.encode(again)
    assert msgspec.json.encode(first) != msgspec.json.encode(other)
    assert 60 <= len(first) <= 90
    latest = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
    assert all(data.occurred_at.utcoffset() is not None and data.occurred_at <= latest for _, data in first)


async def test_loading_twice_creates_the_incidents_once(db: AsyncSession, tagger: Geotagger):
    first = await load_demo(db, tagger)
    await db.commit()
    second = await load_demo(db, tagger)
    await db.commit()
    stored = await db.scalar(select(func.count()).select_from(Incident))
    assert sorted(first.users) == sorted(u[0] for u in DEMO_USERS) and second.users == []
    assert first.incidents == len(demo_incidents()) == stored and second.incidents == 0


async def test_demo_incidents_span_the_reform_with_both_generations(db: AsyncSession, tagger: Geotagger):
    await load_demo(db, tagger)
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


async def test_demo_incidents_are_varied_and_labelled(db: AsyncSession, tagger: Geotagger):
    await load_demo(db, tagger)
    await db.commit()
    incidents = list(await db.scalars(select(Incident)))
    assert len({i.kind for i in incidents}) >= 4
    assert any(i.crime_signs for i in incidents)
    assert all(i.payload["summary"].endswith(DEMO_LABEL) for i in incidents)
    mediation = next(i for i in incidents if i.kind == "mediation_outcome")
    settled = await db.get(Incident, uuid.UUID(mediation.payload["settles_incident_id"]))
    assert settled is not None and settled.kind == "dispute"


async def test_the_demo_gives_the_coordinator_one_likely_duplicate_to_link(db: AsyncSession, tagger: Geotagger):
    await load_demo(db, tagger)
    await db.commit()
    flags = list(await db.scalars(select(DuplicateFlag)))
    assert len(flags) == 1 and flags[0].status == "open"
    assert {"same_reference", "same_goods", "nearby_place"} <= set(flags[0].reasons)
    pair = [await db.get(Incident, flags[0].incident_a_id), await db.get(Incident, flags[0].incident_b_id)]
    assert sorted(i.payload["record_number"] for i in pair if i) == ["03/BB-ĐQLTTCĐ", "07/BB-PC03"]
