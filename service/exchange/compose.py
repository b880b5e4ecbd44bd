"""What an outbox message to a partner's agency says: a referral with the incident's shared subset, or a status
of a referral that arrived from the partner. Built once, at the message's first delivery attempt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from service.attachments.models import Attachment
from service.exchange import repository
from service.exchange.messages import (
    VIOLATOR_SHARED,
    AnswerBody,
    AttachmentRef,
    GoodsLine,
    LegalBasis,
    Place,
    ReferralBody,
    SharedIncident,
    StatusBody,
    Unit,
    Violator,
)
from service.incidents.models import Incident
from service.notifications.models import OutboxMessage
from service.referrals.models import Referral

ATTACHMENT_PATH = "/api/exchange/v1/attachments/"
EVENT_KEY = "referral-event:"  # the dedupe key of an outbox message written with a referral event
STATUS_ACTIONS = frozenset({"acknowledge", "start", "request_information", "close", "return", "refuse"})


@dataclass(frozen=True)
class Composed:
    """A message body to sign, and what the log keeps about it."""

    type: str
    body: dict[str, Any]
    action: str | None
    remote_referral_id: Any = None


async def compose(session: AsyncSession, message: OutboxMessage, public_url: str, to_code: str) -> Composed | None:
    """The body for this outbox message, or None when its kind does not travel (reminders, digests, ...)."""
    if message.referral_id is None:
        return None
    referral = await repository.referral(session, message.referral_id)
    if referral is None:
        return None
    action = message.kind.removeprefix("referral.")
    if action == "sent":
        return Composed("referral", await _referral_body(session, referral, public_url, to_code), None)
    if action == "provide_information":
        return await _answer(session, message, referral, public_url)
    if action in STATUS_ACTIONS:
        arrived = await repository.arrived_referral(session, referral.id)
        if arrived is None or arrived.remote_referral_id is None:
            return None  # not a referral the partner sent: nothing to report back
        body = StatusBody(
            referral_id=arrived.remote_referral_id,
            action=action,  # type: ignore[arg-type]
            status=message.payload.get("status", referral.status),
            outcome=referral.outcome if action == "close" else None,
            note=str(message.payload.get("note", "")),
            at=message.created_at,
        )
        return Composed("status", msgspec.to_builtins(body), action, arrived.remote_referral_id)
    return None


async def _referral_body(session: AsyncSession, referral: Referral, public_url: str, to_code: str) -> dict[str, Any]:
    incident = await repository.incident(session, referral.incident_id)
    if incident is None:
        raise ValueError(f"referral {referral.id} has no incident")
    codes = await repository.agency_codes(session, [referral.from_agency_id])
    files = await repository.attachments(session, list(referral.attachment_ids))
    body = ReferralBody(
        referral_id=referral.id,
        from_agency=codes[referral.from_agency_id],
        to_agency=to_code,
        referral_type=referral.type,  # type: ignore[arg-type]
        message=referral.message,
        incident=await shared_incident(session, incident, referral.type),
        attachments=refs(files, public_url),
    )
    return msgspec.to_builtins(body)  # type: ignore[no-any-return]


def refs(files: list[Attachment], public_url: str) -> list[AttachmentRef]:
    """Files by hash, each with the URL the partner fetches it from with a signed request (fetch.py)."""
    return [
        AttachmentRef(
            sha256=f.sha256,
            file_name=f.file_name,
            content_type=f.content_type,
            size_bytes=f.size_bytes,
            url=public_url + ATTACHMENT_PATH + f.sha256,
        )
        for f in files
    ]


async def _answer(
    session: AsyncSession, message: OutboxMessage, referral: Referral, public_url: str
) -> Composed | None:
    """The sender's answer to the partner's request for information: its note and the files it added.

    Only for a referral this node sent (an answer on a referral that arrived here is the partner's own business).
    The files are those of the answer's event (the outbox message is keyed `referral-event:<event id>`)."""
    if await repository.arrived_referral(session, referral.id) is not None:
        return None
    event_id = message.dedupe_key.removeprefix(EVENT_KEY)
    event = await repository.referral_event(session, int(event_id)) if event_id.isdigit() else None
    ids = [uuid.UUID(i) for i in (event.details.get("attachment_ids", []) if event else [])]
    body = AnswerBody(
        referral_id=referral.id,
        note=str(message.payload.get("note", "")),
        attachments=refs(await repository.attachments(session, ids), public_url),
        at=message.created_at,
    )
    return Composed("answer", msgspec.to_builtins(body), "provide_information", None)


async def shared_incident(session: AsyncSession, incident: Incident, referral_type: str) -> SharedIncident:
    """The incident's shared subset; the violator only for the types of VIOLATOR_SHARED."""
    payload = incident.payload
    units = [
        (gen, level, code)
        for gen, level, code in (
            ("2025", "commune", incident.unit_2025),
            ("2024", "commune", incident.commune_2024),
            ("2024", "district", incident.district_2024),
        )
        if code
    ]
    names = await repository.unit_names(session, [(gen, code) for gen, _, code in units])
    violator = payload.get("violator") if referral_type in VIOLATOR_SHARED else None
    return SharedIncident(
        kind=incident.kind,
        occurred_at=incident.occurred_at,
        detected_at=incident.detected_at,
        place=Place(
            lon=incident.lon,
            lat=incident.lat,
            units=[Unit(generation=g, level=lv, code=c, name=names.get((g, c))) for g, lv, c in units],  # type: ignore[arg-type]
        ),
        subject_matter=list(incident.subject_matter),
        infringement_acts=list(incident.infringement_acts),
        is_counterfeit=incident.is_counterfeit,
        goods=msgspec.convert(payload.get("goods", []), list[GoodsLine]),
        goods_value_vnd=incident.goods_value_vnd,
        illegal_profit_vnd=payload.get("illegal_profit_vnd"),
        damage_vnd=payload.get("damage_vnd"),
        legal_basis=msgspec.convert(payload.get("legal_basis", []), list[LegalBasis]),
        violator=msgspec.convert(violator, Violator) if violator else None,
    )
