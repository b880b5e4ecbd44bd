"""The statements of incidents' external reference numbers."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.incidents.models import IncidentReference


async def delete_refs(session: AsyncSession, incident_id: uuid.UUID) -> None:
    await session.execute(delete(IncidentReference).where(IncidentReference.incident_id == incident_id))


async def carrying(session: AsyncSession, incident_id: uuid.UUID, kind: str, key: str, limit: int) -> list[uuid.UUID]:
    """Up to `limit` other incidents carrying this number (same kind, same folded number)."""
    stmt = (
        select(IncidentReference.incident_id)
        .where(IncidentReference.kind == kind, IncidentReference.number_key == key)
        .where(IncidentReference.incident_id != incident_id)
        .limit(limit)
    )
    return list(await session.scalars(stmt))
