"""The incident pages' own statements: the thresholds for the form, my incidents, the criminal referrals and the
referrals about one incident the reader may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency
from service.auth.principal import Principal
from service.incidents import repository as incidents
from service.incidents.models import CrimeThreshold, Incident
from service.referrals import repository as referrals
from service.referrals.models import Referral


async def thresholds(session: AsyncSession) -> list[CrimeThreshold]:
    """Every crime threshold, by article and measure."""
    return list(await session.scalars(select(CrimeThreshold).order_by(CrimeThreshold.article, CrimeThreshold.measure)))


async def recorded_by_me(
    session: AsyncSession, principal: Principal, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[Incident]:
    """Up to `limit` incidents the caller recorded, newest first, recorded before the cursor's (recorded_at, id)."""
    stmt = incidents.visible_to(principal).where(Incident.recorded_by_id == principal.user_id)
    if after is not None:
        at, ident = after
        stmt = stmt.where(or_(Incident.recorded_at < at, and_(Incident.recorded_at == at, Incident.id < ident)))
    stmt = stmt.order_by(Incident.recorded_at.desc(), Incident.id.desc()).limit(limit)
    return list(await session.scalars(stmt))


async def referrals_of_type_to(
    session: AsyncSession, principal: Principal, incident_ids: Sequence[uuid.UUID], kind: str, agency_code: str
) -> list[Referral]:
    """The visible referrals of this type to this agency about these incidents."""
    to_agency = select(Agency.id).where(Agency.code == agency_code).scalar_subquery()
    stmt = (
        referrals.visible_to(principal)
        .where(Referral.incident_id.in_(incident_ids), Referral.type == kind)
        .where(Referral.to_agency_id == to_agency)
    )
    return list(await session.scalars(stmt))


async def referrals_about(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> list[Referral]:
    """The referrals about this incident the reader may see (sent or received by their agency), oldest first."""
    stmt = referrals.visible_to(principal).where(Referral.incident_id == incident_id)
    return list(await session.scalars(stmt.order_by(Referral.sent_at)))
