"""Sanction decisions on an incident: record, list, track payment. Every change leaves a history entry."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, NamedTuple

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.codes import EXECUTED_PAYMENT_STATUSES, WITHDRAWN
from schemas.sanctions import PaymentUpdate, SanctionIn
from service.auth.principal import Principal
from service.clock import local_day, now
from service.errors import Conflict, Invalid, NotFound
from service.incidents import repository
from service.incidents.models import Incident
from service.incidents.service import IncidentNotFound, ReadOnly
from service.sanctions import fines
from service.sanctions import repository as sanctions
from service.sanctions.models import SanctionDecision

SANCTIONED = "sanctioned"
DEFAULT_VIOLATOR_TYPE = "individual"


class SanctionNotFound(NotFound):
    code = "sanction.not_found"


class IncidentWithdrawn(Conflict):
    code = "sanction.incident_withdrawn"


class WarningWithFine(Invalid):
    code = "sanction.warning_with_fine"


class FineRequired(Invalid):
    code = "sanction.fine_required"


class BirthDateRange(Invalid):
    code = "sanction.birth_date_range"


class IndividualOnly(Invalid):
    code = "sanction.individual_only"


class OrganisationOnly(Invalid):
    code = "sanction.organisation_only"


class ExecutedOnRange(Invalid):
    code = "sanction.executed_on_range"


class ExecutedOnStatus(Invalid):
    code = "sanction.executed_on_status"


EARLIEST_BIRTH = date(1900, 1, 1)
# Which of the national record's fields (Decree 20/2016/NĐ-CP, Art. 9) fit which violator: a person's birth date and
# sex, an organisation's legal representative; a registration number for an organisation or a household business.
PERSON_FIELDS = ("violator_birth_date", "violator_sex")
ORGANISATION_FIELDS = ("legal_representative",)
REGISTERED_TYPES = frozenset({"organisation", "household_business"})


class SanctionRecord(NamedTuple):
    """A stored decision, the code of the agency that recorded it, and whether the reader sees personal data."""

    decision: SanctionDecision
    agency_code: str
    personal: bool = True


def violator_type_of(incident: Incident) -> str:
    """The violator type recorded on the incident; individual when the incident names none."""
    violator = incident.payload.get("violator") or {}
    return str(violator.get("type") or DEFAULT_VIOLATOR_TYPE)


def check_principal_sanction(data: SanctionIn) -> None:
    """A warning carries no fine and a fine sanction carries an amount (DOMAIN.md §4, sanction forms)."""
    if data.principal_sanction == "CANH_CAO" and data.fine_vnd != 0:
        raise WarningWithFine(field="fine_vnd")
    if data.principal_sanction == "PHAT_TIEN" and data.fine_vnd == 0:
        raise FineRequired(field="fine_vnd")


def check_violator_details(data: SanctionIn, violator_type: str) -> None:
    """The national record's fields fit the incident's violator and the decision's day."""
    individual = violator_type != "organisation"
    for name in PERSON_FIELDS if not individual else ():
        if getattr(data, name) is not None:
            raise IndividualOnly(field=name)
    for name in ORGANISATION_FIELDS if individual else ():
        if getattr(data, name) is not None:
            raise OrganisationOnly(field=name)
    if data.registration_number is not None and violator_type not in REGISTERED_TYPES:
        raise OrganisationOnly(field="registration_number")
    born = data.violator_birth_date
    if born is not None and not EARLIEST_BIRTH <= born < data.decided_on:
        raise BirthDateRange(field="violator_birth_date", earliest=EARLIEST_BIRTH.strftime("%d/%m/%Y"))
    check_executed_on(data.executed_on, data.payment_status, data.decided_on)


def check_executed_on(executed_on: date | None, payment_status: str, decided_on: date) -> None:
    """A decision is carried out on a day between its decision and today, and only once paid or enforced."""
    if executed_on is None:
        return
    if payment_status not in EXECUTED_PAYMENT_STATUSES:
        raise ExecutedOnStatus(field="executed_on")
    if not decided_on <= executed_on <= local_day(now()):
        raise ExecutedOnRange(field="executed_on")


