"""Referrals that cross to a partner node (service/exchange/): one that arrived from a partner, and the statuses a
partner reports on one this node sent it. Their events have no actor (the system): the note says who acted."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.calendar.repository import load_rules
from service.clock import local_day, now
from service.referrals.clocks import set_clocks
from service.referrals.models import Referral
from service.referrals.service import record_event, resume_decision_clock
from service.referrals.transitions import TERMINAL, Action, Status


async def arrive(
    session: AsyncSession,
    *,
    incident_id: uuid.UUID,
    from_agency_id: uuid.UUID,
    to_agency_id: uuid.UUID,
    referral_type: str,
    message: str,
    sent_by_id: uuid.UUID,
    details: dict[str, Any],
) -> Referral:
    """A referral from a partner node in the receiving agency's inbox; its clocks are this node's rules, from now."""
    sent_at = now()
    today = local_day(sent_at)
    referral = Referral(
        incident_id=incident_id,
        from_agency_id=from_agency_id,
        to_agency_id=to_agency_id,
        type=referral_type,
        status=Status.SENT.value,
        version=1,
        message=message,
        attachment_ids=[],
        sent_at=sent_at,
        sent_by_id=sent_by_id,
    )
    set_clocks(referral, await load_rules(session, today), today, None)
    session.add(referral)
    await session.flush()
    await record_event(session, referral, None, "sent", None, message, details)
    return referral


async def mirror(
    session: AsyncSession,
    referral: Referral,
    *,
    action: str,
    status: str,
    outcome: str | None,
    note: str,
    details: dict[str, Any],
) -> None:
    """What the partner did with a referral this node sent it, in the referral's status and timeline.

    A late report never reopens a referral already closed, returned or refused: it is only added to the timeline."""
    previous = referral.status
    moment = now()
    if Status(previous) not in TERMINAL:
        referral.status = status
        if action == Action.ACKNOWLEDGE.value and referral.acknowledged_at is None:
            referral.acknowledged_at = moment
        if Status(status) in TERMINAL:
            referral.closed_at, referral.outcome = moment, outcome
        if action == Action.REQUEST_INFORMATION.value and referral.information_requested_at is None:
            referral.information_requested_at = moment
    referral.version += 1
    await session.flush()
    await record_event(session, referral, None, action, previous, note, details)


async def answered(session: AsyncSession, referral: Referral, *, note: str, details: dict[str, Any]) -> None:
    """The sender node's answer to this node's request for information, in the referral's timeline.

    Like a local answer it restarts the decision clock (the days waited are added, information_pause) when the
    referral is open and waiting; otherwise (a late answer) it is only added to the timeline."""
    previous = referral.status
    if referral.information_requested_at is not None and Status(previous) not in TERMINAL:
        details = details | await resume_decision_clock(session, referral)
    referral.version += 1
    await session.flush()
    await record_event(session, referral, None, Action.PROVIDE_INFORMATION.value, previous, note, details)
