"""The share package's statements: `share_partners` here, the datasets' selects in datasets.py, OData options
turned into statements in odata.py."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
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


async def dataset_rows(db: AsyncSession, page: Select[Any]) -> list[dict[str, Any]]:
    """A page of a dataset's rows, each as a mapping of column name to value."""
    return [dict(r) for r in (await db.execute(page)).mappings()]


async def dataset_count(db: AsyncSession, counter: Select[Any]) -> int:
    """The number of rows a dataset's options match ($count)."""
    return int((await db.execute(counter)).scalar_one())
