"""The job queue: procrastinate's tables and functions, in a PostgreSQL schema of their own.

The SQL is procrastinate's own (`SchemaManager.get_schema()`) for the version pinned in pyproject.toml.
A separate schema keeps its tables out of the service's metadata comparisons; the worker's connections
set `search_path` to it (service/jobs.py). Upgrading procrastinate past the pin needs a migration that
applies its files under `procrastinate/sql/migrations` in this schema.

Revision ID: 3f1b7c9d2e40
Revises: eac2d1e5f503
Create Date: 2026-11-25 12:10:00
"""

from collections.abc import Sequence

from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.util import await_only

revision: str = "3f1b7c9d2e40"
down_revision: str | None = "eac2d1e5f503"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "procrastinate"


def _run_script(sql: str) -> None:
    """Run a multi-statement script in the migration's transaction (asyncpg prepares single statements only)."""
    driver_connection = op.get_bind().connection.dbapi_connection.driver_connection  # type: ignore[union-attr]
    await_only(driver_connection.execute(sql))


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(f"CREATE SCHEMA {SCHEMA}")
    op.execute(f"SET LOCAL search_path TO {SCHEMA}")
    _run_script(SchemaManager.get_schema())
    op.execute("RESET search_path")  # back to the connection's own, for Alembic's version table


def downgrade() -> None:
    op.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
