"""/health (database, schema, workers), /health/live (the process runs) and /health/ready (it can serve)."""

from __future__ import annotations

from datetime import datetime

from litestar import Response, Router, get
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.base import Schema
from schemas.errors import ErrorBody
from service import __version__, i18n
from service.clock import now
from service.db import DbSession, current_revision
from service.errors import error_response
from service.health import heartbeats
from service.jobs import QUEUE
from service.migrate import head_revision
from service.outage import RETRY_AFTER_SECONDS


class WorkerOut(Schema, kw_only=True):
    """One background worker process and when it was last seen."""

    name: str
    started_at: datetime
    last_seen_at: datetime


class HealthNotice(Schema, kw_only=True):
    """Something an operator must act on, in both languages."""

    code: str
    message_vi: str
    message_en: str


class HealthOut(Schema, kw_only=True):
    """Service, database and background-worker status."""

    status: str
    database: str
    version: str
    queue_depth: int = 0
    workers: list[WorkerOut] = []
    notices: list[HealthNotice] = []


class LiveOut(Schema, kw_only=True):
    """The process answers."""

    status: str


def notice(code: str, **params: object) -> HealthNotice:
    """A notice from the catalogue."""
    vi, en = i18n.both(code, **params)
    return HealthNotice(code=code, message_vi=vi, message_en=en)


async def _database_answers(session: AsyncSession) -> bool:
    try:
        await heartbeats.probe(session)
    except Exception:  # any failure to reach PostgreSQL is "unavailable", never a 500
        return False
    return True


def worker_notices(state: heartbeats.WorkerState) -> list[HealthNotice]:
    """'No worker for 10 minutes' when none has been seen that long."""
    minutes = int(heartbeats.MISSING_AFTER.total_seconds() // 60)
    return [notice("health.no_worker", minutes=minutes)] if state.missing else []


@get("/health", tags=["health"])
async def health(db_session: DbSession) -> Response[HealthOut] | Response[ErrorBody]:
    """Tình trạng dịch vụ, cơ sở dữ liệu và tiến trình nền / Service, database and worker status (no login)."""
    if not await _database_answers(db_session):
        return error_response(503, "health.database_down")
    state = await heartbeats.worker_state(db_session, now(), QUEUE)
    workers = [WorkerOut(name=w.name, started_at=w.started_at, last_seen_at=w.last_seen_at) for w in state.workers]
    return Response(
        HealthOut(
            status="degraded" if state.missing else "ok",
            database="ok",
            version=__version__,
            queue_depth=state.queue_depth,
            workers=workers,
            notices=worker_notices(state),
        )
    )


@get("/live", tags=["health"])
async def live() -> LiveOut:
    """Tiến trình đang chạy / The process runs (for a liveness probe: never asks the database)."""
    return LiveOut(status="ok")


@get("/ready", tags=["health"])
async def ready(db_session: DbSession) -> Response[LiveOut] | Response[ErrorBody]:
    """Sẵn sàng phục vụ / Ready to serve: the database answers and its schema is at the code's head."""
    if not await _database_answers(db_session):
        return error_response(503, "health.database_down", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    revision = await current_revision(await db_session.connection())
    if revision != head_revision():
        return error_response(503, "health.not_migrated")
    return Response(LiveOut(status="ok"))


health_router = Router(path="/health", route_handlers=[live, ready])
