"""GET /api/incidents: pages of incident summaries, built from selected columns (no ORM objects, no payloads).

A list item carries what a list shows (schemas/incident_list.py); the full record stays on the detail route. The
statement selects those columns only (a few JSONB fields extracted by PostgreSQL, the summary cut there), and each
row becomes an IncidentSummary Struct that the response encodes once. The scope and the filters are the detail
route's and the export's: repository.visible_to and queries.filter_conditions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.incident_list import IncidentLinks, IncidentSummary, IncidentSummaryPage, PlaceSummary
from service.auth.models import Agency
from service.auth.principal import Principal
from service.calendar.repository import Rules, cached_rules
from service.clock import LOCAL_TZ, local_day, now
from service.incidents import repository
from service.incidents.clocks import clocks_of
from service.incidents.models import Incident
from service.incidents.queries import IncidentFilters, filter_conditions
from service.pagination import decode_cursor, encode_cursor

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
        repository.visible_to(principal)
        .with_only_columns(*COLUMNS)
        .join_from(Incident, Agency, Agency.id == Incident.agency_id)
        .where(*filter_conditions(filters))
        .order_by(Incident.recorded_at.desc(), Incident.id.desc())
    )


def summary_of(row: Any, rules: Rules, today: Any) -> IncidentSummary:
    """One row of summary_statement as a list item, times in Asia/Ho_Chi_Minh."""
    ident = row.id
    clocks = clocks_of(row.kind, row.status, row.recorded_at, row.occurred_at, row.suspension_start, rules, today)
    return IncidentSummary(
        id=ident,
        record_number=row.record_number,
        kind=row.kind,
        status=row.status,
        version=row.version,
        agency_code=row.agency_code,
        recorded_at=row.recorded_at.astimezone(LOCAL_TZ),
        updated_at=row.updated_at.astimezone(LOCAL_TZ),
        occurred_at=row.occurred_at.astimezone(LOCAL_TZ),
        place=PlaceSummary(
            unit_2025=row.unit_2025,
            commune_2024=row.commune_2024,
            district_2024=row.district_2024,
            district_2024_split=row.district_2024_split,
        ),
        goods_value_vnd=row.goods_value_vnd,
        violator_name=row.violator_name,
        summary=row.summary,
        clocks=clocks,
        case_id=row.case_id,
        links=IncidentLinks(
            self=f"/api/incidents/{ident}", history=f"/api/incidents/{ident}/history", page=f"/incidents/{ident}"
        ),
    )


async def list_summaries(
    session: AsyncSession, principal: Principal, filters: IncidentFilters, cursor: str | None, limit: int
) -> IncidentSummaryPage:
    """A page of visible incidents as summaries, newest recorded first, and the cursor of the next page."""
    stmt = summary_statement(principal, filters)
    if cursor:
        at, ident = decode_cursor(cursor, datetime)
        stmt = stmt.where(or_(Incident.recorded_at < at, and_(Incident.recorded_at == at, Incident.id < ident)))
    rows = (await session.execute(stmt.limit(limit + 1))).all()
    today = local_day(now())
    rules = await cached_rules(session, today)
    items = [summary_of(row, rules, today) for row in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(last.recorded_at, last.id) if last is not None else None
    return IncidentSummaryPage(items=items, next_cursor=next_cursor)
