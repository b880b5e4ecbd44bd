"""Worker heartbeats: written by `ipcoord worker`, read by /health and the dashboard; the database probe of /health.

The health package's statements all live here (an infrastructure module of docs/architecture.md, "File roles")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.health.models import WorkerHeartbeat

MISSING_AFTER = timedelta(minutes=10)  # no worker seen for this long: reminders and notifications have stopped
FORGET_AFTER = timedelta(days=7)  # rows of workers gone this long are dropped

# Jobs waiting to run now in the service's queue (procrastinate's table, in its own schema).
_QUEUE_DEPTH = text(
    "SELECT count(*) FROM procrastinate.procrastinate_jobs "
    "WHERE queue_name = :queue AND status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())"
)


@dataclass(frozen=True)
class WorkerState:
    """What the operator is told about the workers."""

    workers: list[WorkerHeartbeat]
    queue_depth: int
    missing: bool  # no worker seen within MISSING_AFTER
    last_seen_at: datetime | None


async def probe(session: AsyncSession) -> None:
    """SELECT 1: raises when the database does not answer."""
    await session.execute(text("SELECT 1"))


async def queue_depth(session: AsyncSession, queue: str) -> int:
    """Jobs due and not yet started."""
    return int(await session.scalar(_QUEUE_DEPTH, {"queue": queue}) or 0)


async def beat(session: AsyncSession, name: str, started_at: datetime, at: datetime, queue: str) -> None:
    """Record that this worker is alive (and how much work waits); drops rows of long-gone workers."""
    depth = await queue_depth(session, queue)
    stmt = insert(WorkerHeartbeat).values(name=name, started_at=started_at, last_seen_at=at, queue_depth=depth)
    stmt = stmt.on_conflict_do_update(
        index_elements=[WorkerHeartbeat.name], set_={"last_seen_at": at, "queue_depth": depth}
    )
    await session.execute(stmt)
    await session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.last_seen_at < at - FORGET_AFTER))


async def worker_state(session: AsyncSession, at: datetime, queue: str) -> WorkerState:
    """The workers seen in the last week (newest first), the queue depth now, and whether none is working."""
    stmt = select(WorkerHeartbeat).order_by(WorkerHeartbeat.last_seen_at.desc()).limit(20)
    workers = list(await session.scalars(stmt))
    newest = workers[0].last_seen_at if workers else None
    missing = newest is None or at - newest > MISSING_AFTER
    return WorkerState(workers, await queue_depth(session, queue), missing, newest)
