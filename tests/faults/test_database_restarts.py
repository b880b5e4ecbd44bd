"""PostgreSQL restarted under load (`-m fast`, then `-m immediate`), as an operator would: two app instances and
a worker ride it out. No 500, a 503 with Retry-After for every request that failed, every acknowledged write
stored once, the worker still running and taking new jobs, and readiness back afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from service.auth.models import ApiToken
from service.auth.tokens import display_prefix, new_token, token_digest
from service.db import async_url
from service.jobs import QUEUE, connected, defer_now
from service.migrate import upgrade
from tests.builders import make_user
from tests.conftest import TEST_SECRET
from tests.databases import _admin
from tests.faults.private_pg import PrivateServer, free_port
from tests.incident_bodies import body

WRITERS = 4
DOWN_SECONDS = 2.0


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateServer]:
    """A migrated `ipcoord` database on a server of this module's own.

    Its folder is not under pytest's temporary root: pytest resets that root to mode 0700 whenever a session
    starts, which would lock the server's system user out of its own data in the middle of a run."""
    folder = Path(tempfile.mkdtemp(prefix="ipcoord-faults-"))
    pg = PrivateServer(folder / "pg")
    pg.init()
    pg.start()
    try:
        asyncio.run(_admin(pg.url, 'CREATE DATABASE "ipcoord"'))
        upgrade(database_url(pg))
        yield pg
    finally:
        pg.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def database_url(pg: PrivateServer) -> str:
    return pg.url.rsplit("/", 1)[0] + "/ipcoord"


@dataclass
class Process:
    """An `ipcoord` command running as its own process, its JSON log lines in a file."""

    popen: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    def lines(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(errors="replace").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append({"message": line, "level": "RAW"})
        return out

    def stop(self) -> int:
        self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout=30)


