"""Benchmark of geotagging: the core figures, then GET /api/geotag against GET /health over real HTTP.

Run: ``.venv/bin/python tests/benchmarks/bench_geotag.py [--requests N] [--concurrency N] [--points N]``
(not collected by pytest). Needs PostgreSQL, found as the tests find it; see tests/benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parents[1]
# `service`, `maps` and tests/conftest.py importable when run as a script from anywhere
sys.path[:0] = [str(p) for p in (_ROOT, _HERE.parent) if str(p) not in sys.path]

from bench_geotag_core import SEED, print_core, run_core  # noqa: E402
from conftest import _server_url, create_database, drop_database  # noqa: E402

from maps.geotag import Geotagger, sample_points  # noqa: E402
from service.auth.middleware import principal_of  # noqa: E402
from service.auth.service import create_token, create_user  # noqa: E402
from service.db import alchemy_config  # noqa: E402
from service.migrate import upgrade  # noqa: E402

AIM_RATIO = 0.70
SECRET = "bench-secret-key-that-is-long-enough-0123456789abcdef"
ROUNDS = 3  # health, geotag, health, geotag, ...: alternate to reduce drift, keep each route's best
RUN_TIMEOUT_S = 12.0  # per run: the whole bench stays near 2 minutes even on a busy machine
START_TIMEOUT_S = 30.0
BENCH_USER = {"password": "bench-password-long-enough", "agency_code": "QLTT", "role": "inspector"}


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
            f"{self.route:7} {self.rate:6,.0f} req/s  p50 {self.percentile(0.5):5.1f} ms  "
            f"p99 {self.percentile(0.99):5.1f} ms  CPU/req server {self.cpu_per_request(self.server_cpu):.2f} ms "
            f"client {self.cpu_per_request(self.client_cpu):.2f} ms  ({len(self.latencies)} ok, "
            f"{sum(self.failures.values())} failed{unsent})"
        )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def inside_points(n: int) -> list[tuple[float, float]]:
    """n random points that fall in both a 2025 unit and a 2024 district (so geotag answers 200)."""
    lon, lat = sample_points(n * 4, seed=SEED + 1)
    tags = Geotagger.from_bundled().tag(lon, lat)
    keep = (tags.unit_2025 != None) & (tags.district_2024 != None)  # noqa: E711 (element-wise)
    points = list(zip(lon[keep].tolist(), lat[keep].tolist(), strict=True))[:n]
    if not points:
        raise SystemExit("no sample point fell inside the province")
    return points


async def make_token(database_url: str) -> str:
    """An inspector of QLTT and a bearer token for them, committed."""
    config = alchemy_config(database_url, 2)
    try:
        async with config.get_session() as session:
            user = await create_user(session, username=f"bench{uuid.uuid4().hex[:8]}", **BENCH_USER)
            principal = principal_of(user, "session")
            _, raw = await create_token(session, principal, name="bench", expires_in_days=1)
            await session.commit()
            return raw
    finally:
        await config.get_engine().dispose()


def auth_note() -> str:
    """How the server authenticates a bearer request (a per-process login cache changes what geotag costs)."""
    try:
        from service.auth.cache import AUTH_CACHE_SECONDS
    except ImportError:
        return "every bearer request looks its token up in the database"
    return f"principals cached {AUTH_CACHE_SECONDS:g} s per process: geotag looks its token up on a miss only"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(database_url: str, data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "IPCOORD_DATA_DIR": str(data_dir)}
    env |= {"LOG_LEVEL": "WARNING", "IPCOORD_ENV": "development"}
    command = [sys.executable, "-m", "uvicorn", "--factory", "service.asgi:app_from_env"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--log-level", "warning"]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


async def wait_ready(base: str, server: subprocess.Popen[bytes]) -> str | None:
    """None once /health answers 200, else why the server is not ready."""
    deadline = time.monotonic() + START_TIMEOUT_S
    async with httpx.AsyncClient(base_url=base, timeout=2) as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                return f"server exited ({server.returncode})"
            try:
                if (await client.get("/health")).status_code == 200:
                    return None
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    return f"server not ready after {START_TIMEOUT_S:.0f} s"


async def load(
    client: httpx.AsyncClient, route: str, urls: list[str], n: int, concurrency: int, server_pid: int
) -> Run:
    """n requests over `concurrency` tasks, cycling through urls; stops early after RUN_TIMEOUT_S."""
    run, counter, started = Run(route), itertools.count(), time.perf_counter()
    server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
    deadline = started + RUN_TIMEOUT_S

    async def worker() -> None:
        while (i := next(counter)) < n and time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                response = await client.get(urls[i % len(urls)])
                outcome = "200" if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            if outcome == "200":
                run.latencies.append(time.perf_counter() - sent)
            else:
                run.failures[outcome] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    run.server_cpu = cpu_seconds(server_pid) - server_cpu
    run.client_cpu = time.process_time() - client_cpu
    run.unsent = n - len(run.latencies) - sum(run.failures.values())
    return run


async def compare(base: str, pid: int, token: str, points: list[tuple[float, float]], args: argparse.Namespace) -> int:
    """Alternate health and geotag runs, print each route's best and the ratio; return failures."""
    routes = {"health": ["/health"], "geotag": [f"/api/geotag?lon={x!r}&lat={y!r}" for x, y in points]}
    # Idle connections expire before uvicorn's 5 s keep-alive timeout: no close/reuse race (ReadError).
    n = args.concurrency
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n, keepalive_expiry=2.0)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as client:
        for route, urls in routes.items():  # warm-up: connections, pools, code paths
            warm = await load(client, route, urls, min(500, args.requests), args.concurrency, pid)
            if warm.failures:
                raise SystemExit(f"warm-up of {route} failed: {dict(warm.failures)}")
        runs: dict[str, list[Run]] = {route: [] for route in routes}
        for _ in range(ROUNDS):
            for route, urls in routes.items():
                run = await load(client, route, urls, args.requests, args.concurrency, pid)
                print(f"  run {run.line()}" + (f"  failures: {dict(run.failures)}" if run.failures else ""))
                runs[route].append(run)
    best = {route: max(done, key=lambda r: r.rate) for route, done in runs.items()}
    print(f"best of {ROUNDS}:")
    for run in best.values():
        print(f"  {run.line()}")
    ratio = best["geotag"].rate / best["health"].rate if best["health"].rate else 0.0
    print(f"geotag/health req/s: {ratio:.0%} (aim >= {AIM_RATIO:.0%}): {'met' if ratio >= AIM_RATIO else 'NOT met'}")
    # Less sensitive to load: server CPU per request (median of the runs) bounds each route's rate.
    server_cpu, client_cpu = (
        {route: statistics.median(r.cpu_per_request(getattr(r, side)) for r in done) for route, done in runs.items()}
        for side in ("server_cpu", "client_cpu")
    )
    if server_cpu["health"] and server_cpu["geotag"]:
        print(
            f"server CPU/req (median): health {server_cpu['health']:.2f} ms, geotag {server_cpu['geotag']:.2f} ms -> "
            f"server-side capacity ratio {server_cpu['health'] / server_cpu['geotag']:.0%}"
        )
        if client_cpu["health"] > server_cpu["health"]:
            print(
                f"  note: the client spent more CPU per /health request ({client_cpu['health']:.2f} ms) than the "
                "server: the req/s figures are bounded by the client on this machine; the capacity ratio is what "
                "a client on another host would see"
            )
    return sum(sum(r.failures.values()) for done in runs.values() for r in done)


