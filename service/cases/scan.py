"""Raise the flags of incidents recorded before duplicate detection existed (``ipcoord scan-duplicates``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.cases import flagging, repository

BATCH = 500


async def scan(sessions: async_sessionmaker[AsyncSession], *, limit: int | None = None) -> tuple[int, int]:
    """Re-derive every live incident's numbers and flags (the first ``limit`` by id), a batch per transaction;
    returns (incidents seen, open flags)."""
    seen = 0
    after = None
    while True:
        async with sessions() as session, session.begin():
            size = BATCH if limit is None else max(0, min(BATCH, limit - seen))
            batch = await repository.live_incidents(session, after, size)
            for incident in batch:
                await flagging.refresh(session, incident)
        if not batch:
            async with sessions() as session:
                return seen, await repository.open_flag_count(session)
        seen += len(batch)
        after = batch[-1].id
