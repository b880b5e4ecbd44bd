"""Benchmark of incidents over real HTTP: POST /api/incidents against a bare asyncpg insert, then filtered lists.

Run: ``.venv/bin/python tests/benchmarks/bench_incidents.py [--requests 1500] [--concurrency 32] [--rows 100000]``.
Not collected by pytest. It creates a throwaway database on the server the tests use (DATABASE_URL, else
127.0.0.1:5432, else the embedded one), migrates it, creates users and API tokens, and starts two uvicorn
servers (one worker each) on free ports of 127.0.0.1: the real service, and a bare Litestar app (below)
whose one route inserts one row with asyncpg. Then it bulk-inserts incidents with COPY, ANALYZEs, and
measures filtered GET /api/incidents as a coordinator. Servers are stopped and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import types
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import msgspec

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parents[1]
for _path in (_ROOT, _HERE.parent, _HERE):  # `service`, tests/conftest.py and bench_geotag importable
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench_geotag import cpu_seconds, free_port, inside_points, wait_ready  # noqa: E402
from conftest import _plain, _server_url, create_database, drop_database  # noqa: E402
from incident_bodies import body as incident_body  # noqa: E402

AIM_WRITE_RATIO = 0.40
AIM_LIST_P99_MS = 50.0
SECRET = "bench-secret-key-that-is-long-enough-0123456789abcdef"
PASSWORD = "bench-password-long-enough"
RUN_TIMEOUT_S = 25.0
WRITE_ROUNDS = 2
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
}
DEMO_RECORDERS = {"demo.qltt": "qltt", "demo.hq": "hq", "demo.svhttdl": "svh", "demo.coordinator": "coord"}
LIST_ROUTES = {
    "list-unit": "/api/incidents?kind=seizure&unit=2025:03388&limit=50",
    "list-act": "/api/incidents?kind=seizure&occurred_from=2025-07-01&act=XAM_PHAM_NHAN_HIEU&limit=50",
}
STATUSES = {"recorded": 40, "under_verification": 15, "sanctioned": 25, "referred": 5, "closed": 13, "withdrawn": 2}


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


@dataclass
class Setup:
    """What the runs need: tokens and (agency id, user id) per bench user."""

    tokens: dict[str, str]
    ids: dict[str, tuple[uuid.UUID, uuid.UUID]]


async def prepare(database_url: str) -> Setup:
    """Bench users with API tokens, and the baseline's table, committed."""
    from service.auth.middleware import principal_of
    from service.auth.service import create_token, create_user
    from service.db import alchemy_config

    config = alchemy_config(database_url, 2)
    setup = Setup({}, {})
    try:
        async with config.get_session() as session:
            for key, (agency, role) in USERS.items():
                user = await create_user(
                    session, username=f"bench.{key}", password=PASSWORD, agency_code=agency, role=role
                )
                _, setup.tokens[key] = await create_token(
                    session, principal_of(user, "session"), name="bench", expires_in_days=1
                )
                setup.ids[key] = (user.agency_id, user.id)
            await session.commit()
    finally:
        await config.get_engine().dispose()
    connection = await asyncpg.connect(_plain(database_url))
    try:
        await connection.execute(BENCH_TABLE)
    finally:
        await connection.close()
    return setup


