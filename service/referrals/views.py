"""Reading referrals: queues with their clocks, one referral, its timeline."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.referrals import ReferralEventOut, ReferralOut
from service.auth.principal import Principal
from service.calendar.repository import Rules, load_rules
from service.clock import LOCAL_TZ, local_day, now
from service.referrals import repository
from service.referrals.clocks import clocks
from service.referrals.models import Referral
from service.referrals.repository import QueueFilters
from service.referrals.service import ReferralNotFound
from service.referrals.transitions import OPEN, Action, Status, allowed_actions, sender_actions


def referral_out(
    referral: Referral, from_code: str, to_code: str, rules: Rules, today: date, principal: Principal
) -> ReferralOut:
    """The API view of a referral with its running clocks; actions only for the receiver."""
    running = clocks(referral, rules, today)
    awaiting = referral.information_requested_at is not None and Status(referral.status) in OPEN
    return ReferralOut(
        id=referral.id,
        incident_id=referral.incident_id,
        from_agency=from_code,
        to_agency=to_code,
        type=referral.type,  # type: ignore[arg-type]
        status=referral.status,  # type: ignore[arg-type]
        outcome=referral.outcome,
        message=referral.message,
        version=referral.version,
        sent_at=referral.sent_at.astimezone(LOCAL_TZ),
        acknowledged_at=referral.acknowledged_at.astimezone(LOCAL_TZ) if referral.acknowledged_at else None,
        closed_at=referral.closed_at.astimezone(LOCAL_TZ) if referral.closed_at else None,
        attachment_ids=list(referral.attachment_ids or []),
        clocks=running,
        overdue=any(c.overdue for c in running),
        allowed_actions=[a.value for a in _actions(referral, principal)],
        awaiting_information=awaiting,
        information_requested_at=(
            referral.information_requested_at.astimezone(LOCAL_TZ) if referral.information_requested_at else None
        ),
    )


def _actions(referral: Referral, principal: Principal) -> list[Action]:
    """The receiver's actions of the status table, or the sender's answer while information is awaited."""
    status = Status(referral.status)
    actions: list[Action] = []
    if referral.to_agency_id == principal.agency_id:
        actions += allowed_actions(status)
    if referral.from_agency_id == principal.agency_id:
        actions += sender_actions(status, referral.information_requested_at is not None)
    return actions


async def queue(
    session: AsyncSession, principal: Principal, *, agency_id: uuid.UUID | None, incoming: bool, filters: QueueFilters
) -> list[ReferralOut]:
    """An inbox or outbox, due first, each item with its clocks."""
    today = local_day(now())
    rows = await repository.list_queue(session, agency_id=agency_id, incoming=incoming, filters=filters)
    rules = await load_rules(session, today)
    return [referral_out(r, f, t, rules, today, principal) for r, f, t in rows]


async def get_referral(session: AsyncSession, principal: Principal, referral_id: uuid.UUID) -> ReferralOut:
    """One referral the caller may see."""
    row = await repository.get_named(session, principal, referral_id)
    if row is None:
        raise ReferralNotFound()
    today = local_day(now())
    return referral_out(*row, await load_rules(session, today), today, principal)


async def timeline(session: AsyncSession, principal: Principal, referral_id: uuid.UUID) -> list[ReferralEventOut]:
    """Every event of a visible referral, oldest first."""
    if await repository.get_named(session, principal, referral_id) is None:
        raise ReferralNotFound()
    return [
        ReferralEventOut(
            action=event.action,
            actor=username,
            from_status=event.from_status,
            to_status=event.to_status,
            at=event.at.astimezone(LOCAL_TZ),
            note=event.note,
            attachment_ids=[uuid.UUID(i) for i in (event.details or {}).get("attachment_ids", [])],
        )
        for event, username in await repository.list_events(session, referral_id)
    ]


async def about_incidents(
    session: AsyncSession, principal: Principal, incident_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ReferralOut]]:
    """The referrals the reader may see about each of these incidents, oldest first, with their live status."""
    if not incident_ids:
        return {}
    rows = await repository.visible_about(session, principal, incident_ids)
    today = local_day(now())
    rules = await load_rules(session, today)
    found: dict[uuid.UUID, list[ReferralOut]] = {}
    for referral, from_code, to_code in rows:
        found.setdefault(referral.incident_id, []).append(
            referral_out(referral, from_code, to_code, rules, today, principal)
        )
    return found
