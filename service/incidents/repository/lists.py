"""The incident list's statement: the summary columns only (a few JSONB fields extracted by PostgreSQL, the summary
cut there), the caller's scope and the list's filters, newest recorded first, a page after a cursor."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency
from service.auth.principal import Principal
from service.incidents.models import Incident
from service.incidents.repository import visible_to
from service.incidents.repository.filters import IncidentFilters, filter_conditions

SUMMARY_CHARS = 200
COLUMNS = (
    Incident.id,
    func.coalesce(Incident.payload["record_number"].astext, Incident.payload["declaration_number"].astext).label(
        "record_number"
    ),
    Incident.kind,
    Incident.status,
    Incident.version,
    Agency.code.label("agency_code"),
    Incident.recorded_at,
    Incident.updated_at,
    Incident.occurred_at,
    Incident.unit_2025,
    Incident.commune_2024,
    Incident.district_2024,
    Incident.district_2024_split,
    Incident.goods_value_vnd,
    Incident.payload[("violator", "name")].astext.label("violator_name"),
    func.left(func.coalesce(Incident.payload["summary"].astext, ""), SUMMARY_CHARS).label("summary"),
    Incident.payload["suspension_start"].astext.label("suspension_start"),
    Incident.case_id,
)


def summary_statement(principal: Principal, filters: IncidentFilters) -> Select[Any]:
    """The visible incidents matching the filters, as the summary columns, newest recorded first."""
    return (
        visible_to(principal)
        .with_only_columns(*COLUMNS)
        .join_from(Incident, Agency, Agency.id == Incident.agency_id)
        .where(*filter_conditions(filters))
        .order_by(Incident.recorded_at.desc(), Incident.id.desc())
    )


async def summary_rows(
    session: AsyncSession,
    principal: Principal,
    filters: IncidentFilters,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Row[Any]]:
    """Up to `limit` rows of summary_statement recorded before the cursor's (recorded_at, id)."""
    stmt = summary_statement(principal, filters)
    if after is not None:
        at, ident = after
        stmt = stmt.where(or_(Incident.recorded_at < at, and_(Incident.recorded_at == at, Incident.id < ident)))
    return list((await session.execute(stmt.limit(limit))).all())
