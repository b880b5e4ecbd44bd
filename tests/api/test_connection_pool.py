"""The app's database pool keeps the connections a burst needed: the next burst reuses them instead of opening new
PostgreSQL connections (each a server process started, authenticated and introspected, tens of milliseconds on a
busy machine), and under light load the most recently used connection is handed out first."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import msgspec
import pytest
from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from service import outage
from service.app import create_app
from service.settings import Settings


async def _burst(app_engine: AsyncEngine, n: int) -> list[int]:
    """n connections of the app's pool held at once, then given back; their server pids."""
    async with AsyncExitStack() as stack:
        held = [await stack.enter_async_context(app_engine.connect()) for _ in range(n)]
        return [await connection.scalar(text("SELECT pg_backend_pid()")) for connection in held]


async def test_a_second_burst_reuses_the_connections_of_the_first(settings: Settings):
    app = create_app(msgspec.structs.replace(settings, db_pool_size=4, db_pool_overflow=2))
    app_engine: Any = app.plugins.get(SQLAlchemyPlugin).config[0].get_engine()
    try:
        first = await _burst(app_engine, 6)  # the pool's 4 and its 2 overflow
        assert app_engine.pool.checkedin() == 4  # the overflow closed after use, the pool's own kept
        second = await _burst(app_engine, 4)
        assert set(second) <= set(first)  # the same server processes: no connection opened again

        lone = [(await _burst(app_engine, 1))[0] for _ in range(3)]
        assert lone == [second[0]] * 3  # the last given back is handed out again (LIFO), the rest stay idle
    finally:
        await app_engine.dispose()


async def test_a_connection_idle_past_the_ping_threshold_is_pinged_and_kept(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """A connection that sat idle is checked with one empty statement and handed out again when it answers:
    not closed and replaced (a new server process, tens of milliseconds, on every checkout after a quiet spell)."""
    monkeypatch.setattr(outage, "PING_IDLE_SECONDS", 0.0)  # every checkout pings
    app = create_app(msgspec.structs.replace(settings, db_pool_size=2, db_pool_overflow=0))
    app_engine: Any = app.plugins.get(SQLAlchemyPlugin).config[0].get_engine()
    pings: list[str] = []
    event.listen(app_engine.sync_engine, "checkout", lambda *_: pings.append("checkout"))
    try:
        pids = [(await _burst(app_engine, 1))[0] for _ in range(4)]
        assert len(set(pids)) == 1, "a pinged connection was replaced instead of kept"
        assert len(pings) == 4
    finally:
        await app_engine.dispose()
