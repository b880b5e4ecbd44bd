"""Personal-data reads recorded in batches, just after the answer: one append per batch instead of one per read.

A read changes nothing, so its audit row has nothing to be stored together with; what it needs is to be stored, in
the chain, soon. Each app process keeps a buffer: the request adds the row (its time, actor, records, fields and
origin taken at the read), and a task appends what is pending every AUDIT_READ_FLUSH_MS in one transaction (one
lock, one round trip), and once more when the process stops. Changes (users, tokens, calendar) are never buffered:
they are recorded in the request's own transaction. AUDIT_READ_FLUSH_MS=0 records reads in the request too.

What this trades (docs/audit.md): a process killed without its shutdown (kill -9, a power cut) loses the reads of
its last AUDIT_READ_FLUSH_MS; a failed append is retried at the next tick, its rows kept in memory up to MAX_PENDING.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.audit.service import append, append_many, prepared
from service.db import transaction

log = logging.getLogger("ipcoord.audit")
MAX_PENDING = 50_000  # rows kept while the database refuses appends (about 50 MB at most)
_current: contextvars.ContextVar[ReadBuffer | None] = contextvars.ContextVar("audit_read_buffer", default=None)


def current_buffer() -> ReadBuffer | None:
    """The buffer of the app serving this request; None outside a request, or when reads are recorded at once."""
    return _current.get()


class ReadBuffer:
    """The pending read rows of one app process, and the task that appends them."""

    def __init__(self, engine: AsyncEngine, interval_seconds: float) -> None:
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.interval = interval_seconds
        self.pending: list[str] = []  # rows prepared for the append (JSON, digest computed)
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._failing = False

    def add(self, row: dict[str, Any]) -> None:
        """Keep a row (made by audit.service.event_row) for the next batch, prepared now: the cost of each row
        falls on its own request instead of all of them on the flush."""
        if len(self.pending) >= MAX_PENDING:
            log.error("audit read buffer full: %d rows waiting for the database; dropping the oldest", MAX_PENDING)
            del self.pending[0]
        self.pending.append(prepared(row))

    async def flush(self) -> int:
        """Append what is pending in one transaction; on failure keep it for the next try. Returns rows appended."""
        batch, self.pending = self.pending, []
        if not batch:
            return 0
        try:
            async with transaction(self.sessions) as session:
                await append_many(session, batch)
        except asyncio.CancelledError:  # not appended: kept for whoever flushes next
            self.pending[:0] = batch
            raise
        except Exception:
            self.pending[:0] = batch
            if not self._failing:
                log.warning("audit reads not appended yet (%d waiting); retrying", len(self.pending), exc_info=True)
            self._failing = True
            return 0
        if self._failing:
            log.info("audit reads appended again")
        self._failing = False
        return len(batch)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)
            await self.flush()

    def start(self) -> None:
        """Start the periodic flush (app start-up)."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="audit-read-buffer")

    async def stop(self) -> None:
        """Stop the periodic flush and append what is left (app shutdown, before the engine is disposed). An append
        under way is waited for, not cancelled: cancelled, its batch would never reach the trail."""
        self._stopping.set()
        if self._task is not None:
            await self._task
        await self.flush()

    def around(self, app: ASGIApp) -> ASGIApp:
        """The ASGI app with this buffer current during each of its requests."""

        async def serve(scope: Scope, receive: Receive, send: Send) -> None:
            token = _current.set(self)
            try:
                await app(scope, receive, send)
            finally:
                _current.reset(token)

        return serve


async def record_read(session: AsyncSession, row: dict[str, Any]) -> None:
    """Record a read: into the buffer of the app serving the request, else at once in the request's transaction."""
    buffer = current_buffer()
    if buffer is None:
        await append(session, row)
    else:
        buffer.add(row)
