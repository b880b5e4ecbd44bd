"""Refer incidents and act on referrals; every status change and its event are one transaction."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.referrals import CloseIn, ProvideInformationIn, ReferralActionIn, ReferralIn
from service.auth.models import Agency
from service.auth.principal import Principal
from service.auth.service import require_agency
from service.calendar.repository import SENDER, Rules, load_rules
from service.clock import local_day, now
from service.errors import AppError, Conflict, Forbidden, Invalid, NotFound
from service.incidents import repository as incidents
from service.incidents.service import IncidentNotFound
from service.notifications.outbox import enqueue
from service.referrals import mediation, repository
from service.referrals.clocks import PAUSE_RULE, pause_days, set_clocks
from service.referrals.models import Referral, ReferralEvent
from service.referrals.transitions import Action, Status, next_status, outcomes_for, sender_actions


class ReferralNotFound(NotFound):
    code = "referral.not_found"


class ToSelf(AppError):
    status = 422
    code = "referral.to_self"


class AgencyInactive(AppError):
    status = 422
    code = "referral.agency_inactive"


class NotReceiver(Forbidden):
    code = "referral.not_receiver"


class NotSender(Forbidden):
    code = "referral.not_sender"


class ActionNotAllowed(Conflict):
    code = "referral.action_not_allowed"


class BadOutcome(Invalid):
    code = "referral.bad_outcome"


def _check_receiver_agency(principal: Principal, agency: Agency, today: date) -> None:
    if agency.id == principal.agency_id:
        raise ToSelf(field="to_agency")
    if agency.valid_from > today or (agency.valid_to is not None and agency.valid_to < today):
        raise AgencyInactive(field="to_agency", code=agency.code)


async def _check_attachments(session: AsyncSession, incident_id: uuid.UUID, ids: list[uuid.UUID]) -> None:
    if not ids:
        return
    found = await repository.attachment_ids(session, incident_id)
    if not set(ids) <= found:
        raise Invalid(field="attachment_ids").with_code("referral.bad_attachment", status=422)


def _chosen_rule(rules: Rules, data: ReferralIn) -> str | None:
    """The receiver's clock the sender chose, if it is one the referral type allows (422 naming due_rule)."""
    if data.due_rule is None:
        return None
    rule = rules.by_code.get(data.due_rule)
    if rule is None or rule.applies_to != data.type or rule.duty == SENDER:
        allowed = ", ".join(r.code for r in rules.for_type(data.type) if r.duty != SENDER) or "–"
        raise Invalid(field="due_rule", rule=data.due_rule, allowed=allowed).with_code(
            "referral.bad_due_rule", status=422
        )
    return rule.code


async def refer(session: AsyncSession, principal: Principal, data: ReferralIn) -> Referral:
    """Send a referral about a visible incident to another, existing agency; the clocks start now."""
    incident = await incidents.get_visible(session, principal, data.incident_id)
    if incident is None:
        raise IncidentNotFound(field="incident_id")
    mediation.check_referable(incident.kind, data.type)
    sent_at = now()
    today = local_day(sent_at)
    receiver = await require_agency(session, data.to_agency, field="to_agency")
    _check_receiver_agency(principal, receiver, today)
    await _check_attachments(session, incident.id, data.attachment_ids)
    referral = Referral(
        incident_id=incident.id,
        from_agency_id=principal.agency_id,
        to_agency_id=receiver.id,
        type=data.type,
        status=Status.SENT.value,
        version=1,
        message=data.message,
        attachment_ids=list(data.attachment_ids),
        sent_at=sent_at,
        sent_by_id=principal.user_id,
    )
    rules = await load_rules(session, today)
    referral.due_rule = _chosen_rule(rules, data)
    set_clocks(referral, rules, today, None)
    session.add(referral)
    await session.flush()
    await _record(session, referral, principal, "sent", None, data.message)
    return referral


