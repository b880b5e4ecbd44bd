"""The referral-clock sweep job: reminders, escalations and digests, every 15 minutes."""

from __future__ import annotations

import logging

from procrastinate import JobContext

from service.clock import now
from service.db import transaction
from service.jobs import QUEUE, app, defer_now, runtime_of
from service.referrals.reminders import run_sweeps

log = logging.getLogger("ipcoord.jobs")
SWEEP = "referrals.sweep_clocks"


# Every 15 minutes. The tick at 00:00 UTC is 07:00 in Asia/Ho_Chi_Minh (no daylight saving), the digest hour;
# later ticks of the day catch up on a digest missed while no worker ran.
@app.periodic(cron="*/15 * * * *", queueing_lock=SWEEP)
@app.task(name=SWEEP, queue=QUEUE, pass_context=True)
async def sweep_clocks(context: JobContext, timestamp: int | None = None) -> None:
    """Queue due reminders, escalations and digests in the outbox, then have it delivered."""
    shared = runtime_of(context)
    async with transaction(shared.sessions) as session:
        counts = await run_sweeps(session, now(), days_before=shared.settings.reminder_days_before)
    log.info("sweep queued %s", counts)
    await defer_now("notifications.deliver")
