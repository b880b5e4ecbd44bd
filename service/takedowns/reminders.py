"""Sweeps over the takedown clocks: a request whose action clock ran out becomes `overdue` (a system event on
its timeline), its agency's heads and SKHCN are told once; the recording agency is reminded before it runs out.

Messages are queued in the outbox under keys naming the request, the clock and its due moment: a sweep run
twice, or by two workers at once, queues nothing new (the unique key decides, in the database).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.clock import LOCAL_TZ
from service.notifications.outbox import enqueue
from service.takedowns import repository
from service.takedowns.models import TakedownEvent, TakedownRequest
from service.takedowns.transitions import Status

COORDINATOR_AGENCY = "SKHCN"  # Sở Khoa học và Công nghệ coordinates enforcement (DOMAIN.md §2)
REMIND_BEFORE = timedelta(hours=6)


def _payload(request: TakedownRequest, agency: str, platform: str, due: datetime) -> dict[str, Any]:
    # The keys the reminder and escalation emails read (service/i18n/notifications.py), for a takedown request.
    return {
        "clock": "takedown_action",
        "due_on": due.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M"),
        "type": f"takedown {request.number or ''} → {platform}",
        "status": request.status,
        "from_agency": agency,
        "agency": agency,
        "referral_id": str(request.id),
        "takedown_id": str(request.id),
        "incident_id": str(request.incident_id),
    }


async def mark_overdue(session: AsyncSession, moment: datetime) -> int:
    """Requests the platform has not acted on by their action due moment become overdue; how many."""
    rows = await repository.running_out(session, moment)
    for request, _, _ in rows:
        session.add(
            TakedownEvent(
                request_id=request.id,
                actor_id=None,
                action="overdue",
                from_status=request.status,
                to_status=Status.OVERDUE.value,
                note="takedown_action",
                details={"action_due_at": request.action_due_at.isoformat() if request.action_due_at else ""},
            )
        )
        request.status = Status.OVERDUE.value
    await session.flush()
    return len(rows)


async def escalate(session: AsyncSession, moment: datetime) -> int:
    """Tell the recording agency's heads, and SKHCN, once about each overdue request."""
    coordinator = await repository.coordinator_agency(session, COORDINATOR_AGENCY)
    queued = 0
    for request, agency, platform in await repository.not_escalated(session):
        due = request.action_due_at or moment
        payload = _payload(request, agency, platform, due) | {"days_overdue": (moment - due).days}
        audiences: list[tuple[str, uuid.UUID | None, list[str]]] = [
            ("head", request.agency_id, ["agency_head"]),
            ("skhcn", coordinator, ["coordinator", "agency_head"]),
        ]
        for audience, agency_id, roles in audiences:
            if agency_id is None:
                continue
            queued += await enqueue(
                session,
                kind="escalation",
                dedupe_key=f"takedown-escalation:{request.id}:{due.isoformat()}:{audience}",
                agency_id=agency_id,
                payload=payload | {"roles": roles},
            )
        request.escalated_for = request.action_due_at
    await session.flush()
    return queued


async def remind(session: AsyncSession, moment: datetime) -> int:
    """Remind the recording agency of action clocks running out within REMIND_BEFORE (to chase the platform)."""
    queued = 0
    for request, agency, platform in await repository.due_between(session, moment, moment + REMIND_BEFORE):
        due = request.action_due_at or moment
        queued += await enqueue(
            session,
            kind="reminder",
            dedupe_key=f"takedown-reminder:{request.id}:{due.isoformat()}",
            agency_id=request.agency_id,
            payload=_payload(request, agency, platform, due),
        )
    return queued


async def run_sweeps(session: AsyncSession, moment: datetime) -> dict[str, int]:
    """Every takedown sweep due at `moment`."""
    return {
        "overdue": await mark_overdue(session, moment),
        "escalations": await escalate(session, moment),
        "reminders": await remind(session, moment),
    }
