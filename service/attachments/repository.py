"""The attachments' statements."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.attachments.models import Attachment


async def of_incident(session: AsyncSession, incident_id: uuid.UUID) -> list[Attachment]:
    """The incident's attachments, oldest first."""
    stmt = (
        select(Attachment).where(Attachment.incident_id == incident_id).order_by(Attachment.created_at, Attachment.id)
    )
    return list(await session.scalars(stmt))


async def one_of_incident(session: AsyncSession, incident_id: uuid.UUID, attachment_id: uuid.UUID) -> Attachment | None:
    stmt = select(Attachment).where(Attachment.id == attachment_id, Attachment.incident_id == incident_id)
    return (await session.scalars(stmt)).one_or_none()
