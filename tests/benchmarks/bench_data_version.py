"""Benchmark of what the maps' data version costs a write: POST /api/incidents with and without its trigger.

Run: ``.venv/bin/python tests/benchmarks/bench_data_version.py [--requests 50] [--rounds 12] [--concurrency 1]
[--smoke]``.
Not collected by pytest. A throwaway database (harness.throwaway_database) and the real service (one uvicorn
worker). Every statement writing incidents fires ``incidents_map_data_version``, which inserts a row into
``map_data_changes`` (service/map_views/models.py): the data version the map cache and the share's aggregates
are keyed on; a POST writes incidents in one statement. ``--rounds`` times, ``--requests`` of the same POST
/api/incidents (bench_incidents.seizure_bodies: a seizure with 3 goods lines and a GPS point, a Bearer token, an
Idempotency-Key) are sent with the trigger enabled, then disabled (``ALTER TABLE incidents DISABLE TRIGGER``,
between runs); short alternating runs put a shared machine's drift on both sides. The aim (issue 17): the median
POST with the trigger at most 1.10x the median without. Beside it, the trigger's own time as EXPLAIN ANALYZE
reports it for one incident insert (median of ``--inserts``, rolled back). The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import uuid
from collections.abc import Awaitable

import aims
import asyncpg
import httpx
from bench_incidents import RUN_TIMEOUT_S, prepare, seizure_bodies
from harness import ROOT, BenchUser, Server, load_average, plain_dsn, run_main, server_env, serving, throwaway_database
from incident_rows import COLUMNS as INCIDENT_COLUMNS
from incident_rows import incident_rows
from load_runs import Send, check_warm_up, client_for, is_2xx, load

AIM_RATIO = 1.10  # a POST with the trigger at most 10 % slower than without
TRIGGER = "incidents_map_data_version"
_INSERT = (
    f"INSERT INTO incidents ({', '.join(INCIDENT_COLUMNS)}) "  # noqa: S608 - constant column names
    f"VALUES ({', '.join(f'${n}' for n in range(1, len(INCIDENT_COLUMNS) + 1))})"
)


def poster(bodies: list[bytes]) -> Send:
    """POST /api/incidents of bodies in turn, each with its own Idempotency-Key."""

    def send(client: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
        headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        return client.post("/api/incidents", content=bodies[i % len(bodies)], headers=headers)

    return send


async def set_trigger(dsn: str, enabled: bool) -> None:
    """Enable or disable the data-version trigger of incidents (between runs: it locks the table briefly)."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f"ALTER TABLE incidents {'ENABLE' if enabled else 'DISABLE'} TRIGGER {TRIGGER}")
    finally:
        await connection.close()


async def compare_posts(app: Server, dsn: str, token: str, args: argparse.Namespace) -> dict[bool, list[float]]:
    """Short runs of POST /api/incidents with the trigger, then without, ``--rounds`` times (drift on a shared
    machine falls on both sides alike); every latency of each side, in seconds."""
    bodies = seizure_bodies(min(300, args.requests * args.rounds))
    latencies: dict[bool, list[float]] = {True: [], False: []}
    async with client_for(app.base, args.concurrency, token) as client:
        send = poster(bodies)
        check_warm_up(await load(client, "warm-up", send, args.warm, args.concurrency, app.pid,
                                 limit_s=RUN_TIMEOUT_S, accept=is_2xx))  # fmt: skip
        for _ in range(args.rounds):
            for enabled in (True, False):
                await set_trigger(dsn, enabled)
                run = await load(client, "trigger" if enabled else "no trigger", send, args.requests,
                                 args.concurrency, app.pid, limit_s=RUN_TIMEOUT_S, accept=is_2xx)  # fmt: skip
                if run.failures:
                    raise SystemExit(f"POST /api/incidents failed: {dict(run.failures)}")
                latencies[enabled] += run.latencies
    await set_trigger(dsn, True)
    return latencies


async def trigger_time(dsn: str, users: dict[str, BenchUser], n: int) -> tuple[float, float]:
    """(the trigger's own time, the whole insert's execution time) per insert of one incident, in ms, as
    EXPLAIN ANALYZE reports them (median of n inserts, rolled back)."""
    rows = list(incident_rows(n, 7, users))
    connection = await asyncpg.connect(dsn)
    own, whole = [], []
    try:
        statement = await connection.prepare(f"EXPLAIN (ANALYZE, FORMAT JSON) {_INSERT}")
        transaction = connection.transaction()
        await transaction.start()
        for row in rows:
            [plan] = json.loads(await statement.fetchval(*row))
            whole.append(plan["Execution Time"])
            own.append(sum(t["Time"] for t in plan.get("Triggers", []) if t["Trigger Name"] == TRIGGER))
        await transaction.rollback()
    finally:
        await connection.close()
    return statistics.median(own), statistics.median(whole)


def bench(args: argparse.Namespace) -> None:
    with throwaway_database() as (database_url, tmp):
        users = asyncio.run(prepare(database_url))
        dsn = plain_dsn(database_url)
        with serving(server_env(database_url, tmp), tmp / "app.log", name="incident", app_dir=ROOT) as app:
            print(f"server: uvicorn --workers 1, client httpx, {args.concurrency} task(s), {args.rounds} rounds of "
                  f"{args.requests} POSTs each side\n  NOTE: client, server and PostgreSQL share this machine "
                  f"({os.cpu_count()} cores); load average {load_average()}")  # fmt: skip
            latencies = asyncio.run(compare_posts(app, dsn, users["qltt"].token, args))
        on, off = (statistics.median(latencies[side]) * 1000 for side in (True, False))
        ratio = on / off
        print(f"POST /api/incidents median: {on:.2f} ms with the trigger, {off:.2f} ms without")
        verdict = aims.aim("POST /api/incidents time, data-version trigger vs none", f"{ratio:.2f}x",
                           f"<= {AIM_RATIO:.2f}x", ratio <= AIM_RATIO)  # fmt: skip
        print(f"POST /api/incidents with the data-version trigger: {ratio:.2f}x the time without "
              f"(aim <= {AIM_RATIO:.2f}x): {verdict}")  # fmt: skip
        own, whole = asyncio.run(trigger_time(dsn, users, args.inserts))
        aims.figure("data-version trigger's own time per write statement", f"{own:.3f} ms ({own / off:.2%} of a POST)")
        print(f"the trigger's own time (EXPLAIN ANALYZE, one incident insert): {own:.3f} ms of {whole:.3f} ms; "
              f"{own / off:.2%} of the POST's median; load average {load_average()}")  # fmt: skip


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=50, help="POST requests per run")
    parser.add_argument("--concurrency", type=int, default=1, help="client tasks (1: service time, no queueing)")
    parser.add_argument("--rounds", type=int, default=12, help="runs with and without the trigger, alternately")
    parser.add_argument("--inserts", type=int, default=500, help="incident inserts explained")
    args = aims.parse(parser)
    args.warm = min(100, args.requests)
    if args.smoke:
        args.requests, args.concurrency, args.rounds, args.inserts, args.warm = 10, 2, 1, 20, 5
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
