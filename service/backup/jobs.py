"""The nightly backup: with BACKUP_DIR set, the worker writes one archive a night and keeps the last BACKUP_KEEP."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

from procrastinate import JobContext

from service.backup.service import backup
from service.jobs import QUEUE, app, runtime_of
from service.settings import Settings

log = logging.getLogger("ipcoord.backup")
NIGHTLY = "backup.nightly"
PREFIX = "ipcoord-"
SUFFIX = ".backup.tar"


def archive_name(at: datetime) -> str:
    """The file of the night's archive: sorting the names sorts them by time."""
    return f"{PREFIX}{at.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def remove_old(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` nightly archives (only files this job names); returns those removed."""
    archives = sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())
    old = archives[:-keep] if keep < len(archives) else []
    for path in old:
        path.unlink()
    return old


def take_nightly(settings: Settings, at: datetime) -> Path | None:
    """The night's archive in BACKUP_DIR (none when it is unset), then the oldest beyond BACKUP_KEEP removed."""
    if settings.backup_dir is None:
        return None
    target = settings.backup_dir / archive_name(at)
    if not target.exists():  # a tick run again the same second writes nothing new
        backup(settings, target)
    removed = remove_old(settings.backup_dir, settings.backup_keep)
    log.info("nightly backup %s written, %d old archives removed", target.name, len(removed))
    return target


# Daily at 20:40 UTC, 03:40 in Asia/Ho_Chi_Minh, after the retention and audit jobs.
@app.periodic(cron="40 20 * * *", queueing_lock=NIGHTLY)
@app.task(name=NIGHTLY, queue=QUEUE, pass_context=True)
async def nightly_backup(context: JobContext, timestamp: int | None = None) -> None:
    """Write the nightly archive (pg_dump and file copies run in a thread, off the worker's event loop)."""
    settings = runtime_of(context).settings
    at = datetime.fromtimestamp(timestamp, UTC) if timestamp else datetime.now(UTC)
    await asyncio.to_thread(take_nightly, settings, at)
