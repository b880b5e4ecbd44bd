"""The exports' statements: a list's rows streamed in partitions, and the referral queue without its limit."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.referrals import repository as referral_repository
from service.referrals.models import Referral
from service.referrals.repository import QueueFilters


async def partitions(
    session: AsyncSession, stmt: Select[*tuple[Any, ...]], size: int
) -> AsyncIterator[Sequence[Row[*tuple[Any, ...]]]]:
    """The statement's rows streamed from a server-side cursor, `size` at a time."""
    result = await session.stream(stmt.execution_options(yield_per=size))
    async for partition in result.partitions():
        yield partition


def referral_statement(agency_id: uuid.UUID | None, box: str, filters: QueueFilters) -> Select[Referral, str, str]:
    """The queue's statement (GET /api/referrals/inbox, /outbox, /overdue) without its row limit."""
    stmt = referral_repository.with_names(select(Referral))
    if agency_id is not None:
        column = Referral.from_agency_id if box == "outbox" else Referral.to_agency_id
        stmt = stmt.where(column == agency_id)
    return referral_repository.filtered(stmt, filters).limit(None)
