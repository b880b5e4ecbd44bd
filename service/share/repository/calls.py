"""The partners' calls: the access log (`share_access`) and the rate-limit counters in `store_items`."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import StoreItem
from service.share.models import ShareAccess


async def record_access(db: AsyncSession, entry: ShareAccess) -> None:
    """Write one access row (the caller runs this in a transaction of its own)."""
    db.add(entry)
    await db.flush()


async def access_page(
    db: AsyncSession, partner_id: uuid.UUID, before: int | None, size: int
) -> tuple[list[ShareAccess], int | None]:
    """A partner's calls, newest first, `size` at a time before the id `before`; and the next page's `before`."""
    statement = select(ShareAccess).where(ShareAccess.partner_id == partner_id)
    if before is not None:
        statement = statement.where(ShareAccess.id < before)
    rows = list((await db.execute(statement.order_by(ShareAccess.id.desc()).limit(size + 1))).scalars())
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


# Rate-limit counters, shared by every app instance.

RATE_NAMESPACE = "share_rate"


async def count_call(db: AsyncSession, partner_id: uuid.UUID, window: int, window_end: datetime) -> int:
    """Add one call to the partner's counter of this window (one atomic upsert) and return the calls so far."""
    key = f"{partner_id}:{window}"
    counted = func.convert_from(StoreItem.value, "UTF8").cast(Integer) + 1
    statement = (
        insert(StoreItem)
        .values(key=key, namespace=RATE_NAMESPACE, value=b"1", expires_at=window_end)
        .on_conflict_do_update(
            constraint="uq_store_items_key_namespace",
            set_={"value": func.convert_to(counted.cast(String), "UTF8")},
        )
        .returning(func.convert_from(StoreItem.value, "UTF8").cast(Integer))
    )
    calls = int((await db.execute(statement)).scalar_one())
    if calls == 1:  # a new window: forget this partner's ended ones
        await db.execute(
            delete(StoreItem).where(
                StoreItem.namespace == RATE_NAMESPACE,
                StoreItem.key.startswith(f"{partner_id}:"),
                StoreItem.key != key,
                StoreItem.expires_at < func.now(),
            )
        )
    return calls


async def prune_access(db: AsyncSession, before: datetime) -> int:
    """Delete the access rows older than `before`; the number deleted."""
    result = await db.execute(delete(ShareAccess).where(ShareAccess.at < before))
    return int(getattr(result, "rowcount", 0) or 0)
