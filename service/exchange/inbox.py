"""Receiving a message from a partner node (POST /api/exchange/v1/messages), checked in the order of
docs/exchange.md §5. Any refusal raises before the request's transaction commits, so nothing is stored."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.exchange import ExchangeAgencyOut
from service.clock import local_day
from service.errors import AppError
from service.exchange import envelope, keys, repository
from service.exchange.envelope import Envelope
from service.exchange.messages import AnswerBody, ReferralBody, SharedIncident, StatusBody
from service.exchange.models import ExchangeMessage, ExchangePartner
from service.exchange.relay import digest
from service.exchange.service import Node
from service.incidents import repository as incidents
from service.incidents.models import Incident
from service.referrals import remote

log = logging.getLogger("ipcoord.exchange")
T = TypeVar("T")


class Refusal(AppError):
    """A message refused by the receiver's checks; nothing of it is stored."""

    status = 422
    code = "exchange.malformed"


class UnknownKey(Refusal):
    status = 401
    code = "exchange.unknown_key"


class BadSignature(Refusal):
    status = 401
    code = "exchange.bad_signature"


class WrongSender(Refusal):
    status = 403
    code = "exchange.wrong_sender"


class Duplicate(Refusal):
    status = 409
    code = "exchange.duplicate"


class IdReused(Refusal):
    status = 409
    code = "exchange.id_reused"


class AgencyNotAccepted(Refusal):
    code = "exchange.agency_not_accepted"


class UnknownReferral(Refusal):
    code = "exchange.unknown_referral"


ENVELOPE_CODES = {
    "exchange.malformed": Refusal,
    "exchange.wrong_sender": WrongSender,
    "exchange.wrong_node": Refusal,
    "exchange.from_future": Refusal,
    "exchange.expired": Refusal,
}
REFUSALS: tuple[type[AppError], ...] = (
    Refusal,
    UnknownKey,
    BadSignature,
    WrongSender,
    Duplicate,
    IdReused,
    AgencyNotAccepted,
    UnknownReferral,
)


@dataclass(frozen=True)
class Verified:
    """A message whose signature, sender, address and window passed."""

    partner: ExchangePartner
    envelope: Envelope
    sha256: str


async def verify(session: AsyncSession, node: Node, token: str, now: datetime) -> Verified:
    """Checks 1–4: the key is a pinned partner's, the signature holds, the envelope is addressed and fresh."""
    try:
        kid = keys.key_id(token)
    except keys.BadSignature as error:
        raise BadSignature(field="jws", detail=str(error)) from error
    partner = await repository.partner_by_fingerprint(session, kid)
    if partner is None:
        raise UnknownKey(field="kid", kid=kid)
    try:
        payload = keys.verify(token, keys.import_public(partner.public_jwk))
    except keys.BadSignature as error:
        raise BadSignature(field="jws", detail=str(error)) from error
    try:
        opened = envelope.open_checked(payload, signer=partner.node_id, me=node.node_id, now=now)
    except envelope.Refused as refused:
        error_type = ENVELOPE_CODES.get(refused.code, Refusal)
        raise error_type(field="payload", node=node.node_id, sender=partner.node_id).with_code(refused.code) from None
    return Verified(partner, opened, digest(token))


async def receive(session: AsyncSession, node: Node, token: str, now: datetime) -> dict[str, Any]:
    """Store a verified message once and act on it: a referral into the inbox, a status onto our referral."""
    checked = await verify(session, node, token, now)
    partner, message = checked.partner, checked.envelope
    stored = await repository.arrival(session, partner.node_id, message.id)
    if stored is not None:
        raise _again(stored, checked)
    remote_id, action = None, None
    if message.type == "referral":
        referral_id, remote_id = await _referral(session, partner, message, now), _field(message, "referral_id")
    elif message.type == "status":
        referral_id, action = await _status(session, partner, message), str(message.body["action"])
    elif message.type == "answer":
        referral_id, remote_id = await _answer(session, partner, message), _field(message, "referral_id")
        action = "provide_information"
    else:
        raise Refusal(field="type", node=node.node_id, sender=partner.node_id)
    row = {
        "message_id": message.id,
        "direction": "in",
        "partner_node": partner.node_id,
        "type": message.type,
        "action": action,
        "sha256": checked.sha256,
        "token": token,
        "referral_id": referral_id,
        "remote_referral_id": remote_id,
        "result": "accepted",
        "http_status": 202,
        "attempts": 1,
        "created_at": now,
        "updated_at": now,
    }
    if await repository.claim_arrival(session, row) is None:  # the same message, arrived meanwhile
        again = await repository.arrival(session, partner.node_id, message.id)
        raise _again(again, checked) if again else Duplicate(field="id", id=str(message.id))
    log.info("exchange: accepted %s %s from %s", message.type, message.id, partner.node_id)
    return {"message_id": str(message.id), "result": "accepted", "referral_id": str(referral_id)}


def _again(stored: ExchangeMessage, checked: Verified) -> AppError:
    """A message id seen before: the identical message is a duplicate (delivered), and so is the same message
    re-signed with a later `issued_at` (a replayed dead letter); any other content under the id reuses it."""
    if stored.sha256 == checked.sha256 or envelope.same_message(
        keys.unverified_payload(stored.token), checked.envelope
    ):
        return Duplicate(field="id", id=str(stored.message_id), referral_id=str(stored.referral_id))
    return IdReused(field="id", id=str(stored.message_id))


