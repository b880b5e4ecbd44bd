"""Sweeps over the takedown clocks: a request whose action clock ran out becomes `overdue` (a system event on
its timeline), its agency's heads and SKHCN are told once; the recording agency is reminded before it runs out.
The report clock is swept the same way: a report the platform has not made by its due moment is marked late on
the timeline once (`report_late`, a system event; the status is kept), the heads and SKHCN are told once, and the
recording agency is reminded before it runs out.

Messages are queued in the outbox under keys naming the request, the clock and its due moment: a sweep run
twice, or by two workers at once, queues nothing new (the unique key decides, in the database).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.clock import LOCAL_TZ
from service.notifications.outbox import enqueue, enqueue_escalation
from service.takedowns import repository
from service.takedowns.clocks import ACTION_RULE, REPORT_RULE
from service.takedowns.models import TakedownEvent, TakedownRequest
from service.takedowns.repository import Named
from service.takedowns.transitions import REPORT_LATE, Status

COORDINATOR_AGENCY = "SKHCN"  # Sở Khoa học và Công nghệ coordinates enforcement (DOMAIN.md §2)
REMIND_BEFORE = timedelta(hours=6)


def _payload(
    request: TakedownRequest, agency: str, platform: str, due: datetime, clock: str = ACTION_RULE
) -> dict[str, Any]:
    # The keys the reminder and escalation emails read (service/i18n/notifications.py), for a takedown request.
    return {
        "clock": clock,
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


async def _escalate_one(
    session: AsyncSession, row: Named, due: datetime, moment: datetime, coordinator: uuid.UUID | None, clock: str
) -> int:
    """One escalation each to the recording agency's heads and to SKHCN, about one clock of one request."""
    request, agency, platform = row
    payload = _payload(request, agency, platform, due, clock) | {"days_overdue": (moment - due).days}
    prefix = "takedown-escalation" if clock == ACTION_RULE else "takedown-report-escalation"
    key = f"{prefix}:{request.id}:{due.isoformat()}"
    return await enqueue_escalation(
        session, key=key, agency_id=request.agency_id, coordinator=coordinator, payload=payload
    )


async def escalate(session: AsyncSession, moment: datetime) -> int:
    """Tell the recording agency's heads, and SKHCN, once about each overdue request."""
    coordinator = await repository.coordinator_agency(session, COORDINATOR_AGENCY)
    queued = 0
    for row in await repository.not_escalated(session):
        request = row[0]
        queued += await _escalate_one(session, row, request.action_due_at or moment, moment, coordinator, ACTION_RULE)
        request.escalated_for = request.action_due_at
    await session.flush()
    return queued


async def _remind(session: AsyncSession, rows: Sequence[Named], moment: datetime, clock: str, key: str) -> int:
    """One reminder per (request, due time) of `rows` to the recording agency, about the `clock` rule."""
    queued = 0
    for request, agency, platform in rows:
        due = (request.report_due_at if clock == REPORT_RULE else request.action_due_at) or moment
        queued += await enqueue(
            session,
            kind="reminder",
            dedupe_key=f"{key}:{request.id}:{due.isoformat()}",
            agency_id=request.agency_id,
            payload=_payload(request, agency, platform, due, clock),
        )
    return queued


async def remind(session: AsyncSession, moment: datetime) -> int:
    """Remind the recording agency of action clocks running out within REMIND_BEFORE (to chase the platform)."""
    rows = await repository.due_between(session, moment, moment + REMIND_BEFORE)
    return await _remind(session, rows, moment, ACTION_RULE, "takedown-reminder")


async def mark_report_late(session: AsyncSession, moment: datetime) -> list[Named]:
    """Requests whose report clock ran out with no report, marked once on their timeline; the ones marked now."""
    rows = await repository.report_running_out(session, moment)
    marked = await repository.report_late_marked(session, [request.id for request, _, _ in rows])
    late = []
    for row in rows:
        request = row[0]
        due = request.report_due_at
        if due is None or (request.id, due.isoformat()) in marked:
            continue
        session.add(
            TakedownEvent(
                request_id=request.id,
                actor_id=None,
                action=REPORT_LATE,
                from_status=request.status,
                to_status=request.status,
                note=REPORT_RULE,
                details={"report_due_at": due.isoformat()},
            )
        )
        late.append(row)
    await session.flush()
    return late


async def escalate_reports(session: AsyncSession, moment: datetime) -> tuple[int, int]:
    """Mark late reports and tell the heads and SKHCN once about each: (reports marked late, messages queued)."""
    late = await mark_report_late(session, moment)
    if not late:
        return 0, 0
    coordinator = await repository.coordinator_agency(session, COORDINATOR_AGENCY)
    queued = 0
    for row in late:
        due = row[0].report_due_at or moment
        queued += await _escalate_one(session, row, due, moment, coordinator, REPORT_RULE)
    return len(late), queued


async def remind_reports(session: AsyncSession, moment: datetime) -> int:
    """Remind the recording agency of report clocks running out within REMIND_BEFORE (to ask for the report)."""
    rows = await repository.report_due_between(session, moment, moment + REMIND_BEFORE)
    return await _remind(session, rows, moment, REPORT_RULE, "takedown-report-reminder")


async def run_sweeps(session: AsyncSession, moment: datetime) -> dict[str, int]:
    """Every takedown sweep due at `moment`: the action clock's, then the report clock's."""
    counts = {
        "overdue": await mark_overdue(session, moment),
        "escalations": await escalate(session, moment),
        "reminders": await remind(session, moment),
    }
    late, escalations = await escalate_reports(session, moment)
    return counts | {
        "reports_late": late,
        "report_escalations": escalations,
        "report_reminders": await remind_reports(session, moment),
    }
