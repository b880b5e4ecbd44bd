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


async def enqueue_many(session: AsyncSession, messages: list[dict[str, Any]]) -> int:
    """Queue many messages (kind, dedupe_key, agency_id, referral_id, payload each) in one statement, in the order
    given; those whose dedupe key is already queued are ignored. How many were queued now."""
    return await repository.insert_messages(session, messages)


def escalation_messages(
    *,
    key: str,
    agency_id: uuid.UUID | None,
    coordinator: uuid.UUID | None,
    payload: dict[str, Any],
    referral_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """One escalation to the responsible agency's heads and one to SKHCN's coordinators and heads (keys
    `<key>:head` and `<key>:skhcn`), for `enqueue_many`."""
    audiences: list[tuple[str, uuid.UUID | None, list[str]]] = [
        ("head", agency_id, ["agency_head"]),
        ("skhcn", coordinator, ["coordinator", "agency_head"]),
    ]
    return [
        {
            "kind": "escalation",
            "dedupe_key": f"{key}:{audience}",
            "agency_id": audience_agency,
            "referral_id": referral_id,
            "payload": payload | {"roles": roles},
        }
        for audience, audience_agency, roles in audiences
        if audience_agency is not None
    ]


async def enqueue_escalation(
    session: AsyncSession,
    *,
    key: str,
    agency_id: uuid.UUID | None,
    coordinator: uuid.UUID | None,
    payload: dict[str, Any],
    referral_id: uuid.UUID | None = None,
) -> int:
    """The escalation_messages of one clock, each queued once; how many were queued now."""
    messages = escalation_messages(
        key=key, agency_id=agency_id, coordinator=coordinator, payload=payload, referral_id=referral_id
    )
    return await enqueue_many(session, messages)
