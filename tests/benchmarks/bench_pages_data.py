"""The data bench_pages.py loads: the demo year through the services, synthetic incidents, a few referrals.

A modest, realistic set: ``service.demo.load_demo`` (the demo users and their year of incidents, recorded
through ``record_incident`` with full payloads), ``--incidents`` more from ``bench_maps_data`` by COPY (so
lists page and the maps have a few hundred points), and referrals sent through ``service.referrals.service``:
QLTT's largest seizures to the police (CA), one of them acknowledged and started by CA, so the referral page
has a timeline. Not a bench itself (no ``main``).
"""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass

import asyncpg
import bench_maps_data as synthetic
from harness import PASSWORD, plain_dsn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.referrals import AcknowledgeIn, ReferralIn, StartIn
from service.auth import repository as users
from service.auth.middleware import principal_of
from service.auth.principal import Principal
from service.auth.service import create_user
from service.db import alchemy_config
from service.demo import DEMO_PASSWORD, load_demo
from service.incidents.models import Incident
from service.referrals import service as referrals

INSPECTOR = "demo.qltt"  # inspector of QLTT: records incidents (the demo's own user)
COORDINATOR = "demo.coordinator"  # coordinator of SKHCN: dashboard and maps
AGENCY_STAFF = "bench.ca"  # agency_staff of CA, the police: receives the criminal referrals
# agency of bench_maps_data's synthetic incidents -> the demo user recorded as their author
RECORDERS = {"QLTT": INSPECTOR, "HQ": "demo.hq", "SVHTTDL": "demo.svhttdl", "CA": "demo.ca"}
POLICE_REFERRALS = 6
CRIMINAL = "CHUYEN_HO_SO_HINH_SU"


@dataclass(frozen=True)
class Seeded:
    """What was stored, and the usernames and passwords the bench logs in with."""

    demo_incidents: int
    synthetic_incidents: int
    referrals: int
    referral_id: uuid.UUID  # the acknowledged and started one: the richest referral page
    passwords: dict[str, str]


async def _principal(session: AsyncSession, username: str) -> Principal:
    user = await users.get_user_by_username(session, username)
    if user is None:
        raise SystemExit(f"bench user {username} is missing")
    return principal_of(user, "session")


async def _refer_to_police(session: AsyncSession) -> tuple[int, uuid.UUID]:
    """QLTT's largest seizures referred to CA; the first acknowledged then started by CA's staff."""
    sender = await _principal(session, INSPECTOR)
    stmt = (
        select(Incident.id)
        .where(Incident.agency_id == sender.agency_id, Incident.kind == "seizure")
        .order_by(Incident.goods_value_vnd.desc().nulls_last(), Incident.id)
        .limit(POLICE_REFERRALS)
    )
    sent = []
    for incident_id in await session.scalars(stmt):
        message = "Chuyển hồ sơ vụ việc có dấu hiệu tội phạm (bench)"
        data = ReferralIn(incident_id=incident_id, to_agency="CA", type=CRIMINAL, message=message)
        sent.append(await referrals.refer(session, sender, data))
    if not sent:
        raise SystemExit("no QLTT seizure to refer: the demo data changed")
    receiver = await _principal(session, AGENCY_STAFF)
    first = sent[0]
    acknowledged = await referrals.act(session, receiver, first.id, AcknowledgeIn(note="Đã tiếp nhận hồ sơ"))
    await referrals.act(session, receiver, first.id, StartIn(version=acknowledged.version, note="Đang xác minh"))
    return len(sent), first.id


Recorders = dict[str, tuple[uuid.UUID, uuid.UUID]]  # agency code -> (agency id, user id)


async def _services(database_url: str) -> tuple[int, int, uuid.UUID, Recorders]:
    """Demo users and incidents, CA's staff member and the referrals, in one committed transaction."""
    config = alchemy_config(database_url, 2)
    try:
        async with config.get_session() as session:
            loaded = await load_demo(session)
            await create_user(session, username=AGENCY_STAFF, password=PASSWORD, agency_code="CA", role="agency_staff")
            await session.flush()
            sent, referral_id = await _refer_to_police(session)
            recorders: Recorders = {}
            for agency, username in RECORDERS.items():
                principal = await _principal(session, username)
                recorders[agency] = (principal.agency_id, principal.user_id)
            await session.commit()
    finally:
        await config.get_engine().dispose()
    return loaded.incidents, sent, referral_id, recorders


async def _copy(dsn: str, n: int, recorders: Recorders) -> int:
    """n synthetic incidents by COPY (bench_maps_data), then ANALYZE; the total stored."""
    connection = await asyncpg.connect(dsn)
    try:
        rows = synthetic.copy_records(synthetic.incident_frame(n), recorders)
        while batch := list(itertools.islice(rows, 5_000)):
            await connection.copy_records_to_table("incidents", records=batch, columns=synthetic.COPY_COLUMNS)
        await connection.execute("ANALYZE")
        return int(await connection.fetchval("SELECT count(*) FROM incidents"))
    finally:
        await connection.close()


async def seed(database_url: str, n_synthetic: int) -> Seeded:
    """Store the data set; print one line saying what and how long."""
    started = time.perf_counter()
    demo, sent, referral_id, recorders = await _services(database_url)
    total = await _copy(plain_dsn(database_url), n_synthetic, recorders)
    passwords = {INSPECTOR: DEMO_PASSWORD, COORDINATOR: DEMO_PASSWORD, AGENCY_STAFF: PASSWORD}
    print(
        f"  data: {demo} demo incidents through record_incident + {n_synthetic} synthetic by COPY = {total} "
        f"incidents; {sent} referrals QLTT -> CA through refer (one acknowledged and started); "
        f"{time.perf_counter() - started:.1f} s"
    )
    return Seeded(demo, n_synthetic, sent, referral_id, passwords)
