"""Database plumbing: the declarative base, URL handling and the advanced-alchemy config."""

from __future__ import annotations

from advanced_alchemy.base import orm_registry
from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from litestar.di import NamedDependency
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

# advanced-alchemy's registry carries a naming convention, so constraint names are stable across
# migrations; every model (ours, and its session/store mixins) shares this one metadata.
metadata = orm_registry.metadata

CONNECT_TIMEOUT_SECONDS = 5
POOL_TIMEOUT_SECONDS = 10  # a request waiting longer than this for a pooled connection gets a 503

# The request's session, injected by name by advanced-alchemy's plugin.
DbSession = NamedDependency[AsyncSession]


def async_url(url: str) -> str:
    """The given PostgreSQL URL with the asyncpg driver, whatever scheme it was written with."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"ipcoord needs PostgreSQL, not {parsed.get_backend_name()!r}")
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def alchemy_config(database_url: str, pool_size: int) -> SQLAlchemyAsyncConfig:
    """One async engine per process; the request is the transaction (commit on 2xx/3xx)."""
    return SQLAlchemyAsyncConfig(
        connection_string=async_url(database_url),
        metadata=metadata,
        create_all=False,
        before_send_handler="autocommit",
        session_config=AsyncSessionConfig(expire_on_commit=False),
        # Pre-ping (one short round trip per checkout) so the first request after a database restart gets a
        # fresh connection instead of failing on a dead pooled one; a server that stays away surfaces as a 503
        # (service/outage.py). A connection attempt gives up after CONNECT_TIMEOUT_SECONDS, not asyncpg's 60 s.
        engine_config=EngineConfig(
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=1800,
            pool_pre_ping=True,
            pool_timeout=POOL_TIMEOUT_SECONDS,
            connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
        ),
    )


async def current_revision(connection: AsyncConnection) -> str | None:
    """The Alembic revision the database is at, or None when it was never migrated."""
    exists = await connection.scalar(text("SELECT to_regclass('public.alembic_version') IS NOT NULL"))
    if not exists:
        return None
    revision: str | None = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    return revision
