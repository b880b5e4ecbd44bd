"""Writing to the notification outbox, in the caller's transaction (so no event is announced twice or never)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.notifications import repository


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    dedupe_key: str,
    agency_id: uuid.UUID | None = None,
    referral_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Queue one message; a second message with the same dedupe key is ignored. True when queued."""
    values = {
        "kind": kind,
        "dedupe_key": dedupe_key,
        "agency_id": agency_id,
        "referral_id": referral_id,
        "payload": payload or {},
    }
    return await repository.insert_message(session, values)