def bench_http(args: argparse.Namespace) -> None:
    points = inside_points(args.points)
    with tempfile.TemporaryDirectory(prefix="ipcoord-bench-") as folder:
        tmp = Path(folder)
        server_url = _server_url(tmp)
        database_url = create_database(server_url, prefix="ipcoord_bench")
        server = None
        try:
            upgrade(database_url)
            token = asyncio.run(make_token(database_url))
            port, log = free_port(), tmp / "server.log"
            server = start_server(database_url, tmp / "data", port, log)
            base = f"http://127.0.0.1:{port}"
            if problem := asyncio.run(wait_ready(base, server)):
                raise SystemExit(f"{problem}:\n{log.read_text()[-3000:]}")
            print(
                f"HTTP: uvicorn --workers 1 on {base}; client httpx.AsyncClient, {args.concurrency} tasks, "
                f"{args.requests:,} requests per run, Authorization: Bearer on both routes\n"
                f"  NOTE: client and server share this machine ({os.cpu_count()} cores); "
                "absolute rates are lower than on separate hosts\n"
                f"  geotag points: {len(points):,} random points inside the province; "
                f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}\n"
                f"  auth: {auth_note()}"
            )
            if failed := asyncio.run(compare(base, server.pid, token, points, args)):
                print(f"FAILED: {failed} requests did not answer 200; server log (last lines):")
                print("\n".join(log.read_text(errors="replace").splitlines()[-40:]) or "  (empty)")
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait(timeout=5)
            drop_database(server_url, database_url)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=3_000, help="requests per run and route")
    parser.add_argument("--concurrency", type=int, default=32, help="client tasks and connections")
    parser.add_argument("--points", type=int, default=2_000, help="distinct geotag points to cycle")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` also stops the server and drops the database
    print("== core: maps.geotag ==")
    print_core(run_core(100_000))
    print("== HTTP: GET /api/geotag vs GET /health ==")
    try:
        bench_http(args)
    except KeyboardInterrupt:
        raise SystemExit("interrupted (server stopped, database dropped)") from None


if __name__ == "__main__":
    main()
