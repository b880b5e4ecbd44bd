"""With no DATABASE_URL, ipcoord runs on an embedded PostgreSQL kept in its data folder."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
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
