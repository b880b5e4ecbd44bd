"""The retention sweep's statements: the next window of incidents that may be due (locked, skipping those held), and
what the rule needs about them and every member of their linked cases."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.sanctions import PERSONAL_FIELDS as SANCTION_PERSONAL_FIELDS
from service.incidents.models import Incident, IncidentEvent
from service.referrals.models import Referral
from service.retention.rules import ANONYMISED_ACTION, OPEN_REFERRAL_STATUSES, PENDING_PAYMENT_STATUSES, IncidentFacts
from service.sanctions.models import SanctionDecision


def _window_statement(
    cutoff: datetime, after: tuple[datetime, uuid.UUID] | None, size: int, *, lock: bool
) -> Select[Incident]:
    """The next incidents that may be due, oldest first, after the last one of the previous window."""
    stmt = select(Incident).where(Incident.anonymised_at.is_(None), Incident.occurred_at < cutoff)
    if after is not None:
        at, ident = after
        stmt = stmt.where(or_(Incident.occurred_at > at, and_(Incident.occurred_at == at, Incident.id > ident)))
    stmt = stmt.order_by(Incident.occurred_at, Incident.id).limit(size)
    return stmt.with_for_update(skip_locked=True) if lock else stmt


def activity_columns() -> tuple[Any, ...]:
    """Per incident (correlated): last history entry (anonymisation aside), last referral end, last decision
    change, open referrals, decisions awaiting execution."""
    of_incident = Referral.incident_id == Incident.id
    decided = SanctionDecision.incident_id == Incident.id
    return (
        select(func.max(IncidentEvent.at))
        .where(IncidentEvent.incident_id == Incident.id, IncidentEvent.action != ANONYMISED_ACTION)
        .scalar_subquery(),
        select(func.max(Referral.closed_at)).where(of_incident).scalar_subquery(),
        select(func.max(SanctionDecision.updated_at)).where(decided).scalar_subquery(),
        select(func.count()).where(of_incident, Referral.status.in_(sorted(OPEN_REFERRAL_STATUSES))).scalar_subquery(),
        select(func.count())
        .where(decided, SanctionDecision.payment_status.in_(sorted(PENDING_PAYMENT_STATUSES)))
        .scalar_subquery(),
    )


async def load_facts(session: AsyncSession, incident_ids: Sequence[uuid.UUID]) -> list[IncidentFacts]:
    """What the rule needs about these incidents and every other member of their linked cases."""
    if not incident_ids:
        return []
    cases = select(Incident.case_id).where(Incident.id.in_(incident_ids), Incident.case_id.is_not(None))
    own = (Incident.id, Incident.kind, Incident.status, Incident.case_id, Incident.occurred_at, Incident.anonymised_at)
    stmt = select(*own, *activity_columns()).where(or_(Incident.id.in_(incident_ids), Incident.case_id.in_(cases)))
    names = (
        "id",
        "kind",
        "status",
        "case_id",
        "occurred_at",
        "anonymised_at",
        "last_event_at",
        "last_referral_closed_at",
        "last_sanction_change_at",
        "open_referrals",
        "pending_sanctions",
    )
    return [IncidentFacts(**dict(zip(names, row, strict=True))) for row in await session.execute(stmt)]


async def window(
    session: AsyncSession, cutoff: datetime, after: tuple[datetime, uuid.UUID] | None, size: int, *, lock: bool
) -> list[Incident]:
    """The next incidents that may be due (see _window_statement)."""
    return list(await session.scalars(_window_statement(cutoff, after, size, lock=lock)))


async def scrub_sanctions(session: AsyncSession, incident_id: uuid.UUID) -> int:
    """Drop the violator's birth date, sex and legal representative from the incident's decisions; how many had one."""
    holds = or_(*(getattr(SanctionDecision, name).is_not(None) for name in SANCTION_PERSONAL_FIELDS))
    stmt = (
        update(SanctionDecision)
        .where(SanctionDecision.incident_id == incident_id, holds)
        .values(dict.fromkeys(SANCTION_PERSONAL_FIELDS))
        .returning(SanctionDecision.id)
    )
    return len((await session.execute(stmt)).all())
