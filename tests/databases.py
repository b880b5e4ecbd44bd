"""The PostgreSQL server tests and benchmarks use, and throwaway databases on it; light to import.

Server: DATABASE_URL's when set, else the one on 127.0.0.1:5432 when it answers, else the embedded pgserver.
tests/conftest.py builds its fixtures on these; tests/benchmarks/harness.py uses them without importing the
app (a bench's own process needs no Litestar app: its servers are separate processes).
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url


def local_server_answers() -> bool:
    """Whether a PostgreSQL server listens on 127.0.0.1:5432."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def server_url(tmp_root: Path) -> str:
    """A URL to a database on the server this run uses (its maintenance database)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if local_server_answers():
        return "postgresql://postgres@127.0.0.1:5432/postgres"
    from service import embedded_pg

    return embedded_pg.start(tmp_root / "embedded", database="postgres")


def plain(url: str) -> str:
    """The URL in the form asyncpg accepts."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(plain(url))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def create_database(server: str, prefix: str = "ipcoord_test") -> str:
    """A new empty database on the server; returns its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_database(server: str, database_url: str) -> None:
    """Drop a database this run created, even with connections still open."""
    name = make_url(database_url).database
    asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
