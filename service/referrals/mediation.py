"""Mediation cases: a dispute referred to mediation (CHUYEN_HOA_GIAI), arbitration (CHUYEN_TRONG_TAI) or court
(CHUYEN_TOA_AN) gets its sessions, its 20/30-day clock extendable to 2 months, and its outcome on record.

Only a dispute may be referred this way: `refer` calls `check_referable`, so the sender of any other incident
gets a 422 at refer time (every mediation route checks again, for referrals stored before this rule).
Sessions and extensions are the receiving agency's, after acknowledgement and before closing.
When the receiver closes such a referral, `on_close` records a `mediation_outcome` incident for the receiving
agency, so maps and reports count it like any other incident.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from maps.geotag import Geotagger
from schemas.incidents import MediationOutcomeIn
from schemas.mediation import MediationExtensionIn, MediationSessionIn
from service.admin_units.service import bundled_registry
from service.auth.principal import Principal
from service.calendar.repository import load_rules
from service.cases import flagging
from service.clock import local_day, now
from service.errors import AppError, Conflict, Forbidden, NotFound
from service.incidents.models import Incident
from service.incidents.service import record_incident
from service.notifications.outbox import enqueue
from service.referrals import repository
from service.referrals.clocks import set_clocks
from service.referrals.models import MediationSession, Referral, ReferralEvent
from service.referrals.transitions import Status

MEDIATION_TYPES: frozenset[str] = frozenset({"CHUYEN_HOA_GIAI", "CHUYEN_TRONG_TAI", "CHUYEN_TOA_AN"})
# The mediation clocks from shortest to longest (Luật Hòa giải, đối thoại tại Tòa án 2020, Điều 20): an
# extension only ever moves right. Arbitration and court referrals start on their acknowledgement SLA.
EXTENSION_ORDER: tuple[str, ...] = ("court_mediation", "court_mediation_complex", "court_mediation_agreed")
UNDER_WAY: frozenset[str] = frozenset({Status.ACKNOWLEDGED.value, Status.IN_PROGRESS.value})

# Closing outcome of the referral -> (outcome, recognition) of the mediation_outcome incident (DOMAIN.md §4).
# The four mediation results stand alone. A court's recognition decides on a successful mediation, so CONG_NHAN
# and KHONG_CONG_NHAN are THANH with that recognition; the arbitral decision recognising the parties' agreement
# is likewise THANH. An award (PHAN_QUYET) is made when the parties did not settle: KHONG_THANH with the award.
OUTCOME_FIELDS: dict[str, tuple[str, str | None]] = {
    "THANH": ("THANH", None),
    "THANH_MOT_PHAN": ("THANH_MOT_PHAN", None),
    "KHONG_THANH": ("KHONG_THANH", None),
    "CHAM_DUT": ("CHAM_DUT", None),
    "CONG_NHAN": ("THANH", "CONG_NHAN"),
    "KHONG_CONG_NHAN": ("THANH", "KHONG_CONG_NHAN"),
    "QD_CONG_NHAN_TRONG_TAI": ("THANH", "QD_CONG_NHAN_TRONG_TAI"),
    "PHAN_QUYET": ("KHONG_THANH", "PHAN_QUYET"),
}


class WrongType(AppError):
    status = 422
    code = "mediation.wrong_type"


class NotADispute(AppError):
    status = 422
    code = "mediation.not_a_dispute"


class NotUnderWay(Conflict):
    code = "mediation.not_under_way"


class NotLonger(Conflict):
    code = "mediation.not_longer"


class RuleNotInForce(AppError):
    status = 422
    code = "mediation.rule_not_in_force"


class SessionInFuture(AppError):
    status = 422
    code = "mediation.session_in_future"


class SessionBeforeReferral(AppError):
    status = 422
    code = "mediation.session_before_referral"


def check_referable(incident_kind: str, referral_type: str) -> None:
    """A mediation, arbitration or court referral must be about a dispute (422 naming incident_id)."""
    if referral_type in MEDIATION_TYPES and incident_kind != "dispute":
        raise NotADispute(field="incident_id", also=("type",), kind=incident_kind)


def outcome_fields(closing_outcome: str) -> tuple[str, str | None]:
    """The incident's (outcome, recognition) for a referral closed with this outcome."""
    return OUTCOME_FIELDS[closing_outcome]


async def _case(session: AsyncSession, principal: Principal, referral_id: uuid.UUID, *, act: bool) -> Referral:
    """A visible mediation referral about a dispute; locked, and the caller's agency its receiver, to act."""
    named = await repository.get_named(session, principal, referral_id)
    if named is None:
        raise NotFound().with_code("referral.not_found")
    referral = named[0]
    if act:
        await session.refresh(referral, with_for_update=True)  # locked, and read again after the lock
    if referral.type not in MEDIATION_TYPES:
        raise WrongType(type=referral.type)
    if act and referral.to_agency_id != principal.agency_id:
        raise Forbidden().with_code("referral.not_receiver")
    incident = await repository.incident_of(session, referral)
    check_referable(incident.kind if incident else "", referral.type)
    if act and referral.status not in UNDER_WAY:
        raise NotUnderWay(status=referral.status)
    return referral