async def _writable_incident(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Incident:
    """The incident, locked, if the principal sees it and belongs to the recording agency or coordinates."""
    incident = await repository.get_for_update(session, principal, incident_id)
    if incident is None:
        raise IncidentNotFound()
    if not (principal.sees_all_agencies or incident.agency_id == principal.agency_id):
        raise ReadOnly()
    return incident


async def add_sanction(
    session: AsyncSession, principal: Principal, incident_id: uuid.UUID, data: SanctionIn
) -> SanctionRecord:
    """Record a sanction decision: the incident becomes `sanctioned` and its history says so."""
    incident = await _writable_incident(session, principal, incident_id)
    if incident.status == WITHDRAWN:
        raise IncidentWithdrawn()
    check_principal_sanction(data)
    violator_type = violator_type_of(incident)
    check_violator_details(data, violator_type)
    fines.check_fine(
        await sanctions.ceilings(session, violator_type),
        fine_vnd=data.fine_vnd,
        acts=data.acts,
        violator_type=violator_type,
        on=data.decided_on,
    )
    decision = SanctionDecision(
        incident_id=incident.id,
        agency_id=principal.agency_id,
        recorded_by_id=principal.user_id,
        **msgspec.structs.asdict(data),
    )
    session.add(decision)
    old_status, incident.status = incident.status, SANCTIONED
    incident.version += 1
    changes: dict[str, Any] = {
        "sanction": {"number": data.number, "fine_vnd": data.fine_vnd, "principal_sanction": data.principal_sanction},
        "status": {"old": old_status, "new": SANCTIONED},
    }
    await repository.add_event(session, incident, action="sanction_added", actor_id=principal.user_id, changes=changes)
    await session.flush()
    return SanctionRecord(decision, principal.agency_code)


async def list_sanctions(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> list[SanctionRecord]:
    """The decisions on an incident the principal may see, oldest decision first."""
    incident = await repository.get_visible(session, principal, incident_id)
    if incident is None:
        raise IncidentNotFound()
    personal = principal.sees_all_agencies or principal.agency_id == incident.agency_id
    return [
        SanctionRecord(decision, code, personal)
        for decision, code in await sanctions.decisions_of(session, incident.id)
    ]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


async def _decision_for_update(session: AsyncSession, incident: Incident, sanction_id: uuid.UUID) -> SanctionDecision:
    decision = await sanctions.locked_decision(session, incident.id, sanction_id)
    if decision is None:
        raise SanctionNotFound()
    return decision


async def update_payment(
    session: AsyncSession,
    principal: Principal,
    incident_id: uuid.UUID,
    sanction_id: uuid.UUID,
    data: PaymentUpdate,
) -> SanctionRecord:
    """Change a decision's payment status; the old and new status and the reason go into the history."""
    incident = await _writable_incident(session, principal, incident_id)
    decision = await _decision_for_update(session, incident, sanction_id)
    check_executed_on(data.executed_on, data.payment_status, decision.decided_on)
    old_status, old_executed = decision.payment_status, decision.executed_on
    executed_on = data.executed_on
    if executed_on is None and data.payment_status == old_status:
        executed_on = old_executed  # the same status again keeps the day it was carried out
    if (data.payment_status, executed_on) != (old_status, old_executed):
        decision.payment_status, decision.executed_on = data.payment_status, executed_on
        # The incident's version is not bumped: payment is not part of the incident's own representation.
        changes: dict[str, Any] = {
            "sanction": {"id": str(decision.id), "number": decision.number},
            "payment_status": {"old": old_status, "new": data.payment_status},
        }
        if executed_on != old_executed:
            changes["executed_on"] = {"old": _day(old_executed), "new": _day(executed_on)}
        await repository.add_event(
            session,
            incident,
            action="sanction_payment_updated",
            actor_id=principal.user_id,
            reason=data.reason,
            changes=changes,
        )
        await session.flush()
    code = await sanctions.agency_code(session, decision.agency_id)
    return SanctionRecord(decision, code or "")
