"""The database being away: which errors mean it, one log line when an outage starts and one when it ends.

Classified by exception class and SQLSTATE, never by message text:
- a connection that could not be opened (refused, unreachable, timed out, "starting up", too many
  connections) is raised as `DatabaseUnreachable` by the engine's connect hook (`watch`);
- SQLSTATE class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect
  now) and 53300 (too many connections), whichever driver reports it (asyncpg, psycopg);
- a connection SQLAlchemy found closed under a statement (`connection_invalidated`), a pool timeout;
- psycopg's OperationalError without a SQLSTATE (the client could not reach the server);
- asyncpg's InternalClientError: a statement sent on a connection whose server has just sent its fatal
  shutdown notice, before the socket's end arrived (the driver is still consuming the error). Requests never
  share a connection, so no other cause is left for it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
import psycopg
import psycopg_pool
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only

log = logging.getLogger("ipcoord.database")

OUTAGE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
RETRY_AFTER_SECONDS = 5  # told to clients in Retry-After; the apps answer again within a second of the server
PING_IDLE_SECONDS = 2.0  # a pooled connection unused for longer is pinged (one round trip) before it is handed out
WARY_SECONDS = 30.0  # for this long after a failure caused by an outage, every checkout is pinged
_CHECKED_IN = "ipcoord_checked_in"  # the connection record's info key: when the connection went back to the pool


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
        if isinstance(error, asyncpg.exceptions.InternalClientError):
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
        self.last_failure = -math.inf  # no failure yet

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


def check_alive(engine: AsyncEngine, outage: Outage = APP_OUTAGE) -> None:
    """Hand out only live connections, at the cost of a round trip only after a connection sat idle.

    SQLAlchemy's pool_pre_ping costs three round trips on every checkout with asyncpg (BEGIN, the ping,
    ROLLBACK): about a tenth of a list request's CPU. Instead, at checkout:
    - a connection the driver already knows is closed (the server's restart or shutdown closed its socket) is
      replaced at no cost;
    - a connection idle for more than PING_IDLE_SECONDS is pinged with one SELECT 1, so one cut silently
      (a firewall, a failover) is replaced too;
    - for WARY_SECONDS after `outage` noted a failure, every connection is pinged: one that a restart broke under
      a statement (its driver left mid-operation, not yet closed) is replaced, not handed to the next request;
    - otherwise a connection in steady use is handed out as it is: if it dies under a statement, the error is an
      outage (SQLSTATE 08xxx or an invalidated connection), answered with a 503 to retry, never a 500.
    Raising DisconnectionError makes the pool drop the connection and open a new one (SQLAlchemy's documented
    "pessimistic" disconnect handling)."""

    @event.listens_for(engine.sync_engine, "checkin")
    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def alive(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        driver = dbapi_connection.driver_connection
        if driver.is_closed():
            raise DisconnectionError("the connection was closed while it was in the pool")
        moment, since = time.monotonic(), record.info.get(_CHECKED_IN)
        if since is None:
            return  # opened for this checkout
        if moment - since <= PING_IDLE_SECONDS and moment - outage.last_failure > WARY_SECONDS:
            return
        try:
            await_only(driver.execute("SELECT 1"))  # not ";": asyncpg fails on an empty query
        except Exception as exc:
            raise DisconnectionError("the connection did not answer its ping") from exc