async def add_session(
    session: AsyncSession, principal: Principal, referral_id: uuid.UUID, data: MediationSessionIn
) -> MediationSession:
    """Record one session held by the receiving agency (not in the future, not before the referral)."""
    referral = await _case(session, principal, referral_id, act=True)
    today, sent_on = local_day(now()), local_day(referral.sent_at)
    if data.held_on > today:
        raise SessionInFuture(field="held_on", held_on=data.held_on.isoformat())
    if data.held_on < sent_on:
        raise SessionBeforeReferral(field="held_on", sent_on=sent_on.isoformat())
    record = MediationSession(
        referral_id=referral.id,
        held_on=data.held_on,
        place=data.place,
        minutes=data.minutes,
        recorded_by_id=principal.user_id,
    )
    session.add(record)
    await session.flush()
    await session.refresh(record, ["created_at"])
    return record


async def list_sessions(
    session: AsyncSession, principal: Principal, referral_id: uuid.UUID
) -> list[tuple[MediationSession, str | None]]:
    """The sessions of a visible mediation referral, in the order they were held, with who recorded each."""
    await _case(session, principal, referral_id, act=False)
    return await repository.mediation_sessions(session, referral_id)


async def extend(
    session: AsyncSession, principal: Principal, referral_id: uuid.UUID, data: MediationExtensionIn
) -> Referral:
    """Switch the referral to a longer mediation clock, recompute its due date, log and announce the change."""
    referral = await _case(session, principal, referral_id, act=True)
    if data.version is not None and data.version != referral.version:
        raise Conflict(field="version", current=referral.version).with_code("referral.version_conflict")
    current = referral.due_rule or ""
    if current in EXTENSION_ORDER and EXTENSION_ORDER.index(data.rule) <= EXTENSION_ORDER.index(current):
        raise NotLonger(field="rule", rule=data.rule, current=current)
    rules = await load_rules(session, local_day(now()))
    if data.rule not in rules.by_code:
        raise RuleNotInForce(field="rule", rule=data.rule)
    old_due = referral.due_on
    referral.due_rule = data.rule
    acknowledged_on = local_day(referral.acknowledged_at) if referral.acknowledged_at else None
    set_clocks(referral, rules, local_day(referral.sent_at), acknowledged_on)
    referral.version += 1
    details = {
        "clock": "decision",
        "rule": data.rule,
        "previous_rule": current or None,
        "old": old_due.isoformat() if old_due else None,
        "new": referral.due_on.isoformat() if referral.due_on else None,
    }
    await _log_extension(session, principal, referral, data.note, details)
    return referral


async def _log_extension(
    session: AsyncSession, principal: Principal, referral: Referral, note: str, details: dict[str, Any]
) -> None:
    """The `clock_extended` event, and a notification to the sending agency, in the same transaction."""
    event = ReferralEvent(
        referral_id=referral.id,
        actor_id=principal.user_id,
        action="clock_extended",
        from_status=referral.status,
        to_status=referral.status,
        note=note,
        details=details,
    )
    session.add(event)
    await session.flush()
    await enqueue(
        session,
        kind="referral.clock_extended",
        dedupe_key=f"referral-event:{event.id}",
        agency_id=referral.from_agency_id,
        referral_id=referral.id,
        payload={"action": "clock_extended", "status": referral.status, "type": referral.type, "note": note}
        | {"incident_id": str(referral.incident_id), "due_on": details["new"], "rule": details["rule"]},
    )


def _tagger() -> Geotagger:
    """The outcome is placed where the dispute was, with the process's one geotagger."""
    return bundled_registry().tagger


def outcome_input(dispute: Incident, closing_outcome: str, mediator: str, note: str, today: date) -> MediationOutcomeIn:
    """The mediation_outcome incident of a closed referral: the dispute's place, subject matter and acts."""
    outcome, recognition = outcome_fields(closing_outcome)
    payload = dispute.payload
    fields: dict[str, Any] = {
        "occurred_at": now(),
        "location": payload.get("location"),
        "unit": payload.get("unit"),
        "subject_matter": list(dispute.subject_matter),
        "infringement_acts": list(dispute.infringement_acts),
        "right_holder": payload.get("right_holder"),
        "is_counterfeit": dispute.is_counterfeit,
        "is_ip_infringement": dispute.is_ip_infringement,
        "summary": note,
        "settles_incident_id": dispute.id,
        "mediator": mediator[:200],
        "outcome": outcome,
        "outcome_date": today,
        "recognition": recognition,
    }
    return msgspec.convert(fields, MediationOutcomeIn)


async def on_close(session: AsyncSession, principal: Principal, referral: Referral, note: str) -> dict[str, Any]:
    """Record the outcome of a closed mediation referral as a `mediation_outcome` incident of the receiver.

    Returns the details for the closing event (the new incident's id); nothing for other referral types or
    for a mediation referral stored, before refer checked it, about something that is not a dispute.
    """
    if referral.type not in MEDIATION_TYPES or referral.outcome not in OUTCOME_FIELDS:
        return {}
    dispute = await repository.incident_of(session, referral)
    if dispute is None or dispute.kind != "dispute":
        return {}
    receiver = await repository.receiver_of(session, referral)
    mediator = receiver.name_vi if receiver else principal.agency_code
    data = outcome_input(dispute, referral.outcome, mediator, note, local_day(now()))
    recorded = await record_incident(session, principal, _tagger(), data, None, flagging.refresh)
    return {"mediation_outcome_incident_id": str(recorded.incident.id)}
