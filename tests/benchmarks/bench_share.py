"""Benchmark of issue 18's data services: what each shared dataset costs a partner's call, against a plain page of
incidents, and what recording the call and counting it against the rate limit adds.

Run: ``.venv/bin/python tests/benchmarks/bench_share.py [--rows 100000] [--repeats 5] [--smoke]``.
Not collected by pytest. A throwaway database (harness.throwaway_database) gets ``--rows`` incidents by COPY
(bench_incidents.bulk_insert: the demo incidents as templates, 2021 to now) and a thousand referrals between
agencies. Then, in this process, each dataset answers one page (``$top=100``, ``$count=true``) the way
data_routes does it (repository/datasets.table_of, repository/odata.statements, execute, commit), median of
``--repeats``; the baseline is the same page of ``incidents``. An aggregated dataset is timed computed (after a
write to an incident: the data version grew, so its kept figures and the maps' answers are computed again) and
kept (the next pages of a partner paging through it). Then what telling a change costs: the maps' data version
(a sum over a few rows of map_data_changes), against the scan of incidents and sanction decisions the share used
before it. Last, the per-call overhead: the rate-limit upsert and the access row (each in its own transaction),
against the baseline page.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import aims
import asyncpg
from bench_incidents import prepare
from harness import load_average, plain_dsn, run_main, throwaway_database
from incident_rows import bulk_insert
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from service.clock import now
from service.db import async_url
from service.share import access, service
from service.share.access import Call, recorded
from service.share.catalogue import DATASETS, table_of
from service.share.repository.odata import Options, statements

AIM_AGGREGATE_S = 3.0  # the slowest aggregated dataset, its first page (computed), at 100,000 incidents
AIM_OVERHEAD_MS = 15.0  # rate-limit count and access row together, per call
TOUCH = "UPDATE incidents SET version = version WHERE id = (SELECT id FROM incidents ORDER BY id LIMIT 1)"
DATA_VERSION = "SELECT COALESCE(SUM(weight), 0) FROM map_data_changes"  # as map_views' repository.data_version
# The check before it (share/repository/figures.figures_fingerprint): counts and latest changes, scanning tables.
FORMER_FINGERPRINT = (
    "SELECT (SELECT count(*) FROM incidents), (SELECT max(updated_at) FROM incidents), "
    "(SELECT count(*) FROM sanction_decisions), (SELECT max(updated_at) FROM sanction_decisions)"
)


async def median_seconds(work: Callable[[], Awaitable[object]], repeats: int) -> float:
    await work()  # warm: plans, the geodata caches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def add_referrals(dsn: str, n: int) -> None:
    """n referrals between the agencies, on incidents already stored, half of them closed."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            """
            INSERT INTO referrals (id, incident_id, from_agency_id, to_agency_id, type, status, version, message,
                attachment_ids, sent_at, closed_at, due_on, sent_by_id, paused_days, created_at, updated_at)
            SELECT gen_random_uuid(), i.id, i.agency_id, (SELECT id FROM agencies WHERE code = 'CA'),
                'PHOI_HOP_XAC_MINH', CASE WHEN n % 2 = 0 THEN 'closed' ELSE 'acknowledged' END, 1, '', '{}',
                i.occurred_at, CASE WHEN n % 2 = 0 THEN i.occurred_at + interval '9 days' END,
                (i.occurred_at + interval '15 days')::date, i.recorded_by_id, 0, now(), now()
            FROM (SELECT *, row_number() OVER () AS n FROM incidents LIMIT $1) i
            """,
            n,
        )
    finally:
        await connection.close()


async def touch_an_incident(sessions: async_sessionmaker[AsyncSession]) -> None:
    """A write to incidents that changes nothing a figure shows (the data version grows all the same)."""
    async with sessions() as session, session.begin():
        await session.execute(text(TOUCH))


async def compare_change_checks(sessions: async_sessionmaker[AsyncSession], repeats: int) -> None:
    """What telling whether the figures changed costs: the data version, against the scan used before it."""

    async def check(statement: str) -> None:
        async with sessions() as session:
            await session.execute(text(statement))

    version = await median_seconds(lambda: check(DATA_VERSION), repeats)
    scan = await median_seconds(lambda: check(FORMER_FINGERPRINT), repeats)
    print(f"change check: data version {version * 1000:.2f} ms; the former scan of incidents and sanctions "
          f"{scan * 1000:.1f} ms ({scan / version:.0f}x)")  # fmt: skip
    aims.figure("aggregates' change check (data version)", f"{version * 1000:.2f} ms")
    aims.figure("the former change check (counts, latest updated_at)", f"{scan * 1000:.1f} ms ({scan / version:.0f}x)")


async def measure(database_url: str, args: argparse.Namespace) -> None:
    engine = create_async_engine(async_url(database_url), pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    options = Options(top=100, count=True)

    async def page(name: str) -> None:
        async with sessions() as session, session.begin():  # committed, as the route's answer is
            dataset = DATASETS[name]
            statement, counter, _ = statements(dataset, options, await table_of(session, dataset))
            (await session.execute(statement)).all()
            assert counter is not None
            await session.execute(counter)

    try:
        async with sessions() as session, session.begin():
            partner, _ = await service.register(
                session, name="bench", body="bench", contact="bench", legal_basis="bench",
                datasets=list(DATASETS), expires_on=(now() + timedelta(days=1)).date(), rate_limit=1_000_000,
            )  # fmt: skip
        baseline = await median_seconds(lambda: page("incidents"), args.repeats)
        print(f"incidents, one page of 100 with $count (baseline): {baseline * 1000:.1f} ms")
        aims.figure("incidents page (baseline)", f"{baseline * 1000:.1f} ms")
        slowest = 0.0

        async def computed(name: str) -> None:
            await touch_an_incident(sessions)  # a change: every kept figure is computed again
            await page(name)

        for name in [n for n in DATASETS if n != "incidents"]:
            took = await median_seconds(lambda n=name: computed(n), args.repeats)  # type: ignore[misc]
            kept = await median_seconds(lambda n=name: page(n), args.repeats)  # type: ignore[misc]
            slowest = max(slowest, took) if DATASETS[name].source is not None else slowest
            print(f"{name:<24} {took * 1000:8.1f} ms  ({took / baseline:.1f}x the baseline); "
                  f"next pages {kept * 1000:.1f} ms ({kept / baseline:.1f}x)")  # fmt: skip
            aims.figure(f"{name} page", f"{took * 1000:.1f} ms ({took / baseline:.1f}x)")
            aims.figure(f"{name} next pages", f"{kept * 1000:.1f} ms ({kept / baseline:.1f}x)")
        await compare_change_checks(sessions, args.repeats * 4)
        verdict = aims.aim(
            "slowest aggregated dataset page", f"{slowest:.2f} s", f"< {AIM_AGGREGATE_S} s", slowest < AIM_AGGREGATE_S
        )
        print(f"slowest aggregated dataset: {slowest:.2f} s (aim < {AIM_AGGREGATE_S} s: {verdict})")

        async def overhead() -> None:
            call = Call(path="/bench", query={"$top": "100"}, partner_id=partner.id)
            async with sessions() as session, recorded(session, call):
                await access.check_rate(session, partner, 60)

        cost = await median_seconds(overhead, args.repeats * 4)
        verdict = aims.aim(
            "rate limit + access row per call", f"{cost * 1000:.1f} ms", f"< {AIM_OVERHEAD_MS} ms",
            cost * 1000 < AIM_OVERHEAD_MS,
        )  # fmt: skip
        print(f"rate-limit count + access row per call: {cost * 1000:.1f} ms "
              f"({cost / baseline:.2f}x the baseline page; aim < {AIM_OVERHEAD_MS} ms: {verdict})")  # fmt: skip
    finally:
        await engine.dispose()


def bench(args: argparse.Namespace) -> None:
    with throwaway_database() as (database_url, _):
        made = asyncio.run(prepare(database_url))
        print(f"load average {load_average()}")
        asyncio.run(bulk_insert(plain_dsn(database_url), args.rows, made))
        asyncio.run(add_referrals(plain_dsn(database_url), args.referrals))
        asyncio.run(measure(database_url, args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="incidents bulk-inserted first")
    parser.add_argument("--referrals", type=int, default=1_000, help="referrals between agencies")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls of each dataset (after a warm one)")
    args = aims.parse(parser)
    if args.smoke:
        args.rows, args.referrals, args.repeats = 300, 30, 1
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
