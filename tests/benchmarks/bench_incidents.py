"""Benchmark of incidents over real HTTP: POST /api/incidents against a bare asyncpg insert, then filtered lists.

Run: ``.venv/bin/python tests/benchmarks/bench_incidents.py [--requests 1500] [--concurrency 32] [--rows 100000]
[--smoke]``.
Not collected by pytest. It creates a throwaway database on the server the tests use (DATABASE_URL, else
127.0.0.1:5432, else the embedded one), migrates it, creates users and API tokens, and starts two uvicorn
servers (one worker each) on free ports of 127.0.0.1: the real service, and a bare Litestar app (below)
whose one route inserts one row with asyncpg. Then it bulk-inserts incidents with COPY, ANALYZEs, and
measures filtered GET /api/incidents as a coordinator. Servers are stopped and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import uuid
from collections.abc import Awaitable
from datetime import date
from typing import Any

import aims
import asyncpg
import httpx
import msgspec
from bench_geotag_core import inside_points
from harness import (
    HERE,
    ROOT,
    BenchUser,
    Server,
    create_users,
    load_average,
    plain_dsn,
    run_main,
    server_env,
    serving,
    throwaway_database,
)
from incident_bodies import body as incident_body
from incident_rows import bulk_insert
from lean_client import LeanClient
from load_runs import Lane, Layout, Run, Send, alternate, client_for, failed, is_2xx, loaded_and_alone, print_best

AIM_WRITE_RATIO = 0.40
AIM_WRITE_CPU_MS = 3.0  # server CPU per POST
AIM_LIST_P99_MS = 50.0
AIM_LIST_CPU_MS = 2.5  # server CPU per page of 50
AIM_LIST_ALONE_P99_MS = 8.0  # one request at a time
RUN_TIMEOUT_S = 25.0
WRITE_ROUNDS = 2
LAYOUT = Layout(route=11, rate=5, ms=6)
BASELINE_APP = "bench_incidents:baseline_app"  # uvicorn --factory, with --app-dir tests/benchmarks
INSERT_SQL = "INSERT INTO bench_rows (body) VALUES ($1::jsonb) RETURNING id, created_at"
BENCH_TABLE = (
    "CREATE TABLE bench_rows (id bigserial PRIMARY KEY, body jsonb NOT NULL, "
    "created_at timestamptz NOT NULL DEFAULT now())"
)
# Bench users: key -> (agency, role); the demo incidents' recorders map onto them for realistic rows.
USERS = {
    "qltt": ("QLTT", "inspector"),
    "hq": ("HQ", "inspector"),
    "svh": ("SVHTTDL", "agency_staff"),
    "coord": ("SKHCN", "coordinator"),
    "ca": ("CA", "agency_head"),
}
LIST_ROUTES = {
    "list-unit": "/api/incidents?kind=seizure&unit=2025:03388&limit=50",
    "list-act": "/api/incidents?kind=seizure&occurred_from=2025-07-01&act=XAM_PHAM_NHAN_HIEU&limit=50",
}


# --- The baseline: a bare Litestar app with one asyncpg insert --------------------------------------


def baseline_app() -> Any:
    """Bare Litestar: POST /bench/rows stores the JSON body in bench_rows with asyncpg (uvicorn --factory)."""
    from litestar import Litestar, Request, get, post

    dsn = os.environ["BENCH_DSN"]

    async def open_pool(app: Litestar) -> None:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=10, max_size=20)

    async def close_pool(app: Litestar) -> None:
        await app.state.pool.close()

    @get("/health", sync_to_thread=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @post("/bench/rows")
    async def insert_row(request: Request[Any, Any, Any], data: dict[str, Any]) -> dict[str, Any]:
        row = await request.app.state.pool.fetchrow(INSERT_SQL, msgspec.json.encode(data).decode())
        return {"id": row["id"], "created_at": row["created_at"]}

    return Litestar([health, insert_row], on_startup=[open_pool], on_shutdown=[close_pool])


# --- Set-up -----------------------------------------------------------------------------------------


async def prepare(database_url: str) -> dict[str, BenchUser]:
    """Bench users with API tokens (by key of USERS), and the baseline's table, committed."""
    made = await create_users(database_url, {f"bench.{key}": spec for key, spec in USERS.items()})
    connection = await asyncpg.connect(plain_dsn(database_url))
    try:
        await connection.execute(BENCH_TABLE)
    finally:
        await connection.close()
    return {key: made[f"bench.{key}"] for key in USERS}


# --- Writes: POST /api/incidents vs the bare insert -------------------------------------------------


def seizure_bodies(n: int) -> list[bytes]:
    """Seizures with 3 goods lines, each at its own GPS point inside the province, as JSON."""
    bodies = []
    for lon, lat in inside_points(n):
        fields = incident_body("seizure", location={"lon": lon, "lat": lat, "address": "Chợ trung tâm"})
        bodies.append(msgspec.json.encode(fields))
    return bodies


