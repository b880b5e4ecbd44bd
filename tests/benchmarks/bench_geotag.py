"""Benchmark of geotagging: the core figures, then GET /api/geotag against GET /health over real HTTP.

Run: ``.venv/bin/python tests/benchmarks/bench_geotag.py [--requests 3000] [--concurrency 32]
[--points 2000]``. Not collected by pytest. It creates a throwaway database on the server the tests
use (DATABASE_URL, else 127.0.0.1:5432, else the embedded one), migrates it, creates an inspector and
an API token, starts uvicorn (one worker) on a free port of 127.0.0.1, and drops the database at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parents[1]
for _path in (_ROOT, _HERE.parent):  # `service`, `maps` and tests/conftest.py importable from anywhere
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench_geotag_core import SEED, print_core, run_core  # noqa: E402
from conftest import _server_url, create_database, drop_database  # noqa: E402

from maps.geotag import Geotagger, sample_points  # noqa: E402
from service.auth.models import Role  # noqa: E402
from service.auth.principal import Principal  # noqa: E402
from service.auth.service import create_token, create_user  # noqa: E402
from service.db import alchemy_config  # noqa: E402
from service.migrate import upgrade  # noqa: E402

AIM_RATIO = 0.70
SECRET = "bench-secret-key-that-is-long-enough-0123456789abcdef"
ROUNDS = 3  # health, geotag, health, geotag: alternate to reduce drift, keep each route's best
RUN_TIMEOUT_S = 15.0
START_TIMEOUT_S = 30.0


@dataclass
class Run:
    """One bounded load run against one route."""

    route: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    unsent: int = 0  # left when the time limit stopped the run
    server_cpu: float = 0.0  # seconds of the server process's CPU during the run
    client_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    def line(self) -> str:
        done = len(self.latencies) + sum(self.failures.values()) or 1
        unsent = f", {self.unsent} unsent: time limit" if self.unsent else ""
        return (
            f"{self.route:7} {self.rate:6,.0f} req/s  p50 {self.percentile(0.5):5.1f} ms  "
            f"p99 {self.percentile(0.99):5.1f} ms  CPU/req server {self.server_cpu / done * 1000:.2f} ms "
            f"client {self.client_cpu / done * 1000:.2f} ms  ({len(self.latencies)} ok, "
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
            user = await create_user(
                session,
                username=f"bench{uuid.uuid4().hex[:8]}",
                password="bench-password-long-enough",
                agency_code="QLTT",
                role="inspector",
                full_name="Benchmark",
            )
            principal = Principal(
                user_id=user.id,
                username=user.username,
                agency_id=user.agency_id,
                agency_code="QLTT",
                role=Role.INSPECTOR,
                method="session",
            )
            _, raw = await create_token(session, principal, name="bench", expires_in_days=1)
            await session.commit()
            return raw
    finally:
        await config.get_engine().dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(database_url: str, data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "IPCOORD_DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        "IPCOORD_ENV": "development",
    }
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
                run.failures[outcome] = run.failures.get(outcome, 0) + 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    run.server_cpu = cpu_seconds(server_pid) - server_cpu
    run.client_cpu = time.process_time() - client_cpu
    run.unsent = n - len(run.latencies) - sum(run.failures.values())
    return run


async def compare(base: str, pid: int, token: str, points: list[tuple[float, float]], args: argparse.Namespace) -> int:
    """Alternate health and geotag runs, print each route's best and the ratio; return failures."""
    routes = {"health": ["/health"], "geotag": [f"/api/geotag?lon={x!r}&lat={y!r}" for x, y in points]}
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as client:
        for route, urls in routes.items():  # warm-up: connections, pools, code paths
            warm = await load(client, route, urls, min(500, args.requests), args.concurrency, pid)
            if warm.failures:
                raise SystemExit(f"warm-up of {route} failed: {warm.failures}")
        best: dict[str, Run] = {}
        failed = 0
        for _ in range(ROUNDS):
            for route, urls in routes.items():
                run = await load(client, route, urls, args.requests, args.concurrency, pid)
                print(f"  run {run.line()}" + (f"  failures: {run.failures}" if run.failures else ""))
                failed += sum(run.failures.values())
                if route not in best or run.rate > best[route].rate:
                    best[route] = run
    print(f"best of {ROUNDS}:")
    for run in best.values():
        print(f"  {run.line()}")
    ratio = best["geotag"].rate / best["health"].rate if best["health"].rate else 0.0
    verdict = "met" if ratio >= AIM_RATIO else "NOT met"
    print(f"geotag/health: {ratio:.0%} (aim >= {AIM_RATIO:.0%}): {verdict}")
    return failed


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
                f"  geotag points: {len(points):,} random points inside the province"
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
    print("== core: maps.geotag ==")
    print_core(run_core(100_000))
    print("== HTTP: GET /api/geotag vs GET /health ==")
    bench_http(args)


if __name__ == "__main__":
    main()
