"""What the HTTP benchmarks share: a throwaway database, bench users, uvicorn servers, bounded load runs.

Imported by bench_geotag.py, bench_incidents.py and bench_referrals.py, which run as scripts from the
repository root (``.venv/bin/python tests/benchmarks/bench_X.py``): a script's folder is then on sys.path,
and importing this module puts the project root and tests/ there too, so `service`, `maps` and `tests`
import after it (the database helpers of tests/databases.py, not the app: importing it costs seconds).
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import asyncpg
import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for _path in (ROOT, HERE.parent):  # `service`, `maps` and `tests` importable
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import aims  # noqa: E402
from lean_client import LeanClient, LeanError, LeanResponse  # noqa: E402

from tests.databases import create_database, drop_database, plain, server_url  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-0123456789abcdef"
PASSWORD = "bench-password-long-enough"
SERVICE_APP = "service.asgi:app_from_env"
START_TIMEOUT_S = float(os.environ.get("BENCH_START_TIMEOUT_S", "90"))  # a loaded shared machine imports slowly


# --- Database and users -----------------------------------------------------------------------------


plain_dsn = plain  # a database URL in the form asyncpg accepts


@contextmanager
def throwaway_database() -> Iterator[tuple[str, Path]]:
    """A migrated database ``ipcoord_bench_…`` on the server the tests use, and a temporary folder.

    The server: DATABASE_URL, else 127.0.0.1:5432, else the embedded one (in the folder). The database is
    dropped and the folder removed at the end, also on failure or Ctrl-C.
    """
    from service.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="ipcoord-bench-") as folder:
        tmp = Path(folder)
        server = server_url(tmp)
        database_url = create_database(server, prefix="ipcoord_bench")
        try:
            upgrade(database_url)
            yield database_url, tmp
        finally:
            drop_database(server, database_url)


def copying(dsn: str, query: str) -> Callable[[], Awaitable[int]]:
    """The baseline of the exports' benches: the rows of `query` by a plain ``COPY ... TO STDOUT (csv)`` through
    asyncpg, on a connection of its own, into a sink that only counts bytes; the step returns that count."""

    async def copy() -> int:
        size = 0

        async def sink(chunk: bytes) -> None:
            nonlocal size
            size += len(chunk)

        connection = await asyncpg.connect(dsn)
        try:
            await connection.copy_from_query(query, output=sink, format="csv", header=True)
        finally:
            await connection.close()
        return size

    return copy


class BenchUser(NamedTuple):
    """A user made by create_users: their agency, their id and a raw API token."""

    agency_id: uuid.UUID
    user_id: uuid.UUID
    token: str


async def create_users(database_url: str, users: dict[str, tuple[str, str]]) -> dict[str, BenchUser]:
    """Users (username -> (agency code, role)) with PASSWORD and an API token each, committed."""
    from service.auth.middleware import principal_of
    from service.auth.service import create_token, create_user
    from service.db import alchemy_config

    config = alchemy_config(database_url, 2)
    made: dict[str, BenchUser] = {}
    try:
        async with config.get_session() as session:
            for username, (agency_code, role) in users.items():
                user = await create_user(
                    session, username=username, password=PASSWORD, agency_code=agency_code, role=role
                )
                _, raw = await create_token(session, principal_of(user, "session"), name="bench", expires_in_days=1)
                made[username] = BenchUser(user.agency_id, user.id, raw)
            await session.commit()
    finally:
        await config.get_engine().dispose()
    return made


# --- Servers ----------------------------------------------------------------------------------------


def server_env(database_url: str, tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of the real service (added to this process's), with `extra` variables."""
    env = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "IPCOORD_DATA_DIR": str(tmp / "data")}
    return env | {"LOG_LEVEL": "WARNING", "IPCOORD_ENV": "development"} | extra


def free_port() -> int:
    """A TCP port of 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """A uvicorn process this bench started: its name, base URL, process and log file."""

    name: str
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def tail(self, lines: int = 40) -> str:
        """The last lines of the server's log."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) or "  (empty)"