def start_server(app: str, env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """uvicorn with one worker on 127.0.0.1:port, output to log."""
    command = [sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", "--log-level", "warning", "--app-dir", str(_HERE if ":baseline" in app else _ROOT)]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=_ROOT, env=os.environ | env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def stop(server: subprocess.Popen[bytes]) -> None:
    """Terminate one server this bench started."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)


# --- Load -------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One bounded load run against one route."""

    route: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    unsent: int = 0  # left when the time limit stopped the run
    server_cpu: float = 0.0  # seconds of the server process's CPU during the run
    client_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    def cpu_per_request(self, seconds: float) -> float:
        return seconds / (len(self.latencies) + sum(self.failures.values()) or 1) * 1000

    def line(self) -> str:
        unsent = f", {self.unsent} unsent: time limit" if self.unsent else ""
        return (
            f"{self.route:11} {self.rate:5,.0f} req/s  p50 {self.percentile(0.5):6.1f} ms  "
            f"p99 {self.percentile(0.99):6.1f} ms  CPU/req server {self.cpu_per_request(self.server_cpu):.2f} ms "
            f"client {self.cpu_per_request(self.client_cpu):.2f} ms  ({len(self.latencies)} ok, "
            f"{sum(self.failures.values())} failed{unsent})"
        )


Send = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


async def load(client: httpx.AsyncClient, route: str, send: Send, n: int, concurrency: int, pid: int) -> Run:
    """n requests over `concurrency` tasks; a 2xx is a success; stops early after RUN_TIMEOUT_S."""
    run, counter, started = Run(route), itertools.count(), time.perf_counter()
    server_cpu, client_cpu = cpu_seconds(pid), time.process_time()
    deadline = started + RUN_TIMEOUT_S

    async def worker() -> None:
        while (i := next(counter)) < n and time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                response = await send(client, i)
                outcome = "ok" if response.is_success else f"HTTP {response.status_code}"
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            if outcome == "ok":
                run.latencies.append(time.perf_counter() - sent)
            else:
                run.failures[outcome] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    run.server_cpu = cpu_seconds(pid) - server_cpu
    run.client_cpu = time.process_time() - client_cpu
    run.unsent = n - len(run.latencies) - sum(run.failures.values())
    return run


def seizure_bodies(n: int) -> list[bytes]:
    """Seizures with 3 goods lines, each at its own GPS point inside the province, as JSON."""
    bodies = []
    for lon, lat in inside_points(n):
        fields = incident_body("seizure", location={"lon": lon, "lat": lat, "address": "Chợ trung tâm"})
        bodies.append(msgspec.json.encode(fields))
    return bodies


def client_for(base: str, concurrency: int, token: str | None = None) -> httpx.AsyncClient:
    """A keep-alive client with one connection per task."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30)


# --- Writes: POST /api/incidents vs the bare insert -------------------------------------------------


@dataclass
class Target:
    """One running server and how to send one request to it."""

    name: str
    base: str
    pid: int
    path: str
    token: str | None


def _poster(target: Target, bodies: list[bytes]) -> Send:
    def send(client: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
        headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        return client.post(target.path, content=bodies[i % len(bodies)], headers=headers)

    return send


async def compare_writes(app: Target, baseline: Target, args: argparse.Namespace) -> int:
    """Alternate POST /api/incidents and the bare insert; print the best of each and the ratio."""
    bodies = seizure_bodies(500)
    runs: dict[str, list[Run]] = {app.name: [], baseline.name: []}
    async with (
        client_for(app.base, args.concurrency, app.token) as app_client,
        client_for(baseline.base, args.concurrency) as baseline_client,
    ):
        plan = [(baseline, baseline_client, _poster(baseline, bodies)), (app, app_client, _poster(app, bodies))]
        for target, client, send in plan:  # warm-up: connections, pools, code paths
            warm = await load(client, target.name, send, min(200, args.requests), args.concurrency, target.pid)
            if warm.failures:
                raise SystemExit(f"warm-up of {target.name} failed: {dict(warm.failures)}")
        for _ in range(WRITE_ROUNDS):  # alternate to reduce drift
            for target, client, send in plan:
                run = await load(client, target.name, send, args.requests, args.concurrency, target.pid)
                print(f"  run {run.line()}" + (f"  failures: {dict(run.failures)}" if run.failures else ""))
                runs[target.name].append(run)
    best = {name: max(done, key=lambda r: r.rate) for name, done in runs.items()}
    print(f"best of {len(runs[app.name])}:")
    for run in best.values():
        print(f"  {run.line()}")
    ratio = best[app.name].rate / best[baseline.name].rate if best[baseline.name].rate else 0.0
    verdict = "met" if ratio >= AIM_WRITE_RATIO else "NOT met"
    print(f"POST /api/incidents vs bare insert, req/s: {ratio:.0%} (aim >= {AIM_WRITE_RATIO:.0%}): {verdict}")
    cpu = {name: min(r.cpu_per_request(r.server_cpu) for r in done) for name, done in runs.items()}
    print(
        f"server CPU per request: incident {cpu[app.name]:.2f} ms, bare insert {cpu[baseline.name]:.2f} ms "
        f"-> server-side capacity ratio {cpu[baseline.name] / cpu[app.name]:.0%}"
    )
    return sum(sum(r.failures.values()) for done in runs.values() for r in done)


# --- 100,000 incidents with COPY --------------------------------------------------------------------

COLUMNS = [
    "id", "kind", "status", "version", "agency_id", "recorded_by_id", "recorded_at", "occurred_at", "detected_at",
    "lon", "lat", "location_source", "unit_2025", "commune_2024", "district_2024", "district_2024_split",
    "subject_matter", "infringement_acts", "is_counterfeit", "is_ip_infringement", "goods_value_vnd", "crime_signs",
    "search_text", "payload", "created_at", "updated_at",
]  # fmt: skip


@dataclass(frozen=True)
class Template:
    """The fixed columns of one demo incident, reused for many rows."""

    who: str
    kind: str
    payload: dict[str, Any]
    subject_matter: list[str]
    acts: list[str]
    is_counterfeit: bool
    goods_value: int | None
    crime_signs: str
    search_text: str


def templates() -> list[Template]:
    """The demo incidents (about 70, every kind) as row templates, crime signs computed as the service does."""
    from service.demo_incidents import demo_incidents
    from service.incidents.crime_signs import crime_signs
    from service.incidents.reference import crime_threshold_rows
    from service.incidents.service import goods_value, search_text

    thresholds = [types.SimpleNamespace(**row) for row in crime_threshold_rows()]
    found = []
    for username, data in demo_incidents():
        payload = msgspec.to_builtins(data)
        value = goods_value(data) if payload["kind"] == "seizure" else None
        measures = {"goods_value": value, "illegal_profit": data.illegal_profit_vnd, "damage": data.damage_vnd}
        signs = crime_signs(thresholds, acts=data.infringement_acts, on=data.occurred_at.date(), measures=measures)
        found.append(
            Template(
                DEMO_RECORDERS[username],
                payload["kind"],
                payload,
                list(data.subject_matter),
                list(data.infringement_acts),
                data.is_counterfeit,
                value,
                msgspec.json.encode(signs).decode(),
                search_text(payload),
            )
        )
    return found


@dataclass(frozen=True)
class Places:
    """2025 units with weights, their old communes, and the districts each unit overlaps."""

    units: list[str]
    weights: list[int]
    communes: dict[str, list[tuple[str, str]]]  # unit -> [(2024 commune, 2024 district)]
    districts: dict[str, tuple[str, ...]]
    anchors: dict[str, tuple[float, float]]


def places() -> Places:
    """Unit weights like the demo (busy towns heavier), from the bundled crosswalk."""
    from service.demo_incidents import MARKET_UNITS, bundled_atlas
    from service.incidents.placing import bundled_crosswalk

    links = bundled_crosswalk()
    units = sorted(links.units_2025)
    communes: dict[str, list[tuple[str, str]]] = {}
    for commune, unit in links.commune_successor.items():
        communes.setdefault(unit, []).append((commune, links.commune_district[commune]))
    weights = [MARKET_UNITS.get(u, 1) * 3 for u in units]
    return Places(units, weights, communes, links.unit_districts, bundled_atlas().anchors)


def _where(rng: random.Random, places: Places, before_reform: bool) -> tuple[Any, ...]:
    """(lon, lat, source, unit_2025, commune_2024, district_2024, split) as the service would derive them."""
    unit = rng.choices(places.units, weights=places.weights)[0]
    commune, district = rng.choice(places.communes[unit])
    lon, lat = (round(v + rng.uniform(-0.01, 0.01), 5) for v in places.anchors[unit])
    if before_reform and rng.random() < 0.7:
        return None, None, "crosswalk", unit, commune, district, False
    if rng.random() < 0.65:
        return lon, lat, "gps", unit, None, district, False
    overlaps = places.districts[unit]
    single = overlaps[0] if len(overlaps) == 1 else None
    return None, None, "picked", unit, None, single, single is None


def incident_rows(n: int, seed: int, ids: dict[str, tuple[uuid.UUID, uuid.UUID]]) -> Iterator[tuple[Any, ...]]:
    """n realistic incident rows occurring from 2021 to November 2026, varied kinds, agencies and places."""
    rng = random.Random(seed)
    shapes, place = templates(), places()
    start, now = datetime(2021, 1, 1, tzinfo=UTC), datetime.now(UTC)
    span, reform = (now - start).total_seconds(), datetime(2025, 6, 30, 17, tzinfo=UTC)
    statuses, status_weights = list(STATUSES), list(STATUSES.values())
    for _ in range(n):
        shape = rng.choice(shapes)
        agency_id, user_id = ids[shape.who]
        occurred = start + timedelta(seconds=rng.uniform(0, span))
        recorded = min(occurred + timedelta(hours=rng.uniform(0.5, 240)), now)
        payload = msgspec.json.encode(shape.payload | {"occurred_at": occurred.isoformat()}).decode()
        yield (
            uuid.uuid4(), shape.kind, rng.choices(statuses, status_weights)[0], 1, agency_id, user_id, recorded,
            occurred, occurred + timedelta(minutes=rng.randrange(0, 90)), *_where(rng, place, occurred < reform),
            shape.subject_matter, shape.acts, shape.is_counterfeit, True, shape.goods_value, shape.crime_signs,
            shape.search_text, payload, recorded, recorded,
        )  # fmt: skip


async def bulk_insert(dsn: str, n: int, ids: dict[str, tuple[uuid.UUID, uuid.UUID]]) -> None:
    """COPY n incidents (no history rows: the list does not read them), then ANALYZE."""
    started = time.perf_counter()
    connection = await asyncpg.connect(dsn)
    try:
        rows = incident_rows(n, seed=20250701, ids=ids)
        while batch := list(itertools.islice(rows, 10_000)):
            await connection.copy_records_to_table("incidents", records=batch, columns=COLUMNS)
        copied = time.perf_counter() - started
        await connection.execute("ANALYZE incidents")
        total = await connection.fetchval("SELECT count(*) FROM incidents")
        size = await connection.fetchval("SELECT pg_size_pretty(pg_total_relation_size('incidents'))")
    finally:
        await connection.close()
    print(
        f"bulk insert: {n:,} incidents by COPY in {copied:.1f} s, with ANALYZE "
        f"{time.perf_counter() - started:.1f} s; "
        f"table now {total:,} rows, {size} with indexes"
    )


# --- Reads: filtered lists --------------------------------------------------------------------------


async def measure_lists(app: Target, args: argparse.Namespace) -> dict[str, Run]:
    """Each filtered list at the bench's concurrency, then one request at a time (service time, no queue)."""
    best: dict[str, Run] = {}
    async with client_for(app.base, args.list_concurrency, app.token) as client:
        for route, url in LIST_ROUTES.items():

            def send(client: httpx.AsyncClient, _: int, url: str = url) -> Awaitable[httpx.Response]:
                return client.get(url)

            warm = await load(client, route, send, 100, args.list_concurrency, app.pid)
            if warm.failures:
                raise SystemExit(f"warm-up of {route} failed: {dict(warm.failures)}")
            best[route] = await load(client, route, send, args.list_requests, args.list_concurrency, app.pid)
            alone = await load(client, f"{route} c=1", send, 200, 1, app.pid)
            print(f"  {best[route].line()}\n  {alone.line()}  <- one at a time")
            page = (await client.get(url)).content
            print(f"    {url}: {len(msgspec.json.decode(page)['items'])} items, {len(page):,} bytes of JSON")
    for route, run in best.items():
        cpu = run.cpu_per_request(run.server_cpu)
        print(
            f"{route}: {args.list_concurrency} requests in flight on one worker x {cpu:.1f} ms server CPU each "
            f"= about {args.list_concurrency * cpu:.0f} ms expected latency from CPU queueing alone"
        )
        p99 = run.percentile(0.99)
        verdict = "met" if p99 < AIM_LIST_P99_MS and not run.failures else "NOT met"
        print(
            f"{route}: p99 {p99:.1f} ms at concurrency {args.list_concurrency} "
            f"(aim < {AIM_LIST_P99_MS:.0f} ms): {verdict}"
        )
    return best


async def explain_lists(database_url: str) -> None:
    """EXPLAIN ANALYZE of the SQL the list endpoint runs for each measured filter (custom and generic plans)."""
    from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg

    from service.auth import repository as auth_repository
    from service.auth.middleware import principal_of
    from service.db import alchemy_config
    from service.incidents import queries, repository
    from service.incidents.models import Incident

    config = alchemy_config(database_url, 1)
    async with config.get_session() as session:
        user = await auth_repository.get_user_by_username(session, "bench.coord")
        assert user is not None
        principal = principal_of(user, "token")
    await config.get_engine().dispose()
    connection = await asyncpg.connect(_plain(database_url))
    try:
        for route, url in LIST_ROUTES.items():
            query = dict(httpx.URL(url).params)
            filters = queries.IncidentFilters(
                kind=query.get("kind"), unit=query.get("unit"), act=query.get("act"),
                occurred_from=date.fromisoformat(query["occurred_from"]) if "occurred_from" in query else None,
            )  # fmt: skip
            # The statement of queries.list_incidents (first page), compiled as the server's driver sends it.
            stmt = queries._named(repository.visible_to(principal)).where(*queries._conditions(filters))
            stmt = stmt.order_by(Incident.recorded_at.desc(), Incident.id.desc()).limit(51)
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


async def ready(*targets: Target, servers: list[subprocess.Popen[bytes]], logs: list[Path]) -> None:
    for target, server, log in zip(targets, servers, logs, strict=True):
        if problem := await wait_ready(target.base, server):
            raise SystemExit(f"{target.name}: {problem}:\n{log.read_text()[-3000:]}")


def bench(args: argparse.Namespace) -> None:
    """Set up, run the write comparison, bulk-insert, run the reads; always stop servers and drop the DB."""
    with tempfile.TemporaryDirectory(prefix="ipcoord-bench-") as folder:
        tmp = Path(folder)
        server_url = _server_url(tmp)
        database_url = create_database(server_url, prefix="ipcoord_bench")
        servers: list[subprocess.Popen[bytes]] = []
        try:
            from service.migrate import upgrade

            upgrade(database_url)
            setup = asyncio.run(prepare(database_url))
            ports, logs = [free_port(), free_port()], [tmp / "app.log", tmp / "baseline.log"]
            env = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "IPCOORD_DATA_DIR": str(tmp / "data")}
            env |= {"LOG_LEVEL": "WARNING", "IPCOORD_ENV": "development", "BENCH_DSN": _plain(database_url)}
            servers.append(start_server("service.asgi:app_from_env", env, ports[0], logs[0]))
            servers.append(start_server("bench_incidents:baseline_app", env, ports[1], logs[1]))
            app = Target("incident", f"http://127.0.0.1:{ports[0]}", servers[0].pid, "/api/incidents", None)
            baseline = Target("insert", f"http://127.0.0.1:{ports[1]}", servers[1].pid, "/bench/rows", None)
            asyncio.run(ready(app, baseline, servers=servers, logs=logs))
            print(
                f"servers: uvicorn --workers 1 each, app {app.base}, bare insert {baseline.base}; client httpx, "
                f"{args.concurrency} tasks, {args.requests:,} requests per run\n  NOTE: client, servers and "
                f"PostgreSQL share this machine ({os.cpu_count()} cores); load average "
                f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}"
            )
            print("== writes: POST /api/incidents (seizure, 3 goods lines, GPS, Bearer, Idempotency-Key) ==")
            app.token = setup.tokens["qltt"]
            failed = asyncio.run(compare_writes(app, baseline, args))
            print(f"== reads: {args.rows:,} more incidents, then GET /api/incidents as a coordinator ==")
            asyncio.run(bulk_insert(_plain(database_url), args.rows, setup.ids))
            app.token = setup.tokens["coord"]
            runs = asyncio.run(measure_lists(app, args))
            failed += sum(sum(r.failures.values()) for r in runs.values())
            print("== EXPLAIN ANALYZE of the list queries ==")
            asyncio.run(explain_lists(database_url))
            if failed:
                print(f"FAILED: {failed} requests did not succeed; app log (last lines):")
                print("\n".join(logs[0].read_text(errors="replace").splitlines()[-40:]) or "  (empty)")
        finally:
            for server in servers:
                stop(server)
            drop_database(server_url, database_url)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=1_500, help="POST requests per run and server")
    parser.add_argument("--concurrency", type=int, default=32, help="client tasks for the POST runs")
    parser.add_argument("--rows", type=int, default=100_000, help="incidents to bulk-insert before the reads")
    parser.add_argument("--list-requests", type=int, default=1_000, help="GET requests per list filter")
    parser.add_argument("--list-concurrency", type=int, default=16, help="client tasks for the GET runs")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` also stops the servers and drops the DB
    started = time.perf_counter()
    bench(args)
    print(f"bench took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
