"""The audit trail as administrators read it (GET /api/admin/audit)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from schemas.base import Schema


class AuditEventOut(Schema, kw_only=True):
    """One audit row: what happened, who, which records and fields, from where, and its place in the chain."""

    id: int
    at: datetime
    event: str
    actor_id: uuid.UUID | None
    actor_name: str | None
    record_type: str | None
    record_ids: list[str]
    fields: list[str]
    address: str | None
    user_agent: str | None
    request_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(Schema, kw_only=True):
    """One page of audit rows, newest first; `next_before` asks for the next (older) page."""

    items: list[AuditEventOut]
    next_before: int | None