def _start(env: dict[str, str], port: int, log: Path, app: str, app_dir: Path | None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", "--log-level", "warning"]
    command += ["--app-dir", str(app_dir)] if app_dir else []
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=os.environ | env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


async def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> str | None:
    """None once /health answers 200, else why the server is not ready."""
    deadline = time.monotonic() + START_TIMEOUT_S
    async with httpx.AsyncClient(base_url=base, timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return f"server exited ({process.returncode})"
            try:
                if (await client.get("/health")).status_code == 200:
                    return None
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    return f"server not ready after {START_TIMEOUT_S:.0f} s"


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextmanager
def serving(
    env: dict[str, str], log: Path, *, name: str = "", app: str = SERVICE_APP, app_dir: Path | None = None
) -> Iterator[Server]:
    """uvicorn --factory `app` with one worker on a free port of 127.0.0.1, output to log; ready once /health
    answers 200 (else SystemExit with the log's end); always stopped at the end."""
    port = free_port()
    process = _start(env, port, log, app, app_dir)
    try:
        base = f"http://127.0.0.1:{port}"
        if problem := asyncio.run(_wait_ready(base, process)):
            raise SystemExit(f"{name + ': ' if name else ''}{problem}:\n{log.read_text()[-3000:]}")
        yield Server(name, base, process, log)
    finally:
        _stop(process)


def load_average() -> str:
    """The machine's load averages (1, 5, 15 minutes), for the headers."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


# --- Load -------------------------------------------------------------------------------------------


class Layout(NamedTuple):
    """Column widths of Run.line: route name, rate, latencies; client=False prints the server's CPU only."""

    route: int = 11
    rate: int = 5
    ms: int = 6
    client: bool = True


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

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    def cpu_per_request(self, seconds: float) -> float:
        return seconds / (len(self.latencies) + self.failed or 1) * 1000

    def line(self, layout: Layout) -> str:
        """req/s, p50, p99, CPU per request, counts; columns as `layout` says."""
        unsent = f", {self.unsent} unsent: time limit" if self.unsent else ""
        server = self.cpu_per_request(self.server_cpu)
        if layout.client:
            cpu = f"CPU/req server {server:.2f} ms client {self.cpu_per_request(self.client_cpu):.2f} ms"
        else:
            cpu = f"server CPU/req {server:5.1f} ms"
        return (
            f"{self.route:{layout.route}} {self.rate:{layout.rate},.0f} req/s  "
            f"p50 {self.percentile(0.5):{layout.ms}.1f} ms  p99 {self.percentile(0.99):{layout.ms}.1f} ms  "
            f"{cpu}  ({len(self.latencies)} ok, {self.failed} failed{unsent})"
        )


Client = httpx.AsyncClient | LeanClient  # LeanClient: GET load runs that leave the cores to the server
Response = httpx.Response | LeanResponse
Send = Callable[[Client, int], Awaitable[Response]]
Accept = Callable[[Response], bool]


def getting(urls: Sequence[str]) -> Send:
    """Send for GETs of urls in turn: request i gets urls[i % len(urls)]."""

    def send(client: Client, i: int) -> Awaitable[Response]:
        return client.get(urls[i % len(urls)])

    return send


def is_200(response: Response) -> bool:
    return response.status_code == 200


def is_2xx(response: Response) -> bool:
    return response.is_success


def client_for(
    base: str, concurrency: int, token: str | None = None, *, timeout: float = 30, keepalive_expiry: float = 5.0
) -> httpx.AsyncClient:
    """A keep-alive client with one connection per task, sending the bearer token when given."""
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=keepalive_expiry
    )
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=timeout)


async def load(
    client: Client,
    route: str,
    send: Send,
    n: int,
    concurrency: int,
    pid: int,
    *,
    limit_s: float,
    accept: Accept = is_200,
) -> Run:
    """n requests over `concurrency` tasks; an accepted answer is a success; stops early after limit_s.

    Measures latencies, failures by kind, and the CPU time of the server process `pid` and of this one.
    Objects alive before the run are frozen out of this process's garbage collection first (gc.freeze).
    """
    # The client holds the bench's data: a full collection of it (tenths of a second) would be counted as the
    # server's latency. Frozen out of the collector, it is not walked during the run.
    gc.collect()
    gc.freeze()
    run, counter, started = Run(route), itertools.count(), time.perf_counter()
    server_cpu, client_cpu = cpu_seconds(pid), time.process_time()
    deadline = started + limit_s

    async def worker() -> None:
        while (i := next(counter)) < n and time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                response = await send(client, i)
                outcome = "ok" if accept(response) else f"HTTP {response.status_code}"
            except (httpx.HTTPError, LeanError, OSError, asyncio.IncompleteReadError) as error:
                outcome = type(error).__name__
            if outcome == "ok":
                run.latencies.append(time.perf_counter() - sent)
            else:
                run.failures[outcome] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    run.server_cpu = cpu_seconds(pid) - server_cpu
    run.client_cpu = time.process_time() - client_cpu
    run.unsent = n - len(run.latencies) - run.failed
    return run


