"""The data version's upkeep: every hour, fold the change rows the maps' trigger left into one.

Each statement that writes incidents, sanction decisions or agencies adds a row (docs/maps.md), and a map view
sums them. Storing a map answer folds them too, but a province whose coordinators open no map for weeks would
otherwise let them grow by one row per write and every first view after pay for summing them all.
"""

from __future__ import annotations

from procrastinate import JobContext

from service.db import transaction
from service.jobs import QUEUE, app, runtime_of
from service.map_views.repository import fold_changes

FOLD = "maps.fold_changes"


# Hourly, at minute 50 (away from the quarter-hour sweeps).
@app.periodic(cron="50 * * * *", queueing_lock=FOLD)
@app.task(name=FOLD, queue=QUEUE, pass_context=True)
async def fold_map_changes(context: JobContext, timestamp: int | None = None) -> None:
    """Fold the data version's change rows into one (service.map_views.repository.fold_changes)."""
    async with transaction(runtime_of(context).sessions) as session:
        await fold_changes(session)
