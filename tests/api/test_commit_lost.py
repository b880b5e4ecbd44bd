"""The database lost at the worst moments of a request: during its COMMIT, and while its connection sat in the pool.

A COMMIT cut by a restart is a 503 with Retry-After in the contract's body (the client retries with the same
Idempotency-Key), never uvicorn's bare 500, and nothing is stored. A pooled connection the server closed between
two requests is replaced before the next request uses it: that request is answered as if nothing happened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from service.incidents.models import Incident
from tests.builders import logged_in
from tests.incident_bodies import body


def _terminate(database_url: str, pids: list[int]) -> None:
    """What a fast shutdown does to these backends (from a connection of its own, as the postmaster would)."""
    with psycopg.connect(database_url.replace("+asyncpg", ""), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [pids])


def _app_engine(app: Litestar) -> Any:
    return app.plugins.get(SQLAlchemyPlugin).config[0].get_engine().sync_engine


@pytest.fixture
def cut_at_commit(app: Litestar, database_url: str) -> Iterator[list[int]]:
    """Once armed (a None appended), terminate the backend of the app's next session to commit an incident, just
    before its COMMIT; its pid replaces the None."""
    cut: list[Any] = []
    engine = _app_engine(app)

    def before_commit(session: Session) -> None:
        if cut != [None] or session.bind is not engine or not session.in_transaction():
            return
        connection = session.connection()
        if not connection.exec_driver_sql("SELECT count(*) FROM incidents").scalar():
            return  # another transaction of the request (the idempotency key's, say): the incident's is next
        cut.clear()
        raw: Any = connection.connection.driver_connection
        cut.append(raw.get_server_pid())
        _terminate(database_url, cut)

    event.listen(Session, "before_commit", before_commit)
    yield cut
    event.remove(Session, "before_commit", before_commit)


async def _incidents(db: AsyncSession) -> int:
    db.expire_all()
    return await db.scalar(select(func.count()).select_from(Incident)) or 0


async def test_a_commit_cut_by_a_restart_is_a_503_to_retry_and_stores_nothing(
    client: AsyncTestClient[Litestar], db: AsyncSession, cut_at_commit: list[int]
):
    _, headers = await logged_in(client, db, agency="QLTT", role="inspector")
    payload = body("seizure")
    cut_at_commit.append(None)
    response = await client.post("/api/incidents", json=payload, headers={**headers, "Idempotency-Key": "cut-1"})
    assert cut_at_commit and cut_at_commit != [None], "the commit was never reached"
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()
    assert error["code"] == "database.unavailable" and "thử lại" in error["message_vi"]
    assert int(response.headers["retry-after"]) > 0
    assert await _incidents(db) == 0

    retried = await client.post("/api/incidents", json=payload, headers={**headers, "Idempotency-Key": "cut-1"})
    assert retried.status_code == 201, retried.text
    assert await _incidents(db) == 1


@pytest.fixture
def returned(app: Litestar) -> Iterator[list[int]]:
    """The server pids of the app's connections as they go back to its pool, in order."""
    engine = _app_engine(app)
    pids: list[int] = []

    def checked_in(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None and not dbapi_connection.driver_connection.is_closed():
            pids.append(dbapi_connection.driver_connection.get_server_pid())

    event.listen(engine, "checkin", checked_in)
    yield pids
    event.remove(engine, "checkin", checked_in)


async def test_connections_closed_in_the_pool_are_replaced_before_the_next_request(
    client: AsyncTestClient[Litestar], db: AsyncSession, database_url: str, returned: list[int]
):
    _, headers = await logged_in(client, db, agency="QLTT", role="inspector")
    assert (await client.get("/api/incidents", headers=headers)).status_code == 200
    pooled = sorted(set(returned))
    assert pooled, "the first request left no connection in the pool"
    _terminate(database_url, pooled)  # a restart between two requests: the pool holds only dead connections
    await asyncio.sleep(0.2)  # the restart takes its time; the sockets' ends arrive meanwhile
    returned.clear()

    answers = [(await client.get("/api/incidents", headers=headers)).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    assert returned and not set(returned) & set(pooled), "a dead connection was handed out again"
