"""What the HTTP benchmarks share: a throwaway database, bench users, uvicorn servers, bounded load runs.

Imported by bench_geotag.py, bench_incidents.py and bench_referrals.py, which run as scripts from the
repository root (``.venv/bin/python tests/benchmarks/bench_X.py``): a script's folder is then on sys.path,
and importing this module puts the project root and tests/ there too, so `service`, `maps` and `tests`
import after it (the database helpers of tests/databases.py, not the app: importing it costs seconds).
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


# --- Entry point ------------------------------------------------------------------------------------


def run_main(bench: Callable[[], object], *, timed: bool = True) -> None:
    """Run a bench: SIGTERM acts as Ctrl-C (servers stopped, database dropped) and Ctrl-C ends with one line;
    start and end are recorded (aims.run: BENCH_AIMS_DIR); then, when timed, print how long it took."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        aims.run(bench, timed=timed)
    except KeyboardInterrupt:
        raise SystemExit("interrupted (server stopped, database dropped)") from None