def _poster(path: str, bodies: list[bytes]) -> Send:
    def send(client: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
        headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        return client.post(path, content=bodies[i % len(bodies)], headers=headers)

    return send


async def compare_writes(app: Server, baseline: Server, token: str, args: argparse.Namespace) -> int:
    """Alternate POST /api/incidents and the bare insert; print the best of each and the ratio."""
    bodies = seizure_bodies(min(500, args.requests))
    async with (
        client_for(app.base, args.concurrency, token) as app_client,
        client_for(baseline.base, args.concurrency) as baseline_client,
    ):
        lanes = [
            Lane(baseline.name, baseline_client, _poster("/bench/rows", bodies), baseline.pid, is_2xx),
            Lane(app.name, app_client, _poster("/api/incidents", bodies), app.pid, is_2xx),
        ]
        runs = await alternate(
            lanes,
            rounds=args.rounds,
            n=args.requests,
            warm_n=min(200, args.requests),
            concurrency=args.concurrency,
            limit_s=RUN_TIMEOUT_S,
            layout=LAYOUT,
        )
    best = print_best({name: runs[name] for name in (app.name, baseline.name)}, LAYOUT)
    ratio = best[app.name].rate / best[baseline.name].rate if best[baseline.name].rate else 0.0
    name = "POST /api/incidents vs bare insert, req/s"
    verdict = aims.aim(name, f"{ratio:.0%}", f">= {AIM_WRITE_RATIO:.0%}", ratio >= AIM_WRITE_RATIO)
    print(f"{name}: {ratio:.0%} (aim >= {AIM_WRITE_RATIO:.0%}): {verdict}")
    cpu = {name: min(r.cpu_per_request(r.server_cpu) for r in done) for name, done in runs.items()}
    print(
        f"server CPU per request: incident {cpu[app.name]:.2f} ms, bare insert {cpu[baseline.name]:.2f} ms "
        f"-> server-side capacity ratio {cpu[baseline.name] / cpu[app.name]:.0%}"
    )
    met = cpu[app.name] <= AIM_WRITE_CPU_MS
    verdict = aims.aim("POST /api/incidents, server CPU", f"{cpu[app.name]:.2f} ms", f"<= {AIM_WRITE_CPU_MS:g} ms", met)
    print(f"POST /api/incidents server CPU per request (aim <= {AIM_WRITE_CPU_MS:g} ms): {verdict}")
    return failed(r for done in runs.values() for r in done)


# --- Reads: filtered lists --------------------------------------------------------------------------


async def measure_lists(app: Server, token: str, args: argparse.Namespace) -> dict[str, tuple[Run, Run]]:
    """Each filtered list at the bench's concurrency, then one request at a time (service time, no queue)."""
    best: dict[str, tuple[Run, Run]] = {}
    async with LeanClient(app.base, token) as client, client_for(app.base, 1, token) as reader:
        for route, url in LIST_ROUTES.items():
            _, loaded, alone = await loaded_and_alone(
                client,
                route,
                url,
                app.pid,
                n=args.list_requests,
                alone_n=args.alone_requests,
                warm_n=min(100, args.list_requests),
                concurrency=args.list_concurrency,
                limit_s=RUN_TIMEOUT_S,
                layout=LAYOUT,
                accept=is_2xx,
            )
            best[route] = loaded, alone
            page = (await reader.get(url)).content
            print(f"    {url}: {len(msgspec.json.decode(page)['items'])} items, {len(page):,} bytes of JSON")
    for route, (run, alone) in best.items():
        cpu = run.cpu_per_request(run.server_cpu)
        print(
            f"{route}: {args.list_concurrency} requests in flight on one worker x {cpu:.1f} ms server CPU each "
            f"= about {args.list_concurrency * cpu:.0f} ms expected latency from CPU queueing alone"
        )
        judge_list(route, run, alone, args.list_concurrency)
    return best


def judge_list(route: str, run: Run, alone: Run, concurrency: int) -> None:
    """The list's aims: p99 loaded and one at a time, server CPU per page; each printed and recorded."""
    p99, alone_p99, cpu = run.percentile(0.99), alone.percentile(0.99), run.cpu_per_request(run.server_cpu)
    checks = [
        (f"p99 at concurrency {concurrency}", f"{p99:.1f} ms", f"< {AIM_LIST_P99_MS:.0f} ms", p99 < AIM_LIST_P99_MS),
        ("p99 one at a time", f"{alone_p99:.1f} ms", f"<= {AIM_LIST_ALONE_P99_MS:g} ms",
         alone_p99 <= AIM_LIST_ALONE_P99_MS),
        ("server CPU per page", f"{cpu:.1f} ms", f"<= {AIM_LIST_CPU_MS:g} ms", cpu <= AIM_LIST_CPU_MS),
    ]  # fmt: skip
    for what, figure, target, met in checks:
        verdict = aims.aim(f"GET /api/incidents {route}, {what}", figure, target, met and not run.failures)
        print(f"{route}: {what} {figure} (aim {target}): {verdict}")


async def explain_lists(database_url: str) -> None:
    """EXPLAIN ANALYZE of the SQL the list endpoint runs for each measured filter (custom and generic plans)."""
    from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg

    from service.auth import repository as auth_repository
    from service.auth.middleware import principal_of
    from service.db import alchemy_config
    from service.incidents.repository import lists
    from service.incidents.repository.filters import IncidentFilters

    config = alchemy_config(database_url, 1)
    async with config.get_session() as session:
        user = await auth_repository.get_user_by_username(session, "bench.coord")
        assert user is not None
        principal = principal_of(user, "token")
    await config.get_engine().dispose()
    connection = await asyncpg.connect(plain_dsn(database_url))
    try:
        for route, url in LIST_ROUTES.items():
            query = dict(httpx.URL(url).params)
            filters = IncidentFilters(
                kind=query.get("kind"), unit=query.get("unit"), act=query.get("act"),
                occurred_from=date.fromisoformat(query["occurred_from"]) if "occurred_from" in query else None,
            )  # fmt: skip
            # The list's own statement (first page of 50), compiled as the server's driver sends it.
            stmt = lists.summary_statement(principal, filters, 51)
            compiled = stmt.compile(dialect=pg_asyncpg.dialect())
            params = [compiled.params[name] for name in compiled.positiontup or []]
            for mode in ("force_custom_plan", "force_generic_plan"):
                await connection.execute(f"SET plan_cache_mode = {mode}")
                plan = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}", *params)
                lines = [r[0] for r in plan if "->" in r[0] or r[0] == plan[0][0] or "Execution" in r[0]]
                print(f"  {route} ({mode}):\n" + "\n".join(f"    {line}" for line in lines[:14]))
    finally:
        await connection.close()


