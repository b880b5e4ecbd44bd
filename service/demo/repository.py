"""The demo's own statements: is it loaded, and back-dating a referral's events."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.demo.catalogue import DEMO_LABEL
from service.incidents.models import Incident
from service.referrals.models import ReferralEvent


async def demo_loaded(session: AsyncSession) -> bool:
    """True when an incident labelled as demo data is already stored."""
    labelled = Incident.payload["summary"].astext.contains(DEMO_LABEL, autoescape=True)
    return await session.scalar(select(Incident.id).where(labelled).limit(1)) is not None


async def events_after(session: AsyncSession, referral_id: uuid.UUID, moment: datetime) -> list[ReferralEvent]:
    """A referral's events stamped after `moment`."""
    undated = select(ReferralEvent).where(ReferralEvent.referral_id == referral_id, ReferralEvent.at > moment)
    return list(await session.scalars(undated))
