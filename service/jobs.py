"""Background jobs on PostgreSQL (procrastinate): the job app, its queue, and what a task is handed.

The worker that runs them, and the runtime it builds (engine, HTTP client, delivery channels), is worker.py.

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

import procrastinate
from procrastinate import exceptions
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.settings import Settings

log = logging.getLogger("ipcoord.jobs")
QUEUE = "ipcoord"
SCHEMA = "procrastinate"  # the PostgreSQL schema holding procrastinate's tables and functions
TASK_MODULES = [
    "service.referrals.jobs",
    "service.takedowns.jobs",
    "service.notifications.jobs",
    "service.retention.jobs",
    "service.audit.jobs",
    "service.backup.jobs",
    "service.share.jobs",
    "service.map_views.jobs",
    "service.worker",  # retry_stalled
]

# The one job app of the process; `connected` gives it a real connection pool while a worker runs.
app = procrastinate.App(connector=procrastinate.PsycopgConnector(), import_paths=TASK_MODULES)


@dataclass(frozen=True)
class Runtime:
    """What every task of a worker shares: settings, a session factory, the delivery channels.

    `channels` is a `service.notifications.delivery.Channels` (built by the worker); the job app stays below
    the domains whose tasks it runs, so it names no domain type: notifications' task checks it."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    channels: object


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


async def defer_now(task_name: str) -> None:
    """Queue one run of a task now, unless one is already waiting (tasks are idempotent sweeps)."""
    app.perform_import_paths()  # type: ignore[no-untyped-call]
    try:
        await app.configure_task(name=task_name, queue=QUEUE, queueing_lock=task_name).defer_async()
    except exceptions.AlreadyEnqueued:
        log.debug("%s already queued", task_name)
