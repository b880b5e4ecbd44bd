"""Every exchange query."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.exchange import ExchangeAgencyOut
from service.auth.models import Agency
from service.exchange.models import ExchangePartner


async def accepting_agencies(session: AsyncSession, today: date) -> list[Agency]:
    """This node's own agencies in force today (partner agencies, coded NODE:CODE, are not offered on)."""
    stmt = (
        select(Agency)
        .where(Agency.valid_from <= today, (Agency.valid_to.is_(None)) | (Agency.valid_to >= today))
        .where(Agency.code.not_like("%:%"))
        .order_by(Agency.code)
    )
    return list(await session.scalars(stmt))


async def partner_by_node(session: AsyncSession, node_id: str) -> ExchangePartner | None:
    """The partner with this node id, locked while it is re-pinned."""
    stmt = select(ExchangePartner).where(ExchangePartner.node_id == node_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def partner_by_fingerprint(session: AsyncSession, fingerprint: str) -> ExchangePartner | None:
    """The partner whose pinned key has this fingerprint (a message's `kid`)."""
    return (
        await session.scalars(select(ExchangePartner).where(ExchangePartner.fingerprint == fingerprint))
    ).one_or_none()


async def upsert_external_agencies(
    session: AsyncSession, node_id: str, agencies: list[ExchangeAgencyOut], today: date
) -> None:
    """The partner's agencies as agencies coded NODE:CODE, selectable as referral receivers."""
    if not agencies:
        return
    rows = [
        {"code": f"{node_id}:{a.code}", "name_vi": a.name_vi, "name_en": a.name_en, "valid_from": today}
        for a in agencies
    ]
    stmt = insert(Agency).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["code"], set_={"name_vi": stmt.excluded.name_vi, "name_en": stmt.excluded.name_en}
    )
    await session.execute(stmt)
