"""The access log's retention: once a day, delete the partner calls older than AUDIT_RETENTION_DAYS (system logs
are kept at least twelve months, Decree 53/2022/NĐ-CP art. 26, as the audit trail is)."""

from __future__ import annotations

from procrastinate import JobContext

from service.jobs import QUEUE, app, runtime_of
from service.share import service

PRUNE = "share.prune_access"


# Daily at 20:20 UTC, 03:20 in Asia/Ho_Chi_Minh, after the audit trail's own pruning.
@app.periodic(cron="20 20 * * *", queueing_lock=PRUNE)
@app.task(name=PRUNE, queue=QUEUE, pass_context=True)
async def prune_share_access(context: JobContext, timestamp: int | None = None) -> None:
    """Delete the access rows past the retention period (service.share.service.prune_access)."""
    shared = runtime_of(context)
    async with shared.sessions() as session, session.begin():
        await service.prune_access(session, shared.settings.audit_retention_days)
