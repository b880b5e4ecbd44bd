"""Benchmark of issue 22: audit rows add at most 10 % to an incident detail read.

Run: ``.venv/bin/python tests/benchmarks/bench_audit.py [--incidents 200] [--reads 600] [--rounds 5] [--smoke]``.
Not collected by pytest. A throwaway database (harness.throwaway_database) gets ``--incidents`` seizures with a
violator (recorded through the service). Then, in this process, over HTTP into the real app (Litestar's test client:
middleware, bearer-token authentication, the request's transaction and its commit), a coordinator reads incidents
one after another with GET /api/incidents/{id}:

1. the baseline: the personal-data audit row switched off (``disclosures.record_shown`` replaced by a no-op);
2. audited: every read's row goes into the hash chain (advisory lock, last hash, insert), batched or in-request.

The two alternate read by read (``--rounds`` × ``--reads`` pairs, the side going first alternating too), so that
the machine's drift (other processes on a shared machine) hits both; the figures are the medians of each side.
Aim: audited / baseline ≤ 1.10. The app runs as configured by default: reads are appended by its read buffer
(AUDIT_READ_FLUSH_MS=200, service/audit/buffer.py); ``--in-request`` measures AUDIT_READ_FLUSH_MS=0 instead.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import aims
import msgspec
from harness import create_users, load_average, run_main, throwaway_database
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from maps.geotag import Geotagger
from schemas.incidents import IncidentIn
from service.app import create_app
from service.audit.models import AuditEvent
from service.auth.middleware import principal_of
from service.auth.repository import get_user_by_username
from service.db import async_url
from service.incidents import disclosures, service
from service.settings import Settings
from tests.incident_bodies import body

AIM = 1.10
USERS = {"bench.qltt": ("QLTT", "inspector"), "bench.coord": ("SKHCN", "coordinator")}


async def record_incidents(database_url: str, count: int) -> list[str]:
    """`count` seizures with a violator, recorded by an inspector through the service; their ids."""
    engine = create_async_engine(async_url(database_url), pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    tagger = Geotagger.from_bundled()
    ids = []
    try:
        async with sessions() as session:
            user = await get_user_by_username(session, "bench.qltt")
            assert user is not None
            principal = principal_of(user, "token")
        for _ in range(count):
            async with sessions() as session, session.begin():
                data = msgspec.convert(body("seizure"), IncidentIn)
                ids.append(str((await service.record_incident(session, principal, tagger, data, None)).incident.id))
    finally:
        await engine.dispose()
    return ids


async def _no_row(*_: Any, **__: Any) -> None:
    return None


async def timed_read(client: AsyncTestClient[Any], incident_id: str) -> float:
    """Seconds of one detail read."""
    started = time.perf_counter()
    response = await client.get(f"/api/incidents/{incident_id}")
    took = time.perf_counter() - started
    assert response.status_code == 200, response.text
    return took


async def measure(settings: Settings, token: str, ids: list[str], args: argparse.Namespace) -> None:
    real = disclosures.record_shown
    sides: dict[str, list[float]] = {"baseline": [], "audited": []}
    async with AsyncTestClient(app=create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        for i in range(min(50, args.reads)):  # warm-up: pools, caches, the login cache
            await timed_read(client, ids[i % len(ids)])
        try:
            for i in range(args.rounds * args.reads):
                # Alternate read by read (which side goes first alternates too): the machine's drift hits both.
                order = ("baseline", "audited") if i % 2 == 0 else ("audited", "baseline")
                for side in order:
                    disclosures.record_shown = _no_row if side == "baseline" else real  # type: ignore[assignment]
                    sides[side].append(await timed_read(client, ids[i % len(ids)]))
        finally:
            disclosures.record_shown = real  # type: ignore[assignment]
    base, audited = (statistics.median(sides[s]) * 1000 for s in ("baseline", "audited"))
    ratio = audited / base
    print(f"incident detail read without the audit row (baseline): {base:.2f} ms (median of {len(sides['baseline'])})")
    print(f"incident detail read with the audit row:               {audited:.2f} ms ({ratio:.3f}x the baseline)")
    aims.figure("incident detail read without audit row (baseline)", f"{base:.2f} ms")
    mode = "in the request" if settings.audit_read_flush_ms == 0 else "batched"
    name = f"audit row's cost on an incident detail read ({mode})"
    met = aims.aim(name, f"{ratio:.3f}x", f"≤ {AIM:.2f}x", ratio <= AIM)
    print(f"aim ≤ {AIM:.2f}x: {met}")


async def count_rows(database_url: str) -> int:
    engine = create_async_engine(async_url(database_url), pool_size=1)
    try:
        async with engine.connect() as connection:
            stmt = select(func.count()).select_from(AuditEvent).where(AuditEvent.event == disclosures.READ)
            return int(await connection.scalar(stmt) or 0)
    finally:
        await engine.dispose()


def bench(args: argparse.Namespace) -> None:
    with throwaway_database() as (database_url, tmp):
        made = asyncio.run(create_users(database_url, USERS))
        ids = asyncio.run(record_incidents(database_url, args.incidents))
        print(f"load average {load_average()}; {len(ids)} incidents")
        env = {"DATABASE_URL": database_url, "SECRET_KEY": "b" * 48, "IPCOORD_DATA_DIR": str(tmp / "data")}
        flush = "0" if args.in_request else "200"
        settings = Settings.from_env(env | {"LOG_LEVEL": "WARNING", "AUDIT_READ_FLUSH_MS": flush})
        print(f"AUDIT_READ_FLUSH_MS={flush}")
        asyncio.run(measure(settings, made["bench.coord"].token, ids, args))
        rows = asyncio.run(count_rows(database_url))
        print(f"personal-data audit rows written: {rows:,}")
        assert rows >= args.rounds * args.reads, "the audited side wrote no rows: the bench measured nothing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--incidents", type=int, default=200, help="incidents recorded first")
    parser.add_argument("--reads", type=int, default=600, help="detail reads per side and round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --reads pairs of reads")
    parser.add_argument("--in-request", action="store_true", help="AUDIT_READ_FLUSH_MS=0: rows in the request")
    args = aims.parse(parser)
    if args.smoke:
        args.incidents, args.reads, args.rounds = 3, 5, 1
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
