"""The audit retention job: once a day, delete the rows older than AUDIT_RETENTION_DAYS at the chain's oldest end."""

from __future__ import annotations

from procrastinate import JobContext

from service.audit.service import prune
from service.db import transaction
from service.jobs import QUEUE, app, runtime_of

PRUNE = "audit.prune"


# Daily at 20:10 UTC, 03:10 in Asia/Ho_Chi_Minh, after the personal-data retention job.
@app.periodic(cron="10 20 * * *", queueing_lock=PRUNE)
@app.task(name=PRUNE, queue=QUEUE, pass_context=True)
async def prune_audit(context: JobContext, timestamp: int | None = None) -> None:
    """Prune the audit trail's oldest end, recording the new anchor (service.audit.service.prune)."""
    shared = runtime_of(context)
    async with transaction(shared.sessions) as session:
        await prune(session, shared.settings.audit_retention_days)
