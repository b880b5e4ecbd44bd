"""Raise the flags of incidents recorded before duplicate detection existed (``ipcoord scan-duplicates``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schemas.codes import WITHDRAWN
from service.cases import flagging
from service.cases.queries import open_flag_count
from service.incidents.models import Incident

BATCH = 500


async def scan(sessions: async_sessionmaker[AsyncSession], *, limit: int | None = None) -> tuple[int, int]:
    """Re-derive every live incident's numbers and flags (the first ``limit`` by id), a batch per transaction;
    returns (incidents seen, open flags)."""
    seen = 0
    after = None
    while True:
        async with sessions() as session, session.begin():
            size = BATCH if limit is None else max(0, min(BATCH, limit - seen))
            stmt = select(Incident).where(Incident.status != WITHDRAWN).order_by(Incident.id).limit(size)
            if after is not None:
                stmt = stmt.where(Incident.id > after)
            batch = list(await session.scalars(stmt))
            for incident in batch:
                await flagging.refresh(session, incident)
        if not batch:
            async with sessions() as session:
                return seen, await open_flag_count(session)
        seen += len(batch)
        after = batch[-1].id
