"""The outbox delivery job: every minute, and right after each sweep."""

from __future__ import annotations

import logging

from procrastinate import JobContext

from service.clock import now
from service.jobs import QUEUE, app, runtime_of
from service.notifications.delivery import Channels, deliver_pending

log = logging.getLogger("ipcoord.jobs")
DELIVER = "notifications.deliver"


@app.periodic(cron="* * * * *", queueing_lock=DELIVER)
@app.task(name=DELIVER, queue=QUEUE, pass_context=True)
async def deliver(context: JobContext, timestamp: int | None = None) -> None:
    """Send every outbox message that is due (each in a transaction of its own, so any worker may run this)."""
    shared = runtime_of(context)
    if not isinstance(shared.channels, Channels):
        raise TypeError("the worker's runtime carries no delivery channels (service.worker.runtime)")
    async with shared.sessions() as session:
        report = await deliver_pending(session, now(), shared.channels)
    if report.sent or report.retried or report.dead:
        log.info("delivered %s, to retry %s, dead %s", report.sent, report.retried, report.dead)
