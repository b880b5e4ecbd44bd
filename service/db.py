"""Database plumbing: the declarative base, URL handling, the advanced-alchemy config, and the only places a
transaction is ended by hand (`transaction`, `separate_transaction`)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from advanced_alchemy._listeners import AsyncCacheListener  # its only home; a move fails at import, loudly
from advanced_alchemy.base import orm_registry
from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from advanced_alchemy.extensions.litestar._utils import delete_aa_scope_state, get_aa_scope_state
from advanced_alchemy.extensions.litestar.plugins.init.config.common import (
    SESSION_TERMINUS_ASGI_EVENTS,
)
from advanced_alchemy.types import EncryptedString
from litestar.constants import HTTP_RESPONSE_START
from litestar.di import NamedDependency
from litestar.types import Message, Scope
from sqlalchemy import Dialect, event, text
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.util import greenlet_spawn

from service.outage import DatabaseUnreachable, check_alive

# advanced-alchemy's registry carries a naming convention, so constraint names are stable across
# migrations; every model (ours, and its session/store mixins) shares this one metadata.
metadata = orm_registry.metadata

CONNECT_TIMEOUT_SECONDS = 5
POOL_TIMEOUT_SECONDS = 10  # a request waiting longer than this for a pooled connection gets a 503

_ASYNCPG_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
# Fernet tokens start with the version byte 0x80: "gA" in URL-safe base64. A TOTP key (base32: A-Z, 2-7) never does.
FERNET_PREFIX = "gA"
_field_key: str | None = None


def use_field_key(key: str) -> None:
    """Seal encrypted columns with this key from now on (the app and the commands call it with their settings)."""
    global _field_key  # process configuration, set once at start
    _field_key = key


def field_key() -> str:
    """The key sealing encrypted columns: the one the process configured, else its environment's settings'."""
    if _field_key is not None:
        return _field_key
    from service.settings import Settings  # only when no settings were handed in

    key = Settings.from_env().field_key
    use_field_key(key)
    return key


class SealedString(EncryptedString):
    """A column sealed at rest with Fernet (advanced-alchemy's EncryptedString, keyed by `field_key`).

    A value written before the column was sealed (no Fernet token) is read as it is, so an upgrade never locks
    anyone out; the migration that sealed the column seals such rows.
    """

    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is not None and not str(value).startswith(FERNET_PREFIX):
            return str(value)
        return super().process_result_value(value, dialect)


# The request's session, injected by name by advanced-alchemy's plugin.
DbSession = NamedDependency[AsyncSession]


def async_url(url: str) -> str:
    """The given PostgreSQL URL with the asyncpg driver, whatever scheme it was written with."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"ipcoord needs PostgreSQL, not {parsed.get_backend_name()!r}")
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


BeforeSend = Callable[[Message, Scope], Coroutine[Any, Any, None]]


def is_success(status: int) -> bool:
    """An answer that commits the request's transaction: a 2xx, or a redirect (a page's 303 after a form)."""
    return 200 <= status < 400


async def _discard(session: AsyncSession, scope: Scope, session_key: str) -> None:
    """Close the request's session and forget it (a dead connection cannot be closed cleanly; the pool drops it)."""
    with contextlib.suppress(Exception):
        await session.close()
    delete_aa_scope_state(scope, session_key)


def _has_work(session: AsyncSession) -> bool:
    """Whether committing the session would do anything: a transaction begun, or objects waiting to be flushed. A
    list page read on its own connection (driver_read) has neither, and its commit would only build and end an
    empty SessionTransaction."""
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


async def commit_request(scope: Scope, session_key: str) -> Exception | None:
    """Commit the request's session now, before its 2xx or 3xx answer starts; the failure, if any, is returned
    (the session closed and forgotten) for the caller to answer with instead. See service/web/commit.py.

    advanced-alchemy's "autocommit_include_redirects" handler logs a failed commit at DEBUG and sends the 2xx
    anyway, so a database lost during COMMIT acknowledged a write it had not stored; here the failure replaces
    the answer (a 503 to retry with the same Idempotency-Key when the database is away)."""
    session = get_aa_scope_state(scope, session_key)
    if not isinstance(session, AsyncSession) or not _has_work(session):
        return None
    try:
        await session.commit()
    except Exception as exc:
        await _discard(session, scope, session_key)
        return exc
    return None


def end_after_answer(session_key: str) -> BeforeSend:
    """The request's session once its answer starts: rolled back when the answer is not a success (a success was
    committed just before, by `commit_request` in service/web/commit.py), closed at the end."""

    async def handler(message: Message, scope: Scope) -> None:
        session = get_aa_scope_state(scope, session_key)
        if not isinstance(session, AsyncSession):
            return
        if message["type"] == HTTP_RESPONSE_START and not is_success(message["status"]):
            try:
                await session.rollback()
            except Exception:  # the client is already told of an error; a failed rollback changes nothing stored
                await _discard(session, scope, session_key)
                return
        if message["type"] in SESSION_TERMINUS_ASGI_EVENTS:
            await _discard(session, scope, session_key)

    return handler


def _without_cache_listeners(config: SQLAlchemyAsyncConfig) -> None:
    """Take advanced-alchemy's repository-cache listeners off the sessions: no cache is configured here, and each
    commit still paid about 25 us to find that out (two engine copies made by `execution_options()`)."""
    maker = config.create_session_maker()
    sync_maker = getattr(maker, "kw", {}).get("sync_session_class")
    listeners = {"after_commit": AsyncCacheListener.after_commit, "after_rollback": AsyncCacheListener.after_rollback}
    for name, listener in listeners.items():
        if sync_maker is not None and event.contains(sync_maker, name, listener):
            event.remove(sync_maker, name, listener)


def alchemy_config(database_url: str, pool_size: int, overflow: int = 0) -> SQLAlchemyAsyncConfig:
    """One async engine per process; the request is the transaction: committed when the answer is 2xx or a
    redirect (a page's 303 after a form), rolled back otherwise. A page that answers a refused form with the
    form again runs the refused action in a savepoint (`session.begin_nested()`), so the page it renders shows
    the data as it stands.

    The pool keeps up to `pool_size` connections once opened, and opens up to `overflow` more for a burst,
    closed when given back. The most recently used connection is handed out first (LIFO): under light load the
    same few stay warm and the others age out, instead of every connection in turn sitting idle long enough to
    be pinged."""
    config = SQLAlchemyAsyncConfig(
        connection_string=async_url(database_url),
        metadata=metadata,
        create_all=False,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        enable_file_object_listener=False,  # no advanced-alchemy file objects here
        # No pre-ping on every checkout (three round trips with asyncpg): outage.check_alive replaces closed and
        # long-idle connections instead, so the first request after a database restart still gets a fresh one; a
        # server that stays away surfaces as a 503 (service/outage.py). A connection attempt gives up after
        # CONNECT_TIMEOUT_SECONDS, not asyncpg's 60 s.
        engine_config=EngineConfig(
            pool_size=pool_size,
            max_overflow=overflow,
            pool_use_lifo=True,
            pool_recycle=1800,
            pool_pre_ping=False,
            pool_timeout=POOL_TIMEOUT_SECONDS,
            connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
        ),
    )
    check_alive(config.get_engine())
    _without_cache_listeners(config)
    # Each config gets a session key of its own (advanced-alchemy makes them unique per process).
    config.before_send_handler = end_after_answer(config.session_scope_key)
    return config


@contextlib.asynccontextmanager
async def transaction(
    sessions: Callable[[], contextlib.AbstractAsyncContextManager[AsyncSession]], *, keep: bool = True
) -> AsyncIterator[AsyncSession]:
    """A session of its own whose work is committed when the block ends (rolled back instead when `keep` is false,
    a dry run), and rolled back when the block raises: the transaction of work done outside any request (a job, the
    worker's heartbeat, the read buffer, a command). Requests never use it: the request is the transaction."""
    async with sessions() as session:
        yield session
        if keep:
            await session.commit()
        else:
            await session.rollback()


@contextlib.asynccontextmanager
async def separate_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """A transaction of its own beside the request's, committed at the end of the block even when the request
    then fails: for what a refusal must keep (a failed sign-in counted against the account, its audit event).
    Keep it to a few statements on rows the request's transaction has not written, so neither waits on the other.
    """
    async with AsyncSession(bind=session.bind, expire_on_commit=False) as own, own.begin():
        yield own


async def current_revision(connection: AsyncConnection) -> str | None:
    """The Alembic revision the database is at, or None when it was never migrated."""
    exists = await connection.scalar(text("SELECT to_regclass('public.alembic_version') IS NOT NULL"))
    if not exists:
        return None
    revision: str | None = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    return revision


async def in_own_transaction(session: AsyncSession, work: Callable[[AsyncSession], Coroutine[Any, Any, Any]]) -> Any:
    """Run `work` in a transaction of its own on the session's engine and commit it, whatever becomes of the
    request's transaction (the audit row of a refused sign-in, which the request's rollback must not take away)."""
    async with separate_transaction(session) as own:
        return await work(own)


# --- Hot paths: statements run on the session's asyncpg connection -----------------------------------------------
# An ORM or Core execution costs about 0.15-0.7 ms of CPU in SQLAlchemy (cache key, result rows) around a driver
# call of 0.02-0.15 ms. The few statements every write or list request runs go straight to asyncpg, on the
# session's own connection: in its transaction once the session has begun one (the session starts it with its
# first statement), else as a statement of its own, which is the same for a read at READ COMMITTED.


async def driver_connection(session: AsyncSession, *, in_transaction: bool = False) -> Any:
    """The asyncpg connection the session uses (checked out from the pool for this session if not yet). A write
    asks `in_transaction`: the session's transaction is then begun on the connection if it was not yet, so the
    write commits or rolls back with the rest of the request."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if driver.is_closed():  # lost since checkout: an outage to retry (503), not a driver error (500)
        await connection.invalidate()
        raise DatabaseUnreachable("the connection was closed under the request")
    if in_transaction:
        adapted: Any = raw.dbapi_connection  # SQLAlchemy's asyncpg adapter begins its transaction on first use
        if getattr(adapted, "_transaction", True) is None:
            await adapted._start_transaction()
        elif not hasattr(adapted, "_transaction"):  # another adapter: a statement through SQLAlchemy begins it
            await connection.execute(text("SELECT 1"))
    return driver


@dataclass(frozen=True)
class DriverStatement:
    """A Core statement compiled once for asyncpg: its SQL, and its parameters in order (`late` ones given at
    each run, by name, the others fixed when compiled)."""

    sql: str
    names: tuple[str, ...]
    fixed: dict[str, Any]

    def arguments(self, late: dict[str, Any]) -> list[Any]:
        return [late[name] if name in late else self.fixed[name] for name in self.names]


def for_driver(stmt: Any) -> DriverStatement:
    """Compile a Core statement for asyncpg (positional $n parameters); unbound bindparam()s become late ones."""
    compiled = stmt.compile(dialect=_ASYNCPG_DIALECT)
    return DriverStatement(str(compiled), tuple(compiled.positiontup or ()), dict(compiled.params))


async def driver_fetch(session: AsyncSession, statement: DriverStatement, **late: Any) -> list[Any]:
    """The rows (asyncpg Records) of a compiled statement, run on the session's connection."""
    connection = await driver_connection(session)
    return list(await connection.fetch(statement.sql, *statement.arguments(late)))


async def driver_read(session: AsyncSession, statement: DriverStatement, **late: Any) -> list[Any]:
    """driver_fetch for a read that needs no transaction: while the session has not begun one (nothing read or
    written through it yet), a pooled connection is taken for this one statement and given straight back, and the
    session never checks one out. A list page that way skips the session's connection, transaction and commit:
    about 90 us of a page's 1.2-1.5 ms. At READ COMMITTED the statement sees what it would have seen in the
    session; once the session has begun a transaction the read runs in it, so it sees the request's own writes."""
    if session.in_transaction():
        return await driver_fetch(session, statement, **late)
    engine: Any = session.bind
    pooled = await engine.raw_connection()  # the app's pool: outage.check_alive's checks apply
    driver: Any = pooled.driver_connection
    try:
        if driver.is_closed():
            raise DatabaseUnreachable("the connection was closed under the request")
        rows = list(await driver.fetch(statement.sql, *statement.arguments(late)))
    except BaseException:  # closed, failed or cancelled mid-statement: dropped from the pool, never handed out again
        await greenlet_spawn(pooled.invalidate)
        raise
    await greenlet_spawn(pooled.close)
    return rows
