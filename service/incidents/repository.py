"""Every incident query lives here; every read starts from visible_to(principal)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.db import driver_connection
from service.incidents.models import IdempotencyKey, Incident, IncidentEvent
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


_EARLIER_SUBMISSION = "SELECT request_sha256, incident_id FROM idempotency_keys WHERE user_id = $1 AND key = $2"


async def earlier_submission(session: AsyncSession, user_id: uuid.UUID, key: str) -> tuple[str, uuid.UUID] | None:
    """(digest, incident id) of what this user sent before with this Idempotency-Key, if anything (every recording
    asks: straight to the driver, service/db.py)."""
    connection = await driver_connection(session)
    row = await connection.fetchrow(_EARLIER_SUBMISSION, user_id, key)
    return (row[0], row[1]) if row is not None else None
