"""A year of realistic demo incidents for Lai Châu up to the day the demo is loaded, across the 1 July 2025 reform.

The twelve months before that day, plus a block of incidents before 1/7/2025 however late the demo is loaded, so
both generations of units show: before the reform places are picked as 2024 communes or given by GPS; from that
day, GPS points inside the 2025 units or picks of 2025 units. A few incidents fall in the current month, and a
cluster of seizures in neighbouring units gives the hotspot map something significant. Names of people are
fictional and abbreviated; every summary ends with DEMO_LABEL. Development only.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from maps.geotag import Geotagger
from schemas.incidents import IncidentIn, MediationOutcomeIn
from service.auth import repository
from service.auth.principal import Principal, principal_of
from service.cases import flagging
from service.demo import kinds
from service.demo.catalogue import ADVERTS, CLUSTER_UNITS, COPYRIGHTS, MARKET_UNITS, TOWN_UNITS, Body
from service.demo.kinds import VN_TZ, Draft, Window
from service.demo.places import REFORM_DAY, Atlas, build_atlas, bundled_atlas
from service.demo.repository import demo_loaded
from service.incidents.models import Incident
from service.incidents.service import record_incident

_REF_NAMESPACE = uuid.UUID("5b0c3f4e-2a47-4d0e-9a51-6c1d2e8f7a90")
PRE_REFORM = Window(REFORM_DAY - timedelta(days=176), REFORM_DAY - timedelta(days=3))  # January to June 2025
CLOCKED_FIELDS = ("detected_at", "captured_at")


def demo_ref(index: int) -> uuid.UUID:
    """The stand-in id of the index-th demo incident (the loader replaces it with the stored id)."""
    return uuid.uuid5(_REF_NAMESPACE, f"demo-{index}")


def last_moment(today: date, now: datetime) -> datetime:
    """The latest moment an incident of a demo loaded on `today` may have: the end of that day, or now if sooner."""
    return min(datetime.combine(today, time(23, 59), tzinfo=VN_TZ), now)


def this_month(rng: random.Random, n: int, until: datetime) -> list[datetime]:
    """n moments of the month of `until` (Lai Châu time), none after it: the dashboard's month is never empty."""
    local = until.astimezone(VN_TZ)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    span = max(1, min(int((local - month_start).total_seconds() // 60), 10 * 24 * 60))
    return sorted(local - timedelta(minutes=rng.randrange(0, span)) for _ in range(n))


def _seizure_plan(rng: random.Random, w: Window, until: datetime) -> list[tuple[datetime, dict[str, int]]]:
    """When and where (unit weights) market surveillance seizes: the year, the block before the reform, the
    cluster of neighbouring units, and this month."""
    plan = [(when, MARKET_UNITS) for when in kinds.days(rng, 34, w.start, w.end, seasonal=True)]
    plan += [(when, MARKET_UNITS) for when in kinds.days(rng, 14, PRE_REFORM.start, PRE_REFORM.end, seasonal=True)]
    plan += [(when, CLUSTER_UNITS) for when in kinds.days(rng, 50, w.back(330), w.end)]
    return plan + [(when, TOWN_UNITS) for when in this_month(rng, 4, until)]


def _drafts(atlas: Atlas, rng: random.Random, today: date, until: datetime) -> list[Draft]:
    w = Window(today - timedelta(days=365), today - timedelta(days=1))
    makers: list[Callable[[], list[Draft]]] = [
        lambda: kinds.qltt_seizures(atlas, rng, _seizure_plan(rng, w, until)),
        lambda: kinds.large_seizures(atlas, rng, w),
        lambda: kinds.customs(atlas, rng, 8, w),
        lambda: kinds.customs(atlas, rng, 3, PRE_REFORM),
        lambda: kinds.online(atlas, rng, w),
        lambda: kinds.culture(atlas, rng, ADVERTS, "advertising_violation", w),
        lambda: kinds.culture(atlas, rng, COPYRIGHTS, "copyright_infringement", w),
        lambda: kinds.plant_varieties(atlas, rng, w),
        lambda: kinds.disputes(atlas, rng, w),
    ]
    drafts = [draft for make in makers for draft in make()]
    drafts.append(kinds.mediation(atlas, rng, next(d for d in drafts if d.ref == "dispute-0")))
    for draft in drafts:
        for field in CLOCKED_FIELDS:
            if draft.body.get(field) is not None:
                draft.body[field] = min(draft.body[field], until)
    return sorted(drafts, key=lambda d: d.occurred_at)


def demo_incidents(
    today: date, until: datetime | None = None, seed: int = 2025, *, atlas: Atlas | None = None
) -> list[tuple[str, IncidentIn]]:
    """The demo incidents of a demo loaded on `today`, in order of occurrence: (recording demo user, input).

    None occurs after `until` (default: the end of `today`). Deterministic for a day, a moment and a seed. A
    mediation outcome's settles_incident_id is `demo_ref(i)` of the dispute it settles, i being that dispute's
    position in the list.
    """
    until = until or datetime.combine(today, time(23, 59), tzinfo=VN_TZ)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    drafts = _drafts(atlas or bundled_atlas(), rng, today, until)
    positions = {d.ref: i for i, d in enumerate(drafts) if d.ref}
    for draft in drafts:
        if draft.settles:
            draft.body["settles_incident_id"] = str(demo_ref(positions[draft.settles]))
    return [(d.username, msgspec.convert(_without_nulls(d.body), IncidentIn)) for d in drafts]


def _without_nulls(body: Body) -> Body:
    return {k: v for k, v in body.items() if v is not None}


async def demo_principal(session: AsyncSession, username: str) -> Principal:
    """The principal of a demo user, as if logged in."""
    user = await repository.get_user_by_username(session, username)
    if user is None:
        raise LookupError(f"demo user {username} is missing: create the demo users first")
    return principal_of(user, "session")


@dataclass(frozen=True)
class Stored:
    """A demo incident as recorded, and who recorded it."""

    username: str
    incident: Incident


async def load_demo_incidents(session: AsyncSession, tagger: Geotagger, today: date, until: datetime) -> list[Stored]:
    """Record the demo incidents through the service, once; returns those created (none if already present)."""
    if await demo_loaded(session):
        return []
    principals: dict[str, Principal] = {}
    stored: dict[uuid.UUID, uuid.UUID] = {}
    created = []
    for i, (username, data) in enumerate(demo_incidents(today, until, atlas=build_atlas(tagger))):
        if username not in principals:
            principals[username] = await demo_principal(session, username)
        if isinstance(data, MediationOutcomeIn):
            data = msgspec.structs.replace(data, settles_incident_id=stored[data.settles_incident_id])
        recorded = await record_incident(session, principals[username], tagger, data, f"demo-{i}", flagging.refresh)
        stored[demo_ref(i)] = recorded.incident.id
        if not recorded.replayed:
            created.append(Stored(username, recorded.incident))
    await session.flush()
    return created
