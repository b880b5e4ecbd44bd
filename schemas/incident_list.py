"""The incident list's items: what a list shows, not the whole record (GET /api/incidents/{id} has that)."""

from __future__ import annotations

import uuid
from datetime import datetime

from schemas.base import Schema
from schemas.clocks import ClockOut
from schemas.codes import IncidentKind, IncidentStatus


class PlaceSummary(Schema, kw_only=True):
    """Where the incident happened, in both generations of units (codes; names from /api/admin-units)."""

    unit_2025: str | None
    commune_2024: str | None
    district_2024: str | None
    district_2024_split: bool


class IncidentLinks(Schema, kw_only=True):
    """Where the rest of the incident is."""

    self: str  # GET: the full record (payload, crime signs, place with coordinates and address)
    history: str  # GET: every change, who, when, what, why
    page: str  # the incident's web page


class IncidentSummary(Schema, kw_only=True):
    """One incident as a list shows it. The full record is at `links.self`."""

    id: uuid.UUID
    record_number: str | None  # the seizure record's number or the customs declaration's; None for other kinds
    kind: IncidentKind
    status: IncidentStatus
    version: int
    agency_code: str
    recorded_at: datetime
    updated_at: datetime
    occurred_at: datetime
    place: PlaceSummary
    goods_value_vnd: int | None
    violator_name: str | None  # names are not redacted; ID numbers and tax codes are never in a list
    summary: str  # the recorder's short description, cut to SUMMARY_CHARS characters
    clocks: list[ClockOut]
    case_id: uuid.UUID | None
    links: IncidentLinks


class IncidentSummaryPage(Schema, kw_only=True):
    """One page of incident summaries and the cursor of the next."""

    items: list[IncidentSummary]
    next_cursor: str | None
