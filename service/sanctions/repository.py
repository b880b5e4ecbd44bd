"""The sanctions' statements: the list's filters and statement (GET /api/sanctions, its export and the /sanctions page
build theirs here, so the three show the same decisions; a decision is visible exactly when its incident is), a
page after a cursor, an incident's decisions, one locked for update, the fine ceilings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from service.auth.models import Agency
from service.auth.principal import Principal
from service.incidents import repository
from service.incidents.models import Incident
from service.incidents.repository import filters as incident_filters
from service.incidents.repository.filters import IncidentFilters
from service.sanctions.models import FineCeiling, SanctionDecision
from service.text import fold

DecidingAgency = aliased(Agency, name="deciding_agency")
RecordingAgency = aliased(Agency, name="recording_agency")
# A row: the incident, the decision, the deciding agency's code, the recording agency's code.
SanctionSelect = Select[Incident, SanctionDecision, str, str]


@dataclass(frozen=True)
class SanctionFilters:
    """What the list can be narrowed by; every field optional. ``agency`` is the deciding agency's code."""

    agency: str | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    payment_status: str | None = None
    principal_sanction: str | None = None
    act: str | None = None
    kind: str | None = None
    unit: str | None = None
    q: str | None = None


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filter_conditions(filters: SanctionFilters) -> list[Any]:
    """The WHERE conditions; a bad ``unit`` is the incident list's own 400 (field ``unit``)."""
    # Kind and unit mean what they mean on the incident list: the same conditions, from its own helper.
    conditions = incident_filters.filter_conditions(IncidentFilters(kind=filters.kind, unit=filters.unit))
    if filters.agency:
        conditions.append(DecidingAgency.code == filters.agency)
    if filters.decided_from:
        conditions.append(SanctionDecision.decided_on >= filters.decided_from)
    if filters.decided_to:
        conditions.append(SanctionDecision.decided_on <= filters.decided_to)
    if filters.payment_status:
        conditions.append(SanctionDecision.payment_status == filters.payment_status)
    if filters.principal_sanction:
        conditions.append(SanctionDecision.principal_sanction == filters.principal_sanction)
    if filters.act:
        conditions.append(SanctionDecision.acts.contains([filters.act]))
    # Each word, folded as the incident's search text is, is found in that text or in the decision's number
    # ("15/QĐ-XPHC" folds to "15/qd-xphc"; numbers carry no other diacritics than Đ).
    number = func.lower(func.translate(SanctionDecision.number, "Đđ", "Dd"))
    for word in fold(filters.q or "").split():
        pattern = _like(word)
        conditions.append(or_(Incident.search_text.like(pattern), number.like(pattern)))
    return conditions


def statement(principal: Principal, filters: SanctionFilters) -> SanctionSelect:
    """Visible decisions matching the filters, newest decided first; no limit."""
    stmt = (
        repository.visible_to(principal)
        .join(SanctionDecision, SanctionDecision.incident_id == Incident.id)
        .join(DecidingAgency, DecidingAgency.id == SanctionDecision.agency_id)
        .join(RecordingAgency, RecordingAgency.id == Incident.agency_id)
        .add_columns(SanctionDecision, DecidingAgency.code, RecordingAgency.code)
        .where(*filter_conditions(filters))
    )
    return stmt.order_by(SanctionDecision.decided_on.desc(), SanctionDecision.id.desc())


async def page_rows(
    session: AsyncSession,
    principal: Principal,
    filters: SanctionFilters,
    after: tuple[date, uuid.UUID] | None,
    limit: int,
) -> list[Row[Incident, SanctionDecision, str, str]]:
    """Up to `limit` rows of the list's statement decided before the cursor's (decided_on, id)."""
    stmt = statement(principal, filters)
    if after is not None:
        day, ident = after
        stmt = stmt.where(
            or_(
                SanctionDecision.decided_on < day, and_(SanctionDecision.decided_on == day, SanctionDecision.id < ident)
            )
        )
    return list((await session.execute(stmt.limit(limit))).all())


async def ceilings(session: AsyncSession, violator_type: str) -> list[FineCeiling]:
    """The fine ceilings for this type of violator (reference data, seeded by migration 7c3d5e9a1b20)."""
    stmt = select(FineCeiling).where(FineCeiling.violator_type == violator_type)
    return list(await session.scalars(stmt))


async def decisions_of(session: AsyncSession, incident_id: uuid.UUID) -> list[tuple[SanctionDecision, str]]:
    """(decision, deciding agency's code) of an incident, oldest decision first."""
    stmt = (
        select(SanctionDecision, Agency.code)
        .join(Agency, Agency.id == SanctionDecision.agency_id)
        .where(SanctionDecision.incident_id == incident_id)
        .order_by(SanctionDecision.decided_on, SanctionDecision.created_at)
    )
    return [(decision, code) for decision, code in await session.execute(stmt)]


async def locked_decision(
    session: AsyncSession, incident_id: uuid.UUID, sanction_id: uuid.UUID
) -> SanctionDecision | None:
    stmt = (
        select(SanctionDecision)
        .where(SanctionDecision.id == sanction_id, SanctionDecision.incident_id == incident_id)
        .with_for_update()
    )
    return (await session.scalars(stmt)).one_or_none()


async def agency_code(session: AsyncSession, agency_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Agency.code).where(Agency.id == agency_id))
