"""`ipcoord worker`: procrastinate's worker, run again with backoff whenever the database goes away.

Procrastinate stops its worker when one of its side tasks (the LISTEN connection, the heartbeat, the periodic
deferrer) loses the database. The loop here waits, reconnects and starts it again, however long PostgreSQL is
away; it logs one WARNING when the outage starts and one INFO when the database is back. It returns only when
asked to stop (SIGTERM/SIGINT, or `--once` with the queue empty); any other error propagates (a non-zero exit).
Jobs that a lost connection or a killed worker left running are put back in the queue by `retry_stalled`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from procrastinate import JobContext, exceptions, jobs
from procrastinate.worker import Worker
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from service import all_models  # noqa: F401 - every mapper, so tasks' models resolve their foreign keys
from service.clock import now
from service.db import CONNECT_TIMEOUT_SECONDS, async_url, transaction
from service.exchange.relay import ExchangeRelay
from service.exchange.service import Node
from service.health import heartbeats
from service.jobs import QUEUE, Runtime, app, connected, defer_now
from service.migrate import check_migrated
from service.notifications.delivery import Channels, RetryPolicy
from service.notifications.email import Mailer
from service.outage import Outage, is_unavailable, watch
from service.settings import Settings

log = logging.getLogger("ipcoord.jobs")
WORKER_NAME = "ipcoord"
BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 10.0
HEARTBEAT_SECONDS = 30.0  # our row in worker_heartbeats (/health); procrastinate beats its own every 10 s
STALLED_SECONDS = 30.0  # a job whose worker has not beaten for this long is put back in the queue
RETRY_STALLED = "jobs.retry_stalled"


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
            relay = ExchangeRelay(Node.of(settings), http)  # messages to partner nodes' agencies (NODE:CODE)
            channels = Channels(
                secret_key=settings.secret_key, http=http, mailer=mailer(settings), policy=policy, relay=relay
            )
            yield Runtime(settings, async_sessionmaker(engine, expire_on_commit=False), channels)
    finally:
        await engine.dispose()


class WorkerStopped(RuntimeError):
    """Procrastinate's worker stopped without being asked to, for a reason other than the database."""


class SideTaskFailures(logging.Filter):
    """Keeps (instead of logging with a traceback) the outage that made procrastinate stop its worker.

    Procrastinate logs it twice: "Side task … failed" (procrastinate.worker.<name>) and, while shutting its side
    tasks down, "<task> error" (procrastinate.utils). Job outcomes are logged as they are."""

    ACTIONS = ("side_task_failed", "listener_error", "update_heartbeats_error", "deferrer_error")
    LOGGERS = (f"procrastinate.worker.{WORKER_NAME}", "procrastinate.utils")

    def __init__(self) -> None:
        super().__init__()
        self.failure: BaseException | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if getattr(record, "action", None) in self.ACTIONS and error and is_unavailable(error):
            self.failure = self.failure or error
            return False
        return True


@contextlib.contextmanager
def quiet_outages(failures: SideTaskFailures) -> Iterator[None]:
    """Procrastinate's side-task tracebacks and psycopg's pool retries give way to our one line per outage."""
    loggers = [logging.getLogger(name) for name in SideTaskFailures.LOGGERS]
    for logger in loggers:
        logger.addFilter(failures)
    pool_log = logging.getLogger("psycopg.pool")
    level = pool_log.level
    pool_log.setLevel(max(level, logging.ERROR))  # "error connecting in 'pool-1'" at every reconnect attempt
    try:
        yield
    finally:
        pool_log.setLevel(level)
        for logger in loggers:
            logger.removeFilter(failures)