def _field(message: Envelope, name: str) -> uuid.UUID | None:
    value = message.body.get(name)
    return uuid.UUID(str(value)) if value else None


def _body(message: Envelope, kind: type[T]) -> T:
    try:
        return msgspec.convert(message.body, kind)
    except msgspec.ValidationError as error:
        raise Refusal(field="body", detail=str(error)).with_code("exchange.bad_body") from error


async def _referral(session: AsyncSession, partner: ExchangePartner, message: Envelope, now: datetime) -> uuid.UUID:
    """The referral in the receiving agency's inbox, about a copy of the shared incident."""
    body = _body(message, ReferralBody)
    accepting = {a.code: a for a in await repository.accepting_agencies(session, local_day(now))}
    receiver = accepting.get(body.to_agency)
    if receiver is None:
        raise AgencyNotAccepted(field="body.to_agency", agency=body.to_agency)
    sender_code = f"{partner.node_id}:{body.from_agency}"
    sender = await repository.agency_by_code(session, sender_code)
    if sender is None:  # an agency the partner added since it was pinned
        named = ExchangeAgencyOut(code=body.from_agency, name_vi=sender_code, name_en=sender_code)
        await repository.upsert_external_agencies(session, partner.node_id, [named], local_day(now))
        sender = await repository.agency_by_code(session, sender_code)
    if sender is None:
        raise AgencyNotAccepted(field="body.from_agency", agency=sender_code)
    account = await repository.system_user(session, partner.node_id, sender.id)
    origin = {"via": "exchange", "node": partner.node_id, "message_id": str(message.id)}
    incident = await repository.add_incident(session, _incident(body.incident, sender.id, account.id, origin))
    await incidents.add_event(session, incident, action="received", actor_id=None, reason=sender_code, changes=origin)
    details = origin | {
        "remote_referral_id": str(body.referral_id),
        "attachments": [msgspec.to_builtins(a) for a in body.attachments],
    }
    referral = await remote.arrive(
        session,
        incident_id=incident.id,
        from_agency_id=sender.id,
        to_agency_id=receiver.id,
        referral_type=body.referral_type,
        message=body.message,
        sent_by_id=account.id,
        details=details,
    )
    return referral.id


def _incident(shared: SharedIncident, agency_id: uuid.UUID, user_id: uuid.UUID, origin: dict[str, str]) -> Incident:
    units = {(u.generation, u.level): u.code for u in shared.place.units}
    has_point = shared.place.lon is not None and shared.place.lat is not None
    return Incident(
        kind=shared.kind,
        agency_id=agency_id,
        recorded_by_id=user_id,
        occurred_at=shared.occurred_at,
        detected_at=shared.detected_at,
        lon=shared.place.lon,
        lat=shared.place.lat,
        location_source="gps" if has_point else "picked",
        unit_2025=units.get(("2025", "commune")),
        commune_2024=units.get(("2024", "commune")),
        district_2024=units.get(("2024", "district")),
        subject_matter=list(shared.subject_matter),
        infringement_acts=list(shared.infringement_acts),
        is_counterfeit=shared.is_counterfeit,
        goods_value_vnd=shared.goods_value_vnd,
        crime_signs=[],
        search_text="",
        payload=msgspec.to_builtins(shared) | {"received": origin},
    )


async def _status(session: AsyncSession, partner: ExchangePartner, message: Envelope) -> uuid.UUID:
    """What the partner did with a referral this node sent it, in that referral's timeline."""
    body = _body(message, StatusBody)
    if await repository.sent_referral(session, body.referral_id, partner.node_id) is None:
        raise UnknownReferral(field="body.referral_id", referral_id=str(body.referral_id))
    referral = await repository.referral_for_update(session, body.referral_id)
    if referral is None:
        raise UnknownReferral(field="body.referral_id", referral_id=str(body.referral_id))
    details = {"via": "exchange", "node": partner.node_id, "message_id": str(message.id), "outcome": body.outcome}
    await remote.mirror(
        session,
        referral,
        action=body.action,
        status=body.status,
        outcome=body.outcome,
        note=f"[{partner.node_id}] {body.note}".strip(),  # who acted: the partner node
        details=details,
    )
    return referral.id


async def _answer(session: AsyncSession, partner: ExchangePartner, message: Envelope) -> uuid.UUID:
    """The partner's answer to our request for information, on the referral it sent us: in its timeline, with
    the files it lists (fetched on demand from the referral's page), and the decision clock restarted."""
    body = _body(message, AnswerBody)
    arrived = await repository.arrived_from(session, partner.node_id, body.referral_id)
    referral = (
        await repository.referral_for_update(session, arrived.referral_id) if arrived and arrived.referral_id else None
    )
    if referral is None:
        raise UnknownReferral(field="body.referral_id", referral_id=str(body.referral_id))
    details = {
        "via": "exchange",
        "node": partner.node_id,
        "message_id": str(message.id),
        "attachments": [msgspec.to_builtins(a) for a in body.attachments],
    }
    await remote.answered(session, referral, note=f"[{partner.node_id}] {body.note}".strip(), details=details)
    return referral.id
