"""Running and checking Alembic migrations from code (CLI, start-up check, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations
from service.db import current_revision

MIGRATIONS_DIR = Path(migrations.__file__).parent


class NotMigrated(RuntimeError):
    """The database schema is not at the code's head revision."""


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at our migrations and this database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    return config


def head_revision() -> str:
    """The newest revision in the code."""
    head = ScriptDirectory.from_config(alembic_config("postgresql://unused")).get_current_head()
    if head is None:
        raise NotMigrated("no migration scripts found in " + str(MIGRATIONS_DIR))
    return head


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to `revision` (runs its own event loop: call outside one)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Migrate the database down to `revision`."""
    command.downgrade(alembic_config(database_url), revision)


async def check_migrated(engine: AsyncEngine) -> None:
    """Refuse to serve a database whose schema is not at head, with the fix in the message."""
    async with engine.connect() as connection:
        current = await current_revision(connection)
    head = head_revision()
    if current != head:
        raise NotMigrated(
            f"The database schema is at revision {current or 'none (empty database)'}, but this code needs "
            f"{head}. Run `ipcoord migrate` (or `alembic upgrade head`) before starting the service."
        )
