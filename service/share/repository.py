"""Every statement on `share_partners`."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.share.models import SharePartner


async def get(db: AsyncSession, partner_id: uuid.UUID) -> SharePartner | None:
    """One partner by id."""
    return await db.get(SharePartner, partner_id)


async def by_client_id(db: AsyncSession, client_id: str) -> SharePartner | None:
    """One partner by its client id."""
    return (await db.execute(select(SharePartner).where(SharePartner.client_id == client_id))).scalar_one_or_none()


async def list_all(db: AsyncSession) -> list[SharePartner]:
    """Every partner, revoked ones included, by name."""
    return list((await db.execute(select(SharePartner).order_by(SharePartner.name))).scalars())


def add(db: AsyncSession, partner: SharePartner) -> None:
    """Stage a new partner in the request's transaction."""
    db.add(partner)