# --- Main -------------------------------------------------------------------------------------------


def bench(args: argparse.Namespace) -> None:
    """Set up, run the write comparison, bulk-insert, run the reads; always stop servers and drop the DB."""
    with throwaway_database() as (database_url, tmp):
        users = asyncio.run(prepare(database_url))
        env = server_env(database_url, tmp, BENCH_DSN=plain_dsn(database_url))
        with (
            serving(env, tmp / "app.log", name="incident", app_dir=ROOT) as app,
            serving(env, tmp / "baseline.log", name="insert", app=BASELINE_APP, app_dir=HERE) as baseline,
        ):
            print(
                f"servers: uvicorn --workers 1 each, app {app.base}, bare insert {baseline.base}; client httpx, "
                f"{args.concurrency} tasks, {args.requests:,} requests per run; lists: lean_client.py (gzip "
                f"accepted, not decoded)\n  NOTE: client, servers and "
                f"PostgreSQL share this machine ({os.cpu_count()} cores); load average {load_average()}"
            )
            print("== writes: POST /api/incidents (seizure, 3 goods lines, GPS, Bearer, Idempotency-Key) ==")
            failures = asyncio.run(compare_writes(app, baseline, users["qltt"].token, args))
            print(f"== reads: {args.rows:,} more incidents, then GET /api/incidents as a coordinator ==")
            asyncio.run(bulk_insert(plain_dsn(database_url), args.rows, users))
            runs = asyncio.run(measure_lists(app, users["coord"].token, args))
            failures += failed(run for pair in runs.values() for run in pair)
            print("== EXPLAIN ANALYZE of the list queries ==")
            asyncio.run(explain_lists(database_url))
            if failures:
                print(f"FAILED: {failures} requests did not succeed; app log (last lines):")
                print(app.tail())
    if failures:
        raise SystemExit(f"FAILED: {failures} requests did not succeed")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=1_500, help="POST requests per run and server")
    parser.add_argument("--concurrency", type=int, default=32, help="client tasks for the POST runs")
    parser.add_argument("--rows", type=int, default=100_000, help="incidents to bulk-insert before the reads")
    parser.add_argument("--list-requests", type=int, default=1_000, help="GET requests per list filter")
    parser.add_argument("--list-concurrency", type=int, default=16, help="client tasks for the GET runs")
    args = aims.parse(parser)
    args.rounds, args.alone_requests = WRITE_ROUNDS, 1_000  # p99 of 1,000: the 10th slowest, not the 2nd of 200
    if args.smoke:
        args.requests, args.concurrency, args.rows, args.rounds = 20, 2, 300, 1
        args.list_requests, args.list_concurrency, args.alone_requests = 10, 2, 5
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
