"""Sweeps over the referral clocks: reminders before one runs out, escalations once it has, the daily digest.

Every message is queued in the outbox under a key naming the referral, the clock and its due day (or the
agency and the day, for digests). Running a sweep again, after a restart or from a second worker at the
same moment, queues nothing new: the unique key decides, in the database.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import repository as agencies
from service.calendar.repository import load_rules
from service.calendar.workdays import add_working_days
from service.clock import LOCAL_TZ
from service.notifications.outbox import enqueue, enqueue_many, escalation_messages
from service.notifications.repository import queued_keys
from service.referrals.repository import sweeps
from service.referrals.repository.sweeps import ClockRow, Sweep
from service.referrals.transitions import Status

COORDINATOR_AGENCY = "SKHCN"  # Sở Khoa học và Công nghệ coordinates enforcement (DOMAIN.md §2)
DIGEST_HOUR = 7  # local time; the 15-minute sweep queues the day's digests from then on
DIGEST_ITEMS = 20

Clock = tuple[str, ClockRow, str, date]  # the message's dedupe key, the referral, the clock's name and due day


def running_clocks(referral: ClockRow) -> list[tuple[str, date]]:
    """(clock name, due day) of an open referral: the acknowledgement SLA while unacknowledged, the legal one."""
    clocks = []
    if referral.status == Status.SENT and referral.ack_due_on:
        clocks.append(("acknowledge", referral.ack_due_on))
    if referral.due_on and referral.information_requested_at is None:  # paused while waiting for information
        clocks.append(("decision", referral.due_on))
    return clocks


def _unhandled(referral: ClockRow) -> list[tuple[str, date]]:
    """The running clocks whose due day the sweep that read `referral` has not handled (its marks)."""
    marked = {"acknowledge": referral.ack_marked_for, "decision": referral.due_marked_for}
    return [(clock, due_on) for clock, due_on in running_clocks(referral) if marked[clock] != due_on]


def _clock_payload(referral: ClockRow, clock: str, due_on: date) -> dict[str, Any]:
    return {
        "clock": clock,
        "due_on": due_on.isoformat(),
        "type": referral.type,
        "status": referral.status,
        "from_agency": referral.from_code,
        "agency": referral.to_code,
        "incident_id": str(referral.incident_id),
    }


async def sweep_reminders(session: AsyncSession, today: date, *, days_before: int = 1) -> int:
    """Remind receivers of clocks due within `days_before` working days; returns how many were queued."""
    horizon = add_working_days(today, days_before, (await load_rules(session, today)).calendar)
    due: list[Clock] = sorted(
        (f"reminder:{referral.id}:{clock}:{due_on.isoformat()}", referral, clock, due_on)
        for referral in await sweeps.due_between(session, today, horizon)
        for clock, due_on in _unhandled(referral)
        if today <= due_on <= horizon
    )
    messages = [
        {
            "kind": "reminder",
            "dedupe_key": key,
            "agency_id": referral.to_agency_id,
            "referral_id": referral.id,
            "payload": _clock_payload(referral, clock, due_on) | {"days_left": (due_on - today).days},
        }
        for key, referral, clock, due_on in due
    ]
    return await _queue_and_mark(session, "reminded", messages, due)


async def _queue_and_mark(
    session: AsyncSession, sweep: Sweep, messages: list[dict[str, Any]], clocks: list[Clock]
) -> int:
    """Queue the messages (by key: two sweeps at once wait for each other, never deadlock; those queued already,
    before the marks existed or by another worker, are skipped), then mark their clocks handled."""
    queued = await enqueue_many(session, messages)
    await sweeps.mark(session, sweep, [(referral.id, clock, due_on) for _, referral, clock, due_on in clocks])
    return queued


async def sweep_escalations(session: AsyncSession, today: date) -> int:
    """Tell the receiving agency's heads, and SKHCN, once about each clock that has run out."""
    coordinating = await agencies.get_agency_by_code(session, COORDINATOR_AGENCY)
    coordinator = coordinating.id if coordinating else None
    overdue: list[Clock] = sorted(
        (f"escalation:{referral.id}:{clock}:{due_on.isoformat()}", referral, clock, due_on)
        for referral in await sweeps.not_escalated(session, today)
        for clock, due_on in _unhandled(referral)
        if due_on < today
    )
    messages = [
        message
        for key, referral, clock, due_on in overdue
        for message in escalation_messages(
            key=key,
            agency_id=referral.to_agency_id,
            coordinator=coordinator,
            payload=_clock_payload(referral, clock, due_on) | {"days_overdue": (today - due_on).days},
            referral_id=referral.id,
        )
    ]
    return await _queue_and_mark(session, "escalated", messages, overdue)


async def daily_digest(session: AsyncSession, today: date, *, days_before: int = 1) -> int:
    """One summary per agency with open incoming referrals, once a day."""
    keys = {agency_id: f"digest:{agency_id}:{today.isoformat()}" for agency_id in await sweeps.receivers(session)}
    done = await queued_keys(session, list(keys.values()))
    pending = [agency_id for agency_id, key in keys.items() if key not in done]
    if not pending:
        return 0  # today's digests are all queued: load nothing else
    horizon = add_working_days(today, days_before, (await load_rules(session, today)).calendar)
    by_agency: dict[uuid.UUID, list[ClockRow]] = defaultdict(list)
    for row in await sweeps.open_for(session, pending):
        by_agency[row.to_agency_id].append(row)
    queued = 0
    for agency_id, rows in by_agency.items():
        digest = _digest(rows, today, horizon)
        queued += await enqueue(session, kind="digest", dedupe_key=keys[agency_id], agency_id=agency_id, payload=digest)
    return queued


def _digest(rows: list[ClockRow], today: date, horizon: date) -> dict[str, Any]:
    firsts = [min((due for _, due in running_clocks(r)), default=None) for r in rows]
    items = [
        {
            "referral_id": str(referral.id),
            "type": referral.type,
            "status": referral.status,
            "due_on": first.isoformat() if first else "—",
            "from_agency": referral.from_code,
        }
        for referral, first in zip(rows, firsts, strict=True)
    ]
    return {
        "date": today.isoformat(),
        "agency": rows[0].to_code,
        "open": len(rows),
        "overdue": sum(1 for first in firsts if first and first < today),
        "due_soon": sum(1 for first in firsts if first and today <= first <= horizon),
        "items": items[:DIGEST_ITEMS],
    }


async def run_sweeps(session: AsyncSession, moment: datetime, *, days_before: int) -> dict[str, int]:
    """Every sweep due at `moment`: reminders, escalations and, from DIGEST_HOUR local time, the day's digests."""
    local = moment.astimezone(LOCAL_TZ)
    counts = {
        "reminders": await sweep_reminders(session, local.date(), days_before=days_before),
        "escalations": await sweep_escalations(session, local.date()),
        "digests": 0,
    }
    if local.hour >= DIGEST_HOUR:
        counts["digests"] = await daily_digest(session, local.date(), days_before=days_before)
    return counts
