"""Every call of a known partner recorded (answered or refused), and the per-partner rate limit.

The access row is written in a transaction of its own, so a refusal's rollback keeps it. The limit counts calls
in fixed one-minute windows in `store_items` (one atomic upsert per call), so every app instance shares it.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from litestar.exceptions import HTTPException
from sqlalchemy.ext.asyncio import AsyncSession

from service.db import in_own_transaction
from service.errors import AppError
from service.share.models import ShareAccess, SharePartner
from service.share.repository import calls

WINDOW_SECONDS = 60


class TooManyCalls(AppError):
    """The partner made more calls this minute than its limit."""

    status = 429
    code = "share.rate_limited"


@dataclass
class Call:
    """What one partner call asked and got, filled in as the call goes."""

    path: str
    query: dict[str, str] = field(default_factory=dict)
    partner_id: uuid.UUID | None = None
    dataset: str | None = None
    rows: int | None = None
    via: str = "token"


def _entry(call: Call, status: int, code: str | None) -> ShareAccess:
    assert call.partner_id is not None  # noqa: S101 - only known partners are recorded
    return ShareAccess(
        partner_id=call.partner_id,
        path=call.path[:200],
        dataset=call.dataset[:60] if call.dataset else None,
        query={k[:40]: v[:2000] for k, v in call.query.items()},
        rows=call.rows,
        status=status,
        code=code,
        via=call.via,
    )


async def _write(db: AsyncSession, call: Call, status: int, code: str | None) -> None:
    if call.partner_id is None:
        return  # an unknown client or a forged token names no partner to record it against
    entry = _entry(call, status, code)

    async def work(own: AsyncSession) -> None:
        await calls.record_access(own, entry)

    await in_own_transaction(db, work)


@asynccontextmanager
async def recorded(db: AsyncSession, call: Call) -> AsyncIterator[Call]:
    """Record the call when it ends: 200 with its rows, or the refusal's status and code."""
    try:
        yield call
    except AppError as exc:
        await _write(db, call, exc.status, exc.code)
        raise
    except HTTPException as exc:
        await _write(db, call, exc.status_code, None)
        raise
    await _write(db, call, 200, None)


async def check_rate(db: AsyncSession, partner: SharePartner, default_limit: int, now: float | None = None) -> None:
    """Count this call in the partner's minute; past its limit a 429 saying when the minute ends."""
    moment = time.time() if now is None else now
    window = int(moment // WINDOW_SECONDS)
    window_end = datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, UTC)
    limit = partner.rate_limit or default_limit

    async def work(own: AsyncSession) -> int:
        return await calls.count_call(own, partner.id, window, window_end)

    made: int = await in_own_transaction(db, work)
    if made > limit:
        retry = max(1, math.ceil((window + 1) * WINDOW_SECONDS - moment))
        raise TooManyCalls(limit=limit, retry=retry, headers={"Retry-After": str(retry)})
