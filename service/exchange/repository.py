"""Every exchange query."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency


async def accepting_agencies(session: AsyncSession, today: date) -> list[Agency]:
    """This node's own agencies in force today (partner agencies, coded NODE:CODE, are not offered on)."""
    stmt = (
        select(Agency)
        .where(Agency.valid_from <= today, (Agency.valid_to.is_(None)) | (Agency.valid_to >= today))
        .where(Agency.code.not_like("%:%"))
        .order_by(Agency.code)
    )
    return list(await session.scalars(stmt))
