"""GET /api/incidents: pages of incident summaries, built from selected columns (no ORM objects, no payloads).

A list item carries what a list shows (schemas/incident_list.py); the full record stays on the detail route. The
statement selects those columns only (a few JSONB fields extracted by PostgreSQL, the summary cut there), and each
row becomes an IncidentSummary Struct that the response encodes once. The scope and the filters are the detail
route's and the export's: repository.visible_to and repository.filters (the statement: repository/lists.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.incident_list import IncidentLinks, IncidentSummary, IncidentSummaryPage, PlaceSummary
from service.auth.principal import Principal
from service.calendar.repository import Rules, rules_at_revision
from service.clock import LOCAL_TZ, local_day, now
from service.incidents.clocks import clocks_of
from service.incidents.repository import lists
from service.incidents.repository.filters import IncidentFilters
from service.pagination import decode_cursor, encode_cursor


def summary_of(row: Any, rules: Rules, today: Any) -> IncidentSummary:
    """One row of lists.summary_statement (a mapping by column name) as a list item, times in Asia/Ho_Chi_Minh."""
    ident = row["id"]
    kind, status, recorded_at, occurred_at = row["kind"], row["status"], row["recorded_at"], row["occurred_at"]
    clocks = clocks_of(kind, status, recorded_at, occurred_at, row["suspension_start"], rules, today)
    return IncidentSummary(
        id=ident,
        record_number=row["record_number"],
        kind=kind,
        status=status,
        version=row["version"],
        agency_code=row["agency_code"],
        recorded_at=recorded_at.astimezone(LOCAL_TZ),
        updated_at=row["updated_at"].astimezone(LOCAL_TZ),
        occurred_at=occurred_at.astimezone(LOCAL_TZ),
        place=PlaceSummary(
            unit_2025=row["unit_2025"],
            commune_2024=row["commune_2024"],
            district_2024=row["district_2024"],
            district_2024_split=row["district_2024_split"],
        ),
        goods_value_vnd=row["goods_value_vnd"],
        violator_name=row["violator_name"],
        summary=row["summary"],
        clocks=clocks,
        case_id=row["case_id"],
        links=IncidentLinks(
            self=f"/api/incidents/{ident}", history=f"/api/incidents/{ident}/history", page=f"/incidents/{ident}"
        ),
    )


async def list_summaries(
    session: AsyncSession, principal: Principal, filters: IncidentFilters, cursor: str | None, limit: int
) -> IncidentSummaryPage:
    """A page of visible incidents as summaries, newest recorded first, and the cursor of the next page."""
    after = decode_cursor(cursor, datetime) if cursor else None
    rows = await lists.summary_rows(session, principal, filters, after, limit + 1)
    if not rows:
        return IncidentSummaryPage(items=[], next_cursor=None)
    today = local_day(now())
    rules = await rules_at_revision(session, today, rows[0]["calendar_revision"])  # read with the rows
    items = [summary_of(row, rules, today) for row in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(last["recorded_at"], last["id"]) if last is not None else None
    return IncidentSummaryPage(items=items, next_cursor=next_cursor)
