"""The referrals' statements; queues are scoped to the caller's agency (the sweeps' statements: sweeps.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, any_, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from service.attachments.models import Attachment
from service.auth.models import Agency, User
from service.auth.principal import Principal
from service.incidents.models import Incident
from service.referrals.models import MediationSession, Referral, ReferralEvent
from service.referrals.transitions import OPEN, Status

FromAgency = aliased(Agency)
ToAgency = aliased(Agency)


@dataclass(frozen=True)
class QueueFilters:
    """What a queue can be narrowed by."""

    status: str | None = None
    type: str | None = None
    due_before: date | None = None
    overdue_on: date | None = None  # only referrals overdue on this day
    limit: int = 100


def with_names(stmt: Select[Referral]) -> Select[Referral, str, str]:
    joined = stmt.join(FromAgency, FromAgency.id == Referral.from_agency_id).join(
        ToAgency, ToAgency.id == Referral.to_agency_id
    )
    return joined.add_columns(FromAgency.code, ToAgency.code)


def visible_to(principal: Principal) -> Select[Referral]:
    """Referrals the principal may read: sent or received by their agency; all for coordinators."""
    stmt = select(Referral)
    if principal.sees_all_agencies:
        return stmt
    return stmt.where(or_(Referral.from_agency_id == principal.agency_id, Referral.to_agency_id == principal.agency_id))


def overdue_condition(today: date) -> object:
    """Open, and either its legal clock or (while unacknowledged) its acknowledgement SLA has passed."""
    # Statuses as literals, not parameters, so a cached generic plan can still use the partial indexes.
    literals = ", ".join(f"'{status.value}'" for status in sorted(OPEN))
    open_statuses: ColumnElement[Any] = literal_column(f"ARRAY[{literals}]")
    late_ack = and_(Referral.status == literal_column(f"'{Status.SENT.value}'"), Referral.ack_due_on < today)
    # A decision clock paused while the receiver waits for the sender's information is not late.
    late_due = and_(Referral.due_on < today, Referral.information_requested_at.is_(None))
    return and_(Referral.status == any_(open_statuses), or_(late_due, late_ack))


def filtered(stmt: Select[Referral, str, str], filters: QueueFilters) -> Select[Referral, str, str]:
    if filters.status:
        stmt = stmt.where(Referral.status == filters.status)
    if filters.type:
        stmt = stmt.where(Referral.type == filters.type)
    if filters.due_before:
        stmt = stmt.where(Referral.due_on <= filters.due_before)
    if filters.overdue_on:
        stmt = stmt.where(overdue_condition(filters.overdue_on))  # type: ignore[arg-type]
    return stmt.order_by(Referral.due_on.asc().nulls_last(), Referral.sent_at.asc()).limit(filters.limit)


async def list_queue(
    session: AsyncSession, *, agency_id: uuid.UUID | None, incoming: bool, filters: QueueFilters
) -> list[tuple[Referral, str, str]]:
    """An agency's inbox (incoming) or outbox, or every referral (agency_id None), due first."""
    stmt = with_names(select(Referral))
    if agency_id is not None:
        column = Referral.to_agency_id if incoming else Referral.from_agency_id
        stmt = stmt.where(column == agency_id)
    rows = await session.execute(filtered(stmt, filters))
    return [(row[0], row[1], row[2]) for row in rows.all()]


async def get_named(
    session: AsyncSession, principal: Principal, referral_id: uuid.UUID
) -> tuple[Referral, str, str] | None:
    """One visible referral with its agencies' codes."""
    row = (await session.execute(with_names(visible_to(principal)).where(Referral.id == referral_id))).one_or_none()
    return (row[0], row[1], row[2]) if row else None


async def get_for_update(session: AsyncSession, referral_id: uuid.UUID) -> Referral | None:
    """One referral, locked until the end of the request's transaction."""
    stmt = select(Referral).where(Referral.id == referral_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def list_events(session: AsyncSession, referral_id: uuid.UUID) -> list[tuple[ReferralEvent, str | None]]:
    """A referral's timeline, oldest first, with each actor's username."""
    stmt = (
        select(ReferralEvent, User.username)
        .outerjoin(User, User.id == ReferralEvent.actor_id)
        .where(ReferralEvent.referral_id == referral_id)
        .order_by(ReferralEvent.id)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def locked_open(session: AsyncSession) -> list[Referral]:
    """Every open referral, locked, by id (one lock order for concurrent amendments)."""
    stmt = select(Referral).where(Referral.status.in_([s.value for s in OPEN])).order_by(Referral.id).with_for_update()
    return list(await session.scalars(stmt))


async def attachment_ids(session: AsyncSession, incident_id: uuid.UUID) -> set[uuid.UUID]:
    """The ids of the incident's attachments."""
    return set(await session.scalars(select(Attachment.id).where(Attachment.incident_id == incident_id)))


async def attachments_by_hash(
    session: AsyncSession, incident_id: uuid.UUID, hashes: list[str]
) -> dict[str, Attachment]:
    """The incident's attachments with these SHA-256 hashes (the first stored of each)."""
    stmt = (
        select(Attachment)
        .where(Attachment.incident_id == incident_id, Attachment.sha256.in_(hashes))
        .order_by(Attachment.id)
    )
    found: dict[str, Attachment] = {}
    for attachment in await session.scalars(stmt):
        found.setdefault(attachment.sha256, attachment)
    return found


async def visible_about(session: AsyncSession, principal: Principal, incident_ids: list[uuid.UUID]) -> list[Any]:
    """(referral, sender's code, receiver's code) of the visible referrals about these incidents, oldest first."""
    stmt = with_names(visible_to(principal)).where(Referral.incident_id.in_(incident_ids))
    return list((await session.execute(stmt.order_by(Referral.sent_at))).all())


async def incident_of(session: AsyncSession, referral: Referral) -> Incident | None:
    return await session.get(Incident, referral.incident_id)


async def receiver_of(session: AsyncSession, referral: Referral) -> Agency | None:
    return await session.get(Agency, referral.to_agency_id)


async def mediation_sessions(
    session: AsyncSession, referral_id: uuid.UUID
) -> list[tuple[MediationSession, str | None]]:
    """The sessions of a mediation referral, in the order they were held, with who recorded each."""
    stmt = (
        select(MediationSession, User.username)
        .outerjoin(User, User.id == MediationSession.recorded_by_id)
        .where(MediationSession.referral_id == referral_id)
        .order_by(MediationSession.held_on, MediationSession.id)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]
