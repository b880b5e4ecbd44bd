"""The retention job: once a day, anonymise the personal data of violators in closed cases past their rule."""

from __future__ import annotations

from procrastinate import JobContext

from service.clock import now
from service.jobs import QUEUE, app, runtime_of
from service.retention.rules import RetentionRules
from service.retention.service import anonymise_due as sweep

ANONYMISE_DUE = "retention.anonymise_due"


# Daily at 19:30 UTC, 02:30 in Asia/Ho_Chi_Minh: a quiet hour, and each window is a short transaction anyway.
@app.periodic(cron="30 19 * * *", queueing_lock=ANONYMISE_DUE)
@app.task(name=ANONYMISE_DUE, queue=QUEUE, pass_context=True)
async def anonymise_due(context: JobContext, timestamp: int | None = None) -> None:
    """Anonymise every incident due now (service.retention.service.anonymise_due), window by window."""
    shared = runtime_of(context)
    settings = shared.settings
    await sweep(shared.sessions, RetentionRules.of(settings.retention_years), now(), batch=settings.retention_batch)
