"""Sanction decisions on an incident: record, list, track payment. Every change leaves a history entry."""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.codes import WITHDRAWN
from schemas.sanctions import PaymentUpdate, SanctionIn
from service.auth.principal import Principal
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


class SanctionRecord(NamedTuple):
    """A stored decision and the code of the agency that recorded it."""

    decision: SanctionDecision
    agency_code: str


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
    return [SanctionRecord(decision, code) for decision, code in await sanctions.decisions_of(session, incident.id)]


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
    old_status = decision.payment_status
    if data.payment_status != old_status:
        decision.payment_status = data.payment_status
        # The incident's version is not bumped: payment is not part of the incident's own representation.
        changes = {
            "sanction": {"id": str(decision.id), "number": decision.number},
            "payment_status": {"old": old_status, "new": data.payment_status},
        }
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
