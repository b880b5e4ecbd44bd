"""`ipcoord backup FILE` and `ipcoord restore FILE`: the database (pg_dump of the server's own major version) and
the attachments folder in one checked archive, and back (docs/operations.md).

The dump is one snapshot (pg_dump runs in a single repeatable-read transaction), taken before the attachments are
copied: attachments are stored by content hash and never changed, so every file a dumped row names is in the folder
when it is copied (a file added meanwhile is carried along, unnamed, and harmless).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from service import migrate
from service.backup import archive, pgtools
from service.settings import Settings

_DUMP_TIMEOUT = 6 * 3600


class RestoreRefused(Exception):
    """A restore that would lose or mix data, or cannot work; `part` names what is wrong."""

    def __init__(self, part: str, problem: str) -> None:
        super().__init__(f"{part}: {problem}")
        self.part = part


def _run(tool: Path, args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([str(tool), *args], env=env, capture_output=True, text=True, timeout=_DUMP_TIMEOUT)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{tool.name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _revision(database_url: str) -> str | None:
    with pgtools.connect(database_url) as connection:
        exists = connection.execute("SELECT to_regclass('public.alembic_version') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def backup(settings: Settings, target: Path) -> archive.Manifest:
    """Write one archive: a pg_dump of the database, the attachments folder, a manifest of SHA-256 sums."""
    url = settings.database_url or ""
    major = pgtools.server_major(url)
    pg_dump = pgtools.find_tool("pg_dump", major)
    conninfo, env = pgtools.libpq(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".ipcoord-backup-") as work:
        dump = Path(work) / archive.DUMP
        _run(
            pg_dump, ["--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", f"--dbname={conninfo}"], env
        )
        meta: dict[str, Any] = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "alembic_revision": _revision(url),
            "server_major": major,
        }
        members = [(archive.DUMP, dump), *archive.folder_files(settings.attachments_dir)]
        return archive.write(target, meta, members)


def _database_empty(database_url: str) -> bool:
    with pgtools.connect(database_url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
        ).fetchone()
    return row is not None and int(str(row[0])) == 0


def _folder_empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def check_target(settings: Settings, force: bool) -> None:
    """Refuse a database or attachments folder that holds anything, unless forced."""
    if force:
        return
    if not _database_empty(settings.database_url or ""):
        raise RestoreRefused("database", "the target database is not empty (use --force to replace it)")
    if not _folder_empty(settings.attachments_dir):
        raise RestoreRefused("attachments", f"{settings.attachments_dir} is not empty (use --force to replace it)")


def check_schema(manifest: archive.Manifest) -> None:
    """Refuse an archive whose schema this code does not know: made by a newer version of ipcoord."""
    revision = manifest.meta.get("alembic_revision")
    if revision is None:
        return
    scripts = ScriptDirectory.from_config(migrate.alembic_config("postgresql://unused"))
    try:
        known = scripts.get_revision(str(revision)) is not None
    except CommandError:
        known = False
    if not known:
        raise RestoreRefused(
            archive.MANIFEST,
            f"the archive's schema revision {revision} is newer than this code's ({migrate.head_revision()}): "
            "restore it with the version of ipcoord that made it, or a newer one",
        )


def _clear_database(database_url: str) -> None:
    with pgtools.connect(database_url) as connection:
        connection.execute("DROP SCHEMA IF EXISTS procrastinate CASCADE")
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")


def _set_aside(folder: Path) -> Path | None:
    """Move a non-empty attachments folder aside (nothing deleted silently); returns where it went."""
    if _folder_empty(folder):
        return None
    aside = folder.with_name(f"{folder.name}.replaced-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    folder.rename(aside)
    return aside


def restore(settings: Settings, source: Path, *, force: bool = False) -> archive.Manifest:
    """Check the whole archive, restore the database and the attachments, then migrate to head."""
    url = settings.database_url or ""
    check_target(settings, force)
    pg_restore = pgtools.find_tool("pg_restore", pgtools.server_major(url))
    folder = settings.attachments_dir
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".ipcoord-restore-") as work:
        manifest = archive.extract(source, Path(work))
        check_schema(manifest)
        if force:
            _clear_database(url)
            _set_aside(folder)
        conninfo, env = pgtools.libpq(url)
        args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", f"--dbname={conninfo}"]
        _run(pg_restore, [*args, str(Path(work) / archive.DUMP)], env)
        restored = Path(work) / archive.ATTACHMENTS
        if restored.is_dir():
            if folder.exists():
                folder.rmdir()  # empty: checked above, or set aside
            shutil.move(str(restored), str(folder))
    migrate.upgrade(url)
    return manifest