async def _record(
    session: AsyncSession,
    referral: Referral,
    principal: Principal,
    action: str,
    from_status: str | None,
    note: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Append the event and queue the notification to the other side, in the same transaction."""
    await record_event(session, referral, principal.user_id, action, from_status, note, details)


async def record_event(
    session: AsyncSession,
    referral: Referral,
    actor_id: uuid.UUID | None,
    action: str,
    from_status: str | None,
    note: str,
    details: dict[str, Any] | None = None,
) -> None:
    """The event (actor None: the system, e.g. a partner node's message) and the other side's notification."""
    event = ReferralEvent(
        referral_id=referral.id,
        actor_id=actor_id,
        action=action,
        from_status=from_status,
        to_status=referral.status,
        note=note,
        details=details or {},
    )
    session.add(event)
    await session.flush()
    recipient = referral.to_agency_id if action in ("sent", Action.PROVIDE_INFORMATION) else referral.from_agency_id
    payload: dict[str, Any] = {"action": action, "status": referral.status, "type": referral.type}
    await enqueue(
        session,
        kind=f"referral.{action}",
        dedupe_key=f"referral-event:{event.id}",
        agency_id=recipient,
        referral_id=referral.id,
        payload=payload | {"incident_id": str(referral.incident_id), "note": note},
    )


async def act(session: AsyncSession, principal: Principal, referral_id: uuid.UUID, data: ReferralActionIn) -> Referral:
    """Apply one action of the status table; a second concurrent action on the same state gets a 409."""
    if await repository.get_named(session, principal, referral_id) is None:
        raise ReferralNotFound()
    referral = await repository.get_for_update(session, referral_id)
    if referral is None:
        raise ReferralNotFound()
    action = Action(type(data).__struct_config__.tag)  # type: ignore[arg-type]
    if data.version is not None and data.version != referral.version:
        raise Conflict(field="version", current=referral.version).with_code("referral.version_conflict")
    if isinstance(data, ProvideInformationIn):
        await _answer(session, principal, referral, data)
        return referral
    if referral.to_agency_id != principal.agency_id:
        raise NotReceiver()
    target = next_status(Status(referral.status), action)
    if target is None:
        raise ActionNotAllowed(field="action", action=action.value, status=referral.status)
    if isinstance(data, CloseIn) and data.outcome not in outcomes_for(referral.type):
        allowed = ", ".join(outcomes_for(referral.type))
        raise BadOutcome(field="outcome", outcome=data.outcome, type=referral.type, allowed=allowed)
    previous = referral.status
    await _apply(session, referral, action, target, data)
    details = await mediation.on_close(session, principal, referral, data.note) if isinstance(data, CloseIn) else {}
    await _record(session, referral, principal, action.value, previous, data.note, details)
    return referral


async def _apply(
    session: AsyncSession, referral: Referral, action: Action, target: Status, data: ReferralActionIn
) -> None:
    moment = now()
    referral.status = target.value
    referral.version += 1
    if action == Action.REQUEST_INFORMATION and referral.information_requested_at is None:
        referral.information_requested_at = moment  # the decision clock stops until the sender answers
    if target in (Status.CLOSED, Status.RETURNED, Status.REFUSED):
        referral.information_requested_at = None
    if action == Action.ACKNOWLEDGE:
        referral.acknowledged_at = moment
        rules = await load_rules(session, local_day(moment))
        set_clocks(referral, rules, local_day(referral.sent_at), local_day(moment))
    if target in (Status.CLOSED, Status.RETURNED, Status.REFUSED):
        referral.closed_at = moment
    if isinstance(data, CloseIn):
        referral.outcome = data.outcome
    await session.flush()


async def _answer(session: AsyncSession, principal: Principal, referral: Referral, data: ProvideInformationIn) -> None:
    """The sender's answer: note and files; the days waited are added to the decision clock (information_pause)."""
    if referral.from_agency_id != principal.agency_id:
        raise NotSender()
    awaiting = referral.information_requested_at is not None
    if not sender_actions(Status(referral.status), awaiting):
        raise ActionNotAllowed(field="action", action=Action.PROVIDE_INFORMATION.value, status=referral.status)
    await _check_attachments(session, referral.incident_id, data.attachment_ids)
    referral.attachment_ids = [
        *referral.attachment_ids,
        *(i for i in data.attachment_ids if i not in referral.attachment_ids),
    ]
    referral.version += 1
    resumed = await resume_decision_clock(session, referral)
    details: dict[str, Any] = {"attachment_ids": [str(i) for i in data.attachment_ids], **resumed}
    status = referral.status
    await _record(session, referral, principal, Action.PROVIDE_INFORMATION.value, status, data.note, details)


async def resume_decision_clock(session: AsyncSession, referral: Referral) -> dict[str, Any]:
    """The answer to a request for information arrived: the days waited are added to the decision clock
    (information_pause) and the clocks recomputed. What the event records about it. Also used for an answer
    that arrives from a partner node (remote.answered)."""
    moment = now()
    rules = await load_rules(session, local_day(moment))
    waited = pause_days(referral, rules, local_day(moment))
    referral.paused_days += waited
    referral.information_requested_at = None
    acknowledged_on = local_day(referral.acknowledged_at) if referral.acknowledged_at else None
    set_clocks(referral, rules, local_day(referral.sent_at), acknowledged_on)
    await session.flush()
    pause = rules.by_code.get(PAUSE_RULE)
    return {
        "paused_days": waited,
        "rule": PAUSE_RULE if pause else None,
        "legal_basis": pause.legal_basis if pause else None,
        "due_on": referral.due_on.isoformat() if referral.due_on else None,
    }
