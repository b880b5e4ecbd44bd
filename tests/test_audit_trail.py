"""The audit trail over real PostgreSQL: the chain, its guards, pruning, concurrent appends, `ipcoord audit verify`."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.__main__ import main
from service.audit import chain
from service.audit.service import Who, append_many, event_row, prepared, prune, record, verify
from service.clock import now


@pytest.fixture(autouse=True)
def _clean_afterwards(db: AsyncSession) -> None:
    """Every test here writes through the engine: the `db` fixture empties the trail afterwards."""


async def _append(engine: AsyncEngine, count: int, event: str = "test.event") -> None:
    async with async_sessionmaker(engine)() as session:
        for number in range(count):
            await record(session, event, Who(uuid.uuid4(), f"user{number}"), detail={"n": number})
        await session.commit()


async def _verify(engine: AsyncEngine) -> object:
    async with engine.connect() as connection:
        return await verify(connection)


async def test_each_row_carries_the_hash_of_the_row_before(engine: AsyncEngine, db: AsyncSession):
    await _append(engine, 3)
    rows = (await db.execute(text("SELECT * FROM audit_events ORDER BY id"))).mappings().all()
    assert rows[0]["prev_hash"] == chain.GENESIS
    assert [r["prev_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]
    assert all(chain.row_hash(r) == r["hash"] for r in rows)
    verdict = await _verify(engine)
    assert verdict.broken is None and verdict.rows == 3 and verdict.head_hash == rows[-1]["hash"]  # type: ignore[attr-defined]


async def test_update_and_delete_are_refused(engine: AsyncEngine, db: AsyncSession):
    await _append(engine, 2)
    for statement in (
        "UPDATE audit_events SET actor_name = 'someone else'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "INSERT INTO audit_anchors (at, through_id, through_hash, deleted) VALUES (now(), 1, 'x', 0)",
    ):
        async with engine.connect() as connection:
            if statement.startswith("INSERT"):
                await connection.execute(text(statement))  # an anchor row may be added...
                with pytest.raises(DBAPIError, match="append-only"):
                    await connection.execute(text("UPDATE audit_anchors SET through_id = 2"))  # ...never changed
            else:
                with pytest.raises(DBAPIError, match=r"append-only|newer than the latest anchor"):
                    await connection.execute(text(statement))
            await connection.rollback()
    assert await db.scalar(text("SELECT count(*) FROM audit_events")) == 2


async def test_a_row_changed_by_the_superuser_breaks_the_chain_at_that_row(
    engine: AsyncEngine, database_url: str, capsys: pytest.CaptureFixture[str]
):
    await _append(engine, 5)
    async with engine.begin() as connection:
        target = await connection.scalar(text("SELECT id FROM audit_events ORDER BY id OFFSET 2 LIMIT 1"))
        await connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        await connection.execute(text("UPDATE audit_events SET detail = '{\"n\": 99}' WHERE id = :id"), {"id": target})
        await connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
    verdict = await _verify(engine)
    assert verdict.broken == chain.Break(target, "changed") and verdict.rows == 2  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", database_url)
        assert await asyncio.to_thread(main, ["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"dòng {target}" in err and f"row {target}" in err and "changed" in err


async def test_a_row_deleted_in_the_middle_breaks_the_chain_at_the_next(engine: AsyncEngine):
    await _append(engine, 4)
    async with engine.begin() as connection:
        ids = list(await connection.scalars(text("SELECT id FROM audit_events ORDER BY id")))
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
        await connection.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})
    verdict = await _verify(engine)
    assert verdict.broken == chain.Break(ids[2], "unlinked")  # type: ignore[attr-defined]


async def test_pruning_deletes_only_the_oldest_end_and_leaves_a_verifiable_anchor(
    engine: AsyncEngine, db: AsyncSession
):
    await _append(engine, 3, "old.event")
    async with engine.begin() as connection:  # as if written 800 days ago (the trigger refuses UPDATE: bypass it)
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
        rows = (await connection.execute(text("SELECT * FROM audit_events ORDER BY id"))).mappings().all()
        prev = chain.GENESIS
        for row in rows:
            moved = {**row, "at": row["at"] - timedelta(days=800), "prev_hash": prev}
            moved["hash"] = prev = chain.row_hash(moved)
            await connection.execute(
                text("UPDATE audit_events SET at = :at, prev_hash = :prev_hash, hash = :hash WHERE id = :id"), moved
            )
    await _append(engine, 2, "new.event")
    async with async_sessionmaker(engine)() as session:
        assert await prune(session, keep_days=730) == 3
        await session.commit()
    events = list(await db.scalars(text("SELECT event FROM audit_events ORDER BY id")))
    assert events == ["new.event", "new.event", "audit.pruned"]
    anchor = (await db.execute(text("SELECT through_id, through_hash, deleted FROM audit_anchors"))).one()
    assert anchor.through_id == rows[-1]["id"] and anchor.deleted == 3
    verdict = await _verify(engine)
    assert verdict.broken is None and verdict.rows == 3 and verdict.anchor_id == anchor.through_id  # type: ignore[attr-defined]
    async with engine.connect() as connection:  # the anchor lets DELETE through only at or below it
        with pytest.raises(DBAPIError, match="newer than the latest anchor"):
            await connection.execute(text("DELETE FROM audit_events WHERE event = 'new.event'"))


async def test_concurrent_writers_keep_one_linear_chain(engine: AsyncEngine):
    await asyncio.gather(*(_append(engine, 5, f"writer.{n}") for n in range(6)))
    verdict = await _verify(engine)
    assert verdict.broken is None and verdict.rows == 30  # type: ignore[attr-defined]


async def test_an_append_rolled_back_leaves_the_chain_whole(engine: AsyncEngine):
    await _append(engine, 1)
    async with async_sessionmaker(engine)() as session:
        await record(session, "never.kept", None)
        await session.rollback()
    await _append(engine, 1)
    verdict = await _verify(engine)
    assert verdict.broken is None and verdict.rows == 2  # type: ignore[attr-defined]


def test_the_hash_covers_every_stored_column():
    row = {name: None for name in chain.HASHED} | {"id": 1, "at": now(), "record_ids": [], "fields": [], "detail": {}}
    assert chain.row_hash(row) != chain.row_hash(row | {"address": "10.0.0.1"})


async def test_a_batch_appended_in_one_statement_keeps_its_order_in_the_chain(engine: AsyncEngine, db: AsyncSession):
    await _append(engine, 1)
    rows = [event_row(f"batch.{n}", Who(None, "reader"), record_ids=[n], detail={"n": n}) for n in range(5)]
    async with async_sessionmaker(engine)() as session:
        await append_many(session, [prepared(row) for row in rows])
        await session.commit()
    events = list(await db.scalars(text("SELECT event FROM audit_events ORDER BY id")))
    assert events == ["test.event", *(f"batch.{n}" for n in range(5))]
    verdict = await _verify(engine)
    assert verdict.broken is None and verdict.rows == 6  # type: ignore[attr-defined]
