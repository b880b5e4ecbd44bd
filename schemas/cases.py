"""One case counted once: linking incidents, likely-duplicate flags and their decisions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from schemas.base import Schema
from schemas.incidents import ExternalRef

Reason = Annotated[str, msgspec.Meta(min_length=3, max_length=1000, description="Lý do / Why (kept in the history)")]
FlagStatus = Literal["open", "linked", "dismissed", "cleared"]
FLAG_STATUSES: tuple[str, ...] = FlagStatus.__args__  # type: ignore[attr-defined]


class LinkIn(Schema, kw_only=True):
    """Incidents judged to be one case (two or more; those already linked bring their case along)."""

    incident_ids: Annotated[list[uuid.UUID], msgspec.Meta(min_length=2, max_length=50)]
    reason: Reason


class UnlinkIn(Schema, kw_only=True):
    """Take one incident out of its case."""

    incident_id: uuid.UUID
    reason: Reason


class DismissIn(Schema, kw_only=True):
    """Not one case: the flag is closed and never raised again for this pair."""

    reason: Reason


class IncidentBrief(Schema, kw_only=True):
    """What a coordinator compares of one incident."""

    id: uuid.UUID
    kind: str
    status: str
    agency_code: str
    occurred_at: datetime
    unit_2025: str | None
    unit_name: str | None
    district_2024: str | None
    violator_name: str | None
    marks: list[str]
    goods_value_vnd: int | None
    references: list[ExternalRef]
    case_id: uuid.UUID | None


class FlagOut(Schema, kw_only=True):
    """A likely duplicate: two incidents, why they look alike, and what the coordinator decided."""

    id: int
    status: FlagStatus
    reasons: list[str]
    distance_km: float | None
    days_apart: float
    flagged_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    incidents: list[IncidentBrief]


class FlagPage(Schema, kw_only=True):
    """One page of flags, newest first, and the cursor of the next."""

    items: list[FlagOut]
    next_cursor: str | None


class CaseOut(Schema, kw_only=True):
    """A linked case: its incidents (earliest first) and who created it."""

    id: uuid.UUID
    created_at: datetime
    created_by: str
    incidents: list[IncidentBrief]