def check_warm_up(run: Run) -> None:
    """Stop the bench when a warm-up run had failures."""
    if run.failures:
        raise SystemExit(f"warm-up of {run.route} failed: {dict(run.failures)}")


def failed(runs: Iterable[Run]) -> int:
    """Requests of these runs that did not succeed."""
    return sum(run.failed for run in runs)


@dataclass
class Lane:
    """One side of a comparison: the route's name, its client, how to send request i, the server's pid."""

    route: str
    client: httpx.AsyncClient
    send: Send
    pid: int
    accept: Accept = is_200


async def alternate(
    lanes: list[Lane], *, rounds: int, n: int, warm_n: int, concurrency: int, limit_s: float, layout: Layout
) -> dict[str, list[Run]]:
    """Warm each lane up (warm_n requests; failures stop the bench), then `rounds` runs of n requests of each
    lane in turn (alternating reduces drift), each printed as a `run` line; the runs per route."""
    for lane in lanes:  # warm-up: connections, pools, code paths
        warm = await load(
            lane.client, lane.route, lane.send, warm_n, concurrency, lane.pid, limit_s=limit_s, accept=lane.accept
        )
        check_warm_up(warm)
    runs: dict[str, list[Run]] = {lane.route: [] for lane in lanes}
    for _ in range(rounds):
        for lane in lanes:
            run = await load(
                lane.client, lane.route, lane.send, n, concurrency, lane.pid, limit_s=limit_s, accept=lane.accept
            )
            print(f"  run {run.line(layout)}" + (f"  failures: {dict(run.failures)}" if run.failures else ""))
            runs[lane.route].append(run)
    return runs


def print_best(runs: dict[str, list[Run]], layout: Layout) -> dict[str, Run]:
    """Print and return each route's run of the highest rate, in the order of `runs`."""
    best = {route: max(done, key=lambda r: r.rate) for route, done in runs.items()}
    print(f"best of {max(len(done) for done in runs.values())}:")
    for run in best.values():
        print(f"  {run.line(layout)}")
    return best


async def loaded_and_alone(
    client: Client,
    route: str,
    url: str,
    pid: int,
    *,
    n: int,
    alone_n: int,
    warm_n: int,
    concurrency: int,
    limit_s: float,
    layout: Layout,
    accept: Accept = is_200,
) -> list[Run]:
    """GET url: a warm-up, n requests at `concurrency`, then alone_n one at a time (service time without
    queueing); prints the last two; returns the three runs (warm-up, loaded, alone)."""
    send = getting([url])
    warm = await load(client, route, send, warm_n, concurrency, pid, limit_s=limit_s, accept=accept)
    check_warm_up(warm)
    loaded = await load(client, route, send, n, concurrency, pid, limit_s=limit_s, accept=accept)
    alone = await load(client, f"{route} c=1", send, alone_n, 1, pid, limit_s=limit_s, accept=accept)
    print(f"  {loaded.line(layout)}\n  {alone.line(layout)}  <- one at a time")
    return [warm, loaded, alone]


# --- Entry point ------------------------------------------------------------------------------------


def run_main(bench: Callable[[], object], *, timed: bool = True) -> None:
    """Run a bench: SIGTERM acts as Ctrl-C (servers stopped, database dropped) and Ctrl-C ends with one line;
    start and end are recorded (aims.run: BENCH_AIMS_DIR); then, when timed, print how long it took."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        aims.run(bench, timed=timed)
    except KeyboardInterrupt:
        raise SystemExit("interrupted (server stopped, database dropped)") from None
