"""Builders for reminder and notification tests: referrals with chosen clocks, people with an address."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.auth.models import Agency, User
from service.clock import now
from service.notifications.delivery import Channels, RetryPolicy
from service.notifications.email import Mailer
from service.notifications.models import NotificationContact
from service.referrals.models import Referral
from tests.builders import make_incident, make_user
from tests.conftest import TEST_SECRET


async def agency_id(db: AsyncSession, code: str) -> Any:
    """The id of a seeded agency."""
    return (await db.scalars(select(Agency.id).where(Agency.code == code))).one()


async def make_referral(
    db: AsyncSession,
    *,
    due_on: date | None,
    to: str = "CA",
    status: str = "acknowledged",
    ack_due_on: date | None = None,
) -> Referral:
    """A referral from QLTT, stored directly with the clocks given."""
    sender = await make_user(db, agency="QLTT", role="agency_staff")
    incident = await make_incident(db, sender)
    referral = Referral(
        incident_id=incident.id,
        from_agency_id=sender.agency_id,
        to_agency_id=await agency_id(db, to),
        type="PHOI_HOP_XAC_MINH",
        status=status,
        version=1,
        message="",
        attachment_ids=[],
        sent_at=now(),
        sent_by_id=sender.id,
        due_on=due_on,
        due_rule="joint_verification" if due_on else None,
        ack_due_on=ack_due_on,
    )
    db.add(referral)
    await db.commit()
    return referral


async def make_person(db: AsyncSession, email: str, *, agency: str = "CA", role: str = "agency_staff") -> User:
    """A user who receives notifications at `email`."""
    user = await make_user(db, agency=agency, role=role)
    db.add(NotificationContact(user_id=user.id, email=email))
    await db.commit()
    return user


def channels(http: httpx.AsyncClient, smtp_port: int | None = None, **policy: Any) -> Channels:
    """Delivery channels to the loopback receivers (no STARTTLS on the test server)."""
    mailer = Mailer("127.0.0.1", smtp_port, sender="ipcoord@test.invalid", starttls=False) if smtp_port else None
    return Channels(secret_key=TEST_SECRET, http=http, mailer=mailer, policy=RetryPolicy(**policy))


def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions of their own, as each worker run opens."""
    return async_sessionmaker(engine, expire_on_commit=False)
