"""The database being away: which errors mean it, one log line when an outage starts and one when it ends.

Classified by exception class and SQLSTATE, never by message text:
- a connection that could not be opened (refused, unreachable, timed out, "starting up", too many
  connections) is raised as `DatabaseUnreachable` by the engine's connect hook (`watch`);
- SQLSTATE class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect
  now) and 53300 (too many connections), whichever driver reports it (asyncpg, psycopg);
- a connection SQLAlchemy found closed under a statement (`connection_invalidated`), a pool timeout;
- psycopg's OperationalError without a SQLSTATE (the client could not reach the server).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import psycopg_pool
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("ipcoord.database")

OUTAGE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
RETRY_AFTER_SECONDS = 5  # told to clients in Retry-After; the apps answer again within a second of the server


class DatabaseUnreachable(Exception):
    """No connection to PostgreSQL could be opened (the cause is chained)."""


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what SQLAlchemy wrapped (`orig`), and their causes and contexts."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 20:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        todo.extend([orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__])


def _root(exc: BaseException) -> BaseException:
    """The driver's or the socket's own error under SQLAlchemy's and procrastinate's wrappers."""
    for _ in range(10):
        wrapped = getattr(exc, "orig", None) if isinstance(exc, DBAPIError) else None
        below = wrapped if isinstance(wrapped, BaseException) else exc.__cause__
        if below is None:
            break
        exc = below
    return exc


def _sqlstate(exc: BaseException) -> str | None:
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    return state if isinstance(state, str) else None


def _outage_state(state: str | None) -> bool:
    return state is not None and (state.startswith("08") or state in OUTAGE_STATES)


def is_unavailable(exc: BaseException) -> bool:
    """True when the error means the database is away (the client may retry), not a bug."""
    for error in _chain(exc):
        if isinstance(error, DatabaseUnreachable | PoolTimeout | psycopg_pool.PoolTimeout):
            return True
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        state = _sqlstate(error)
        if _outage_state(state):
            return True
        if isinstance(error, psycopg.OperationalError) and state is None:
            return True
    return False


def _connect_failed_by_outage(exc: BaseException) -> bool:
    """A failure to open a connection that a restart explains (not a wrong password or database name)."""
    if isinstance(exc, OSError):  # refused, unreachable, DNS, timed out (TimeoutError is an OSError)
        return True
    return _outage_state(_sqlstate(exc))


class Outage:
    """One process's view of an outage: a WARNING when it starts, an INFO when the database is back.

    A success within SETTLE_SECONDS of a failure does not end the outage: while a server shuts down, a pooled
    connection may still answer its pre-ping just before it is cut, and that is one outage, not two."""

    SETTLE_SECONDS = 1.0

    def __init__(self, who: str) -> None:
        self.who = who
        self.since: float | None = None
        self.last_failure = 0.0

    @property
    def ongoing(self) -> bool:
        """True between the first failure and the next success."""
        return self.since is not None

    def began(self, exc: BaseException) -> None:
        """Note a failure caused by the outage; only the first one is logged."""
        self.last_failure = time.monotonic()
        if self.since is not None:
            return
        self.since = self.last_failure
        cause = _root(exc)
        state = next((s for s in map(_sqlstate, _chain(exc)) if s), "")
        log.warning(
            "database unavailable (%s%s): %s until it is back",
            type(cause).__name__,
            f", SQLSTATE {state}" if state else "",
            self.who,
        )

    def ended(self, *, settled: bool = False) -> None:
        """Note a success (`settled`: one that proves the database is back, such as a full reconnect)."""
        if self.since is None:
            return
        if not settled and time.monotonic() - self.last_failure < self.SETTLE_SECONDS:
            return
        lasted = time.monotonic() - self.since
        self.since = None
        log.info("database available again after %.1f s (%s)", lasted, self.who)


# The app process's outage: requests report failures, pool checkouts report the way back.
APP_OUTAGE = Outage("answering 503")


def watch(engine: AsyncEngine, outage: Outage | None = APP_OUTAGE) -> None:
    """Raise DatabaseUnreachable for connections a restart refuses; note in `outage` when checkouts succeed."""

    @event.listens_for(engine.sync_engine, "do_connect")
    def connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception as exc:
            if _connect_failed_by_outage(exc):
                raise DatabaseUnreachable(type(exc).__name__) from exc
            raise

    if outage is None:
        return

    @event.listens_for(engine.sync_engine, "checkout")
    def checked_out(*_: Any) -> None:
        outage.ended()
