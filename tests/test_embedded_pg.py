"""With no DATABASE_URL, ipcoord runs on an embedded PostgreSQL kept in its data folder."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest
from sqlalchemy.engine import make_url

from service import embedded_pg


async def _select_one(url: str) -> int:
    connection = await asyncpg.connect(make_url(url).render_as_string(hide_password=False))
    try:
        return int(await connection.fetchval("SELECT 1"))
    finally:
        await connection.close()


def test_embedded_server_starts_creates_the_database_and_keeps_data_between_starts(tmp_path: Path):
    url = embedded_pg.start(tmp_path, database="ipcoord")
    assert make_url(url).database == "ipcoord"
    assert asyncio.run(_select_one(url)) == 1
    again = embedded_pg.start(tmp_path, database="ipcoord")  # second start: same folder, same database
    assert asyncio.run(_select_one(again)) == 1
    assert (tmp_path / "pgdata" / "PG_VERSION").exists()


def _postmaster_pid(pgdata: Path) -> int | None:
    pid_file = pgdata / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


def _serve_until_healthy(tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"IPCOORD_DATA_DIR": str(tmp_path), "IPCOORD_ENV": "development"}
    port = _free_port()
    serve = subprocess.Popen(  # noqa: S603 - our own console script
        [sys.executable, "-m", "service", "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and serve.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return serve
        except httpx.TransportError:
            time.sleep(0.5)
    serve.kill()
    raise AssertionError("ipcoord serve did not become healthy on the embedded database")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_the_embedded_postgres_it_started_when_it_exits(tmp_path: Path, stop_signal: signal.Signals):
    serve = _serve_until_healthy(tmp_path)
    postmaster = _postmaster_pid(tmp_path / "pgdata")
    assert postmaster is not None and psutil.pid_exists(postmaster)
    serve.send_signal(stop_signal)
    serve.wait(timeout=60)
    assert not (tmp_path / "pgdata" / "postmaster.pid").exists()
    assert not psutil.pid_exists(postmaster) or psutil.Process(postmaster).status() == psutil.STATUS_ZOMBIE