def spawn(args: list[str], url: str, folder: Path, name: str, port: int | None = None) -> Process:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": TEST_SECRET,
        "IPCOORD_DATA_DIR": str(folder / name),
        "LOG_LEVEL": "INFO",
        "SHUTDOWN_GRACE_SECONDS": "10",
    }
    log = folder / f"{name}.log"
    with log.open("wb") as output:  # the child keeps its own descriptor
        popen = subprocess.Popen(  # noqa: S603 - our own console script with fixed arguments
            [sys.executable, "-m", "service", *args], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    return Process(popen, log, port)


async def _without_cookies(request: httpx.Request) -> None:
    """Integrators send the bearer token alone: a cookie would (rightly) make the request need a CSRF token."""
    request.headers.pop("cookie", None)


async def wait_ready(http: httpx.AsyncClient, port: int, within: float = 90) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if (await http.get(f"http://127.0.0.1:{port}/health/ready")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"instance on port {port} not ready after {within} s")


@dataclass
class Load:
    """What the clients saw: every status, 503s without Retry-After, and the writes acknowledged."""

    token: str
    ports: list[int]
    statuses: list[int | str] = field(default_factory=list)
    missing_retry_after: int = 0
    acknowledged: dict[str, str] = field(default_factory=dict)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def writer(self, http: httpx.AsyncClient, n: int) -> None:
        """Record incidents one after another; retry a failed one with the same key on either instance."""
        i = 0
        while not self.stop.is_set():
            key = f"w{n}-{i}"
            payload = body("seizure", record_number=f"{n}-{i}/BB-QLTT", summary=f"Tải thử {key}")
            headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
            for attempt in range(200):
                port = self.ports[(i + attempt) % 2]
                try:
                    response = await http.post(f"http://127.0.0.1:{port}/api/incidents", json=payload, headers=headers)
                except httpx.TransportError as error:
                    self.statuses.append(type(error).__name__)
                    await asyncio.sleep(0.2)
                    continue
                self.statuses.append(response.status_code)
                if response.status_code in (200, 201):
                    self.acknowledged[key] = response.json()["id"]
                    break
                if response.status_code != 503:
                    break
                self.missing_retry_after += "retry-after" not in response.headers
                await asyncio.sleep(0.2)
            i += 1
            await asyncio.sleep(0.05)


async def make_token(engine: AsyncEngine) -> str:
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        user = await make_user(session, agency="QLTT")
        raw = new_token()
        session.add(ApiToken(user_id=user.id, name="load", token_hash=token_digest(raw), prefix=display_prefix(raw)))
        await session.commit()
    return raw


async def defer_delivery(url: str) -> int:
    """Queue a delivery job now (as the sweep does), returning its id."""
    async with connected(url) as job_app:
        job_id = await job_app.configure_task(name="notifications.deliver", queue=QUEUE).defer_async()
    return int(job_id)


async def job_done(engine: AsyncEngine, job_id: int, within: float = 30) -> str:
    """'succeeded' once the worker ran it (successful jobs are deleted), else the status it is stuck in."""
    deadline = time.monotonic() + within
    status = "todo"
    while time.monotonic() < deadline:
        async with engine.connect() as connection:
            status = await connection.scalar(
                text("SELECT status FROM procrastinate.procrastinate_jobs WHERE id = :id"), {"id": job_id}
            )
        if status is None:
            return "succeeded"
        await asyncio.sleep(0.2)
    return str(status)


@pytest.fixture
async def engine(server: PrivateServer) -> AsyncIterator[AsyncEngine]:
    """An engine on the private server, for arranging and checking (pre-ping: it outlives the restarts)."""
    engine = create_async_engine(async_url(database_url(server)), pool_pre_ping=True)
    yield engine
    await engine.dispose()


async def _restarts_under_load(server: PrivateServer, engine: AsyncEngine, tmp_path: Path) -> None:
    url = database_url(server)
    apps = [
        spawn(["serve", "--host", "127.0.0.1", "--port", str(p)], url, tmp_path, f"app{p}", p)
        for p in (free_port(), free_port())
    ]
    worker = spawn(["worker"], url, tmp_path, "worker")
    ports = [app.port or 0 for app in apps]
    try:
        async with httpx.AsyncClient(timeout=15, event_hooks={"request": [_without_cookies]}) as http:
            for port in ports:
                await wait_ready(http, port)
            load = Load(await make_token(engine), ports)
            writers = [asyncio.create_task(load.writer(http, n)) for n in range(WRITERS)]
            await asyncio.sleep(1.5)
            await asyncio.to_thread(server.outage, "fast", DOWN_SECONDS)
            for port in ports:
                await wait_ready(http, port)
            await asyncio.sleep(1.0)
            await asyncio.to_thread(server.outage, "immediate", DOWN_SECONDS)
            job_id = await defer_delivery(url)  # queued while the worker is still cut off
            for port in ports:
                await wait_ready(http, port)
            await asyncio.sleep(1.0)
            load.stop.set()
            await asyncio.wait_for(asyncio.gather(*writers), 60)

            # No 500, and every failure a 503 the client was told to retry.
            assert 500 not in load.statuses
            assert set(load.statuses) <= {200, 201, 503}, sorted(set(map(str, load.statuses)))
            assert load.statuses.count(503) > 0, "the restarts never reached the clients"
            assert load.missing_retry_after == 0
            print(
                f"acknowledged {len(load.acknowledged)}, answers {len(load.statuses)}, 503s {load.statuses.count(503)}"
            )

            # Every acknowledged write stored once.
            async with engine.connect() as connection:
                rows = (await connection.execute(text("SELECT key, incident_id::text FROM idempotency_keys"))).all()
                incidents = await connection.scalar(
                    text("SELECT count(*) FROM incidents WHERE payload->>'summary' LIKE 'Tải thử %'")
                )
            stored = dict(rows)
            assert len(load.acknowledged) > 20
            wrong = {k: (v, stored.get(k)) for k, v in load.acknowledged.items() if stored.get(k) != v}
            unacknowledged = sorted(set(stored) - set(load.acknowledged))
            assert (wrong, unacknowledged) == ({}, [])
            assert incidents == len(load.acknowledged)

            # A replay on the other instance answers the first result.
            key, incident_id = next(iter(load.acknowledged.items()))
            replay = await http.post(
                f"http://127.0.0.1:{ports[1]}/api/incidents",
                json=body("seizure", record_number=f"{key[1:]}/BB-QLTT", summary=f"Tải thử {key}"),
                headers={"Authorization": f"Bearer {load.token}", "Idempotency-Key": key},
            )
            assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
            assert replay.json()["id"] == incident_id

            # The worker lived through both, and runs the job queued while it was cut off.
            assert worker.popen.poll() is None, worker.log.read_text()[-3000:]
            assert await job_done(engine, job_id) == "succeeded"
            health = (await http.get(f"http://127.0.0.1:{ports[0]}/health")).json()
            assert health["status"] == "ok" and health["workers"] and health["notices"] == []
            for port in ports:
                assert (await http.get(f"http://127.0.0.1:{port}/health/ready")).status_code == 200
        assert worker.stop() == 0
        for app in apps:
            # uvicorn shuts down gracefully, then re-raises the SIGTERM so the exit status tells how it ended.
            assert app.stop() in (0, -signal.SIGTERM)
            assert any(e.get("message") == "Application shutdown complete." for e in app.lines())
    finally:
        for process in [*apps, worker]:
            if process.popen.poll() is None:
                process.popen.kill()
                process.popen.wait()
    _check_logs(apps, worker)


def _check_logs(apps: list[Process], worker: Process) -> None:
    """One WARNING per outage and instance (not a traceback per request); the worker says it reconnected."""
    for app in apps:
        lines = app.lines()
        warnings = [e for e in lines if e.get("level") == "WARNING" and e.get("logger") == "ipcoord.database"]
        errors = [e for e in lines if e.get("level") in ("ERROR", "CRITICAL")]
        assert 1 <= len(warnings) <= 2, [e for e in lines if e.get("logger") != "ipcoord.access"]
        assert errors == [], errors[:3]
    entries = worker.lines()
    messages = [e.get("message", "") for e in entries]
    outages = [m for m in messages if m.startswith("database unavailable")]
    assert 1 <= len(outages) <= 2, outages
    assert any("database available again" in m for m in messages), messages[-20:]
    noise = [
        e for e in entries if e.get("logger") in ("procrastinate.utils", "psycopg.pool") or "Side task" in e["message"]
    ]
    assert noise == [], noise[:3]


async def test_restarts_under_load_give_503s_never_500s_and_the_worker_keeps_working(
    server: PrivateServer, engine: AsyncEngine, tmp_path: Path
):
    await _restarts_under_load(server, engine, tmp_path)


async def test_sigterm_lets_the_request_in_flight_finish_before_serve_exits(
    server: PrivateServer, engine: AsyncEngine, tmp_path: Path
):
    port = free_port()
    app = spawn(["serve", "--host", "127.0.0.1", "--port", str(port)], database_url(server), tmp_path, "app", port)
    try:
        async with httpx.AsyncClient(timeout=30, event_hooks={"request": [_without_cookies]}) as http:
            await wait_ready(http, port)
            token = await make_token(engine)
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "in-flight"}
            async with engine.connect() as blocker:
                # Hold the incidents table so the request is still running when the signal arrives.
                await blocker.execute(text("LOCK TABLE incidents IN ACCESS EXCLUSIVE MODE"))
                request = asyncio.create_task(
                    http.post(f"http://127.0.0.1:{port}/api/incidents", json=body("seizure"), headers=headers)
                )
                await asyncio.sleep(1.0)
                app.popen.send_signal(signal.SIGTERM)
                await asyncio.sleep(1.0)
                assert app.popen.poll() is None, "serve exited with a request in flight"
                await blocker.rollback()
            response = await request
        assert response.status_code == 201
        assert app.popen.wait(timeout=30) in (0, -signal.SIGTERM)
        async with engine.connect() as connection:
            stored = await connection.scalar(text("SELECT count(*) FROM idempotency_keys WHERE key = 'in-flight'"))
        assert stored == 1
    finally:
        if app.popen.poll() is None:
            app.popen.kill()
            app.popen.wait()


