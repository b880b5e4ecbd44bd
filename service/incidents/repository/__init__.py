"""The incidents' statements; every read starts from visible_to(principal). The list's filters are in filters.py, its
statement in lists.py, the reference numbers' in references.py."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency, User
from service.auth.principal import Principal
from service.incidents.models import CrimeThreshold, IdempotencyKey, Incident, IncidentEvent
from service.referrals.models import Referral


def visible_to(principal: Principal) -> Select[Incident]:
    """Incidents the principal may read: all for coordinators, else their agency's and those referred to it."""
    stmt = select(Incident)
    if principal.sees_all_agencies:
        return stmt
    referred = select(Referral.incident_id).where(Referral.to_agency_id == principal.agency_id)
    return stmt.where(or_(Incident.agency_id == principal.agency_id, Incident.id.in_(referred)))


async def get_visible(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Incident | None:
    """One incident if the principal may read it."""
    return (await session.scalars(visible_to(principal).where(Incident.id == incident_id))).one_or_none()


async def get_for_update(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Incident | None:
    """One visible incident, locked for a correction."""
    stmt = visible_to(principal).where(Incident.id == incident_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def add_event(
    session: AsyncSession,
    incident: Incident,
    *,
    action: str,
    actor_id: uuid.UUID | None,
    reason: str | None = None,
    changes: dict[str, Any] | None = None,
) -> IncidentEvent:
    """Append one entry to the incident's history (in the caller's transaction)."""
    event = IncidentEvent(
        incident_id=incident.id,
        version=incident.version,
        action=action,
        actor_id=actor_id,
        reason=reason,
        changes=changes or {},
    )
    session.add(event)
    return event


async def list_events(session: AsyncSession, incident_id: uuid.UUID) -> list[IncidentEvent]:
    """The incident's history, oldest first."""
    stmt = select(IncidentEvent).where(IncidentEvent.incident_id == incident_id).order_by(IncidentEvent.id)
    return list(await session.scalars(stmt))


async def get_idempotency_key(session: AsyncSession, user_id: uuid.UUID, key: str) -> IdempotencyKey | None:
    """A key this user sent before."""
    stmt = select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    return (await session.scalars(stmt)).one_or_none()


def with_names(stmt: Select[Incident]) -> Select[Incident, str, str]:
    """The statement with the recording agency's code and the recorder's user name."""
    return (
        stmt.join(Agency, Agency.id == Incident.agency_id)
        .join(User, User.id == Incident.recorded_by_id)
        .add_columns(Agency.code, User.username)
    )


async def visible_with_names(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Any:
    """(incident, agency code, recorder's user name) of a visible incident, or None."""
    stmt = with_names(visible_to(principal)).where(Incident.id == incident_id)
    return (await session.execute(stmt)).one_or_none()


async def visible_among(session: AsyncSession, principal: Principal, ids: set[uuid.UUID]) -> list[Incident]:
    """The incidents among `ids` the reader may see."""
    return list(await session.scalars(visible_to(principal).where(Incident.id.in_(ids))))


async def get_incident(session: AsyncSession, incident_id: uuid.UUID) -> Incident | None:
    return await session.get(Incident, incident_id)


async def agency_code(session: AsyncSession, agency_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Agency.code).where(Agency.id == agency_id))


async def username(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    return await session.scalar(select(User.username).where(User.id == user_id))


async def history_rows(session: AsyncSession, incident_id: uuid.UUID) -> list[tuple[IncidentEvent, str | None]]:
    """Every event of an incident with its actor's user name (none: the system), oldest first."""
    stmt = (
        select(IncidentEvent, User.username)
        .outerjoin(User, User.id == IncidentEvent.actor_id)
        .where(IncidentEvent.incident_id == incident_id)
        .order_by(IncidentEvent.id)
    )
    return [(event, name) for event, name in (await session.execute(stmt)).all()]


async def crime_thresholds(session: AsyncSession) -> list[CrimeThreshold]:
    return list(await session.scalars(select(CrimeThreshold)))
