"""Benchmark of issue 8 item 4: what likely-duplicate flagging adds to recording an incident, and the re-scan.

Run: ``.venv/bin/python tests/benchmarks/bench_cases.py [--rows 100000] [--records 300] [--scan 10000] [--smoke]``.
Not collected by pytest. A throwaway database (harness.throwaway_database) gets ``--rows`` incidents by COPY
(bench_incidents.bulk_insert: the demo incidents as templates, 2021 to now, so violators and marks repeat a lot:
a hard case for the matcher). Then, in this process, through the service (record_incident, one transaction
each, as the API does):

1. the baseline: ``--records`` seizures recorded with flagging switched off (no reference rows, no candidates);
2. the same number recorded with flagging on (references stored, candidates fetched and compared, flags upserted);
3. ``ipcoord scan-duplicates`` (service.cases.scan) over the first ``--scan`` incidents.

Each seizure is a random GPS point inside the province on a random day of the bulk period. Prints ms per
incident of both, their ratio, the flags raised and the scan's incidents per second.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import aims
import msgspec
from bench_geotag_core import inside_points
from bench_incidents import prepare
from harness import load_average, plain_dsn, run_main, throwaway_database
from incident_rows import bulk_insert
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from maps.geotag import Geotagger
from schemas.incidents import IncidentIn
from service.auth import repository as users
from service.auth.middleware import principal_of
from service.cases import flagging, scan
from service.cases.models import DuplicateFlag
from service.db import async_url
from service.incidents import service
from service.incidents.service import AfterChange
from tests.incident_bodies import body


def bodies(n: int, seed: int) -> list[IncidentIn]:
    """n seizures at random points on random days from 2021 to now."""
    rng = random.Random(seed)
    start, span = datetime(2021, 1, 1, tzinfo=UTC), (datetime.now(UTC) - datetime(2021, 1, 2, tzinfo=UTC))
    made = []
    for lon, lat in inside_points(n):
        when = start + timedelta(seconds=rng.uniform(0, span.total_seconds()))
        fields = body("seizure", location={"lon": lon, "lat": lat}, occurred_at=when.isoformat(), detected_at=None)
        made.append(msgspec.convert(fields, IncidentIn))
    return made


async def record_all(
    sessions: async_sessionmaker[AsyncSession],
    tagger: Geotagger,
    data: list[IncidentIn],
    username: str,
    after: AfterChange,
) -> float:
    """Seconds to record these incidents one transaction each."""
    async with sessions() as session:
        user = await users.get_user_by_username(session, username)
        assert user is not None
        principal = principal_of(user, "token")
    started = time.perf_counter()
    for item in data:
        async with sessions() as session, session.begin():
            await service.record_incident(session, principal, tagger, item, None, after)
    return time.perf_counter() - started


async def _no_flags(session: AsyncSession, incident: Any, *, created: bool = False) -> list[Any]:
    return []


async def measure(database_url: str, args: argparse.Namespace) -> None:
    engine = create_async_engine(async_url(database_url), pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    tagger = Geotagger.from_bundled()
    try:
        baseline = await record_all(sessions, tagger, bodies(args.records, 1), "bench.qltt", _no_flags)
        flagged = await record_all(sessions, tagger, bodies(args.records, 2), "bench.qltt", flagging.refresh)
        async with sessions() as session:
            raised = await session.scalar(select(func.count()).select_from(DuplicateFlag))
        per_base, per_flag = baseline / args.records * 1000, flagged / args.records * 1000
        print(f"record_incident without flagging (baseline): {per_base:.1f} ms per incident")
        print(f"record_incident with flagging:               {per_flag:.1f} ms per incident "
              f"({per_flag / per_base:.2f}x the baseline); flags raised: {raised}")  # fmt: skip
        aims.figure("record_incident without flagging (baseline)", f"{per_base:.1f} ms")
        aims.figure("record_incident with flagging", f"{per_flag:.1f} ms ({per_flag / per_base:.2f}x)")
        started = time.perf_counter()
        seen, open_flags = await scan.scan(sessions, limit=args.scan)
        took = time.perf_counter() - started
        print(f"scan-duplicates over {seen:,} incidents: {took:.1f} s ({seen / took:,.0f} incidents/s); "
              f"open flags now {open_flags:,}")  # fmt: skip
        aims.figure("scan-duplicates, incidents/s", f"{seen / took:,.0f}")
    finally:
        await engine.dispose()


def bench(args: argparse.Namespace) -> None:
    with throwaway_database() as (database_url, _):
        made = asyncio.run(prepare(database_url))
        print(f"load average {load_average()}")
        asyncio.run(bulk_insert(plain_dsn(database_url), args.rows, made))
        asyncio.run(measure(database_url, args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="incidents bulk-inserted first")
    parser.add_argument("--records", type=int, default=300, help="incidents recorded in each of the two runs")
    parser.add_argument("--scan", type=int, default=10_000, help="incidents the re-scan goes over")
    args = aims.parse(parser)
    if args.smoke:
        args.rows, args.records, args.scan = 300, 3, 100
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