async def job_status(engine: AsyncEngine, job_id: int) -> str | None:
    async with engine.connect() as connection:
        status = await connection.scalar(
            text("SELECT status FROM procrastinate.procrastinate_jobs WHERE id = :id"), {"id": job_id}
        )
    return None if status is None else str(status)


async def running_sweep(engine: AsyncEngine) -> int | None:
    """The sweep job a worker is running, if any (the periodic deferrer may have queued one at start)."""
    async with engine.connect() as connection:
        job_id = await connection.scalar(
            text(
                "SELECT id FROM procrastinate.procrastinate_jobs "
                "WHERE task_name = 'referrals.sweep_clocks' AND status = 'doing'"
            )
        )
    return None if job_id is None else int(job_id)


async def test_sigterm_lets_the_workers_current_job_finish_then_it_exits_0(
    server: PrivateServer, engine: AsyncEngine, tmp_path: Path
):
    url = database_url(server)
    worker = spawn(["worker"], url, tmp_path, "worker")
    try:
        async with engine.connect() as blocker:
            # Hold the referrals table so the sweep is still running when the signal arrives.
            await blocker.execute(text("LOCK TABLE referrals IN ACCESS EXCLUSIVE MODE"))
            async with connected(url):
                await defer_now("referrals.sweep_clocks")  # unless the worker's start queued one already
            job_id = None
            for _ in range(300):
                if (job_id := await running_sweep(engine)) is not None:
                    break
                await asyncio.sleep(0.1)
            assert job_id is not None, "no sweep started"
            worker.popen.send_signal(signal.SIGTERM)
            await asyncio.sleep(1.0)
            assert worker.popen.poll() is None, "the worker left its job behind"
            await blocker.rollback()
        assert worker.popen.wait(timeout=30) == 0
        assert await job_status(engine, job_id) is None  # succeeded (successful jobs are deleted)
    finally:
        if worker.popen.poll() is None:
            worker.popen.kill()
            worker.popen.wait()
