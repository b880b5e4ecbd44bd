"""Alembic environment: async engine, URL from settings (or the caller), metadata from all models."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from service.all_models import metadata
from service.db import async_url, field_key

config = context.config
target_metadata = metadata
# Migrations that seal or open encrypted columns read the process's key from here (service.db.SealedString).
config.attributes.setdefault("field_key", field_key)


def _database_url() -> str:
    url = config.attributes.get("database_url")  # set by service.migrate and the tests
    if url:
        return async_url(url)
    from service.settings import Settings

    settings = Settings.from_env()
    if not settings.database_url:
        raise SystemExit("DATABASE_URL is not set: run `ipcoord migrate`, which starts the embedded database")
    return async_url(settings.database_url)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(_database_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(_run_async())
