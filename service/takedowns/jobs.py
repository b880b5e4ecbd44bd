"""The takedown-clock sweep job: overdue marks, escalations and reminders, every 15 minutes."""

from __future__ import annotations

import logging

from procrastinate import JobContext

from service.clock import now
from service.db import transaction
from service.jobs import QUEUE, app, defer_now, runtime_of
from service.takedowns.reminders import run_sweeps

log = logging.getLogger("ipcoord.jobs")
SWEEP = "takedowns.sweep_clocks"


@app.periodic(cron="*/15 * * * *", queueing_lock=SWEEP)
@app.task(name=SWEEP, queue=QUEUE, pass_context=True)
async def sweep_clocks(context: JobContext, timestamp: int | None = None) -> None:
    """Mark overdue requests, queue escalations and reminders in the outbox, then have it delivered."""
    shared = runtime_of(context)
    async with transaction(shared.sessions) as session:
        counts = await run_sweeps(session, now())
    log.info("takedown sweep queued %s", counts)
    await defer_now("notifications.deliver")
