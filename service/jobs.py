"""Background jobs on PostgreSQL (procrastinate): the job app and what tasks run with (`ipcoord worker`: worker.py).

Tasks live with the domain that owns them (`service/referrals/jobs.py`, `service/notifications/jobs.py`)
and are periodic: procrastinate's deferrer records each cron tick once in the database, so any number of
workers can run. Procrastinate's tables live in a PostgreSQL schema of their own (`procrastinate`),
created by a migration, beside the service's tables.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
import procrastinate
from procrastinate import exceptions
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from service.db import CONNECT_TIMEOUT_SECONDS, async_url
from service.migrate import check_migrated
from service.notifications.delivery import Channels, RetryPolicy
from service.notifications.email import Mailer
from service.outage import watch
from service.settings import Settings

log = logging.getLogger("ipcoord.jobs")
QUEUE = "ipcoord"
SCHEMA = "procrastinate"  # the PostgreSQL schema holding procrastinate's tables and functions
TASK_MODULES = [
    "service.referrals.jobs",
    "service.notifications.jobs",
    "service.retention.jobs",
    "service.audit.jobs",
    "service.backup.jobs",
    "service.worker",  # retry_stalled
]

# The one job app of the process; `connected` gives it a real connection pool while a worker runs.
app = procrastinate.App(connector=procrastinate.PsycopgConnector(), import_paths=TASK_MODULES)


@dataclass(frozen=True)
class Runtime:
    """What every task of a worker shares: settings, a session factory, the delivery channels."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    channels: Channels


def runtime_of(context: procrastinate.JobContext) -> Runtime:
    """The worker's runtime, handed to tasks through procrastinate's job context."""
    runtime = context.additional_context["runtime"]
    if not isinstance(runtime, Runtime):
        raise TypeError("tasks run only inside `ipcoord worker` (service.worker.run_worker)")
    return runtime


def libpq_url(database_url: str) -> str:
    """The URL in the form libpq (psycopg) reads, whatever driver it names."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def connector(database_url: str) -> procrastinate.PsycopgConnector:
    """A psycopg pool whose connections see procrastinate's schema only."""
    return procrastinate.PsycopgConnector(
        conninfo=libpq_url(database_url),
        kwargs={"options": f"-c search_path={SCHEMA}"},
        min_size=1,
        max_size=4,
    )


@asynccontextmanager
async def connected(database_url: str) -> AsyncIterator[procrastinate.App]:
    """The job app with an open pool to this database (restored to the idle connector afterwards)."""
    with app.replace_connector(connector(database_url)) as connected_app:
        async with connected_app.open_async():
            yield connected_app


def mailer(settings: Settings) -> Mailer | None:
    """The SMTP server of the settings, or None when SMTP_HOST is unset (no email is sent)."""
    if not settings.smtp_host:
        return None
    return Mailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        user=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
    )


@asynccontextmanager
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """A worker's runtime: its own engine and HTTP client, closed when the worker stops."""
    engine = create_async_engine(
        async_url(settings.database_url or ""),
        pool_size=4,
        pool_pre_ping=True,
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
    )
    watch(engine, None)  # connections refused by an outage raise DatabaseUnreachable (the worker loop waits)
    policy = RetryPolicy(settings.notify_max_attempts, timedelta(seconds=settings.notify_retry_seconds))
    try:
        await check_migrated(engine)
        async with httpx.AsyncClient(timeout=settings.webhook_timeout_seconds, follow_redirects=False) as http:
            channels = Channels(secret_key=settings.secret_key, http=http, mailer=mailer(settings), policy=policy)
            yield Runtime(settings, async_sessionmaker(engine, expire_on_commit=False), channels)
    finally:
        await engine.dispose()


async def defer_now(task_name: str) -> None:
    """Queue one run of a task now, unless one is already waiting (tasks are idempotent sweeps)."""
    app.perform_import_paths()  # type: ignore[no-untyped-call]
    try:
        await app.configure_task(name=task_name, queue=QUEUE, queueing_lock=task_name).defer_async()
    except exceptions.AlreadyEnqueued:
        log.debug("%s already queued", task_name)