@contextlib.contextmanager
def stop_signals(on_stop: Callable[[], None]) -> Iterator[None]:
    """Call `on_stop` on SIGTERM and SIGINT for the duration of the block."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_stop)
    try:
        yield
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


class WorkerLoop:
    """One `ipcoord worker` process: runs procrastinate's worker again after each outage until told to stop."""

    def __init__(self, settings: Settings, *, once: bool) -> None:
        self.settings = settings
        self.once = once
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.started_at = now()
        self.stopping = asyncio.Event()
        self.worker: Worker | None = None
        self.outage = Outage("the worker reconnects")
        self.failures = SideTaskFailures()

    def request_stop(self) -> None:
        """Finish the current job (within SHUTDOWN_GRACE_SECONDS), then return."""
        log.info("worker stopping")
        self.stopping.set()
        if self.worker is not None:
            self.worker.stop()  # type: ignore[no-untyped-call]

    async def run(self) -> None:
        """Run until asked to stop, waiting out every outage with a doubling pause (at most 10 s)."""
        delay = BACKOFF_FIRST_SECONDS
        with quiet_outages(self.failures):
            while not self.stopping.is_set():
                self.failures.failure = None
                try:
                    if await self._run_connected():
                        delay = BACKOFF_FIRST_SECONDS
                except Exception as exc:
                    if not is_unavailable(exc):
                        raise
                    self.outage.began(exc)
                else:
                    if self.failures.failure is not None:
                        self.outage.began(self.failures.failure)
                    elif self.stopping.is_set() or self.once:
                        return  # stopped as asked, or `--once` emptied the queue
                    else:  # a side task failed for another reason (logged by procrastinate): a bug, exit 1
                        raise WorkerStopped("procrastinate's worker stopped on its own; see the error logged above")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), delay)
                delay = min(delay * 2, BACKOFF_MAX_SECONDS)

    async def _run_connected(self) -> bool:
        """One run of procrastinate's worker on fresh connections; True once it had started."""
        async with runtime(self.settings) as shared, connected(self.settings.database_url or "") as job_app:
            self.outage.ended(settled=True)  # connected, and the schema checked
            job_app.perform_import_paths()  # type: ignore[no-untyped-call]
            if self.once:
                await defer_now("referrals.sweep_clocks")
                await defer_now("takedowns.sweep_clocks")
                await defer_now("retention.anonymise_due")
            self.worker = Worker(
                app=job_app,
                queues=[QUEUE],
                name=WORKER_NAME,
                wait=not self.once,
                install_signal_handlers=False,
                delete_jobs="successful",
                additional_context={"runtime": shared},
                shutdown_graceful_timeout=float(self.settings.shutdown_grace_seconds),
                stalled_worker_timeout=STALLED_SECONDS,
            )
            if self.stopping.is_set():
                return True
            log.info("worker started (queue %s%s)", QUEUE, ", once" if self.once else "")
            beating = asyncio.create_task(self._beat(shared))
            try:
                await self.worker.run()  # type: ignore[no-untyped-call]
            finally:
                beating.cancel()
                self.worker = None
            return True

    async def _beat(self, shared: Runtime) -> None:
        """Write this worker's heartbeat now and every HEARTBEAT_SECONDS (skipped while the database is away)."""
        while True:
            try:
                async with transaction(shared.sessions) as session:
                    await heartbeats.beat(session, self.name, self.started_at, now(), QUEUE)
            except Exception as exc:
                if not is_unavailable(exc):
                    log.exception("worker heartbeat failed")
            await asyncio.sleep(HEARTBEAT_SECONDS)


async def run_worker(settings: Settings, *, once: bool = False, install_signal_handlers: bool = True) -> None:
    """Run jobs until stopped; with `once`, run the sweeps (clocks, retention) and deliver now, finish, and return."""
    loop = WorkerLoop(settings, once=once)
    with stop_signals(loop.request_stop) if install_signal_handlers else contextlib.nullcontext():
        await loop.run()


# Every minute: put back in the queue the jobs of workers that stopped beating (killed, or cut off from the
# database mid-job). Tasks are idempotent sweeps and claim-then-commit deliveries, so a rerun sends nothing twice.
@app.periodic(cron="* * * * *", queueing_lock=RETRY_STALLED)
@app.task(name=RETRY_STALLED, queue=QUEUE, pass_context=True)
async def retry_stalled(context: JobContext, timestamp: int | None = None) -> int:
    """Requeue stalled jobs; one whose task already waits in the queue (same queueing lock) is closed instead."""
    manager = context.app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_SECONDS))
    for job in stalled:
        try:
            await manager.retry_job(job)
        except exceptions.UniqueViolation:
            await manager.finish_job(job, status=jobs.Status.FAILED, delete_job=False)
        log.info("stalled job %s (%s) put back in the queue", job.id, job.task_name)
    return len(stalled)
