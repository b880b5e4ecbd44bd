"""Every exchange query."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import any_, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.exchange import ExchangeAgencyOut
from service.admin_units.models import AdminUnit
from service.attachments.models import Attachment
from service.auth.models import Agency, User
from service.exchange.models import ExchangeMessage, ExchangePartner
from service.incidents.models import Incident
from service.notifications.models import NotificationReplay
from service.referrals.models import Referral, ReferralEvent


async def accepting_agencies(session: AsyncSession, today: date) -> list[Agency]:
    """This node's own agencies in force today (partner agencies, coded NODE:CODE, are not offered on)."""
    stmt = (
        select(Agency)
        .where(Agency.valid_from <= today, (Agency.valid_to.is_(None)) | (Agency.valid_to >= today))
        .where(Agency.code.not_like("%:%"))
        .order_by(Agency.code)
    )
    return list(await session.scalars(stmt))


async def partner_by_node(session: AsyncSession, node_id: str) -> ExchangePartner | None:
    """The partner with this node id, locked while it is re-pinned."""
    stmt = select(ExchangePartner).where(ExchangePartner.node_id == node_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def partner_by_fingerprint(session: AsyncSession, fingerprint: str) -> ExchangePartner | None:
    """The partner whose pinned key has this fingerprint (a message's `kid`)."""
    return (
        await session.scalars(select(ExchangePartner).where(ExchangePartner.fingerprint == fingerprint))
    ).one_or_none()


async def upsert_external_agencies(
    session: AsyncSession, node_id: str, agencies: list[ExchangeAgencyOut], today: date
) -> None:
    """The partner's agencies as agencies coded NODE:CODE, selectable as referral receivers."""
    if not agencies:
        return
    rows = [
        {"code": f"{node_id}:{a.code}", "name_vi": a.name_vi, "name_en": a.name_en, "valid_from": today}
        for a in agencies
    ]
    stmt = insert(Agency).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["code"], set_={"name_vi": stmt.excluded.name_vi, "name_en": stmt.excluded.name_en}
    )
    await session.execute(stmt)


async def partner(session: AsyncSession, node_id: str) -> ExchangePartner | None:
    """The partner with this node id (not locked)."""
    return (await session.scalars(select(ExchangePartner).where(ExchangePartner.node_id == node_id))).one_or_none()


async def list_partners(session: AsyncSession) -> list[ExchangePartner]:
    """Every pinned partner, by node id."""
    return list(await session.scalars(select(ExchangePartner).order_by(ExchangePartner.node_id)))


async def agency_by_code(session: AsyncSession, code: str) -> Agency | None:
    """An agency (this node's own, or a partner's NODE:CODE) by its code."""
    return (await session.scalars(select(Agency).where(Agency.code == code))).one_or_none()


async def agency_codes(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The codes of these agencies."""
    rows = await session.execute(select(Agency.id, Agency.code).where(Agency.id.in_(ids)))
    return {row[0]: row[1] for row in rows.all()}


async def system_user(session: AsyncSession, node_id: str, agency_id: uuid.UUID) -> User:
    """The account a partner node's referrals are recorded under: inactive, with no usable password."""
    username = f"exchange:{node_id}"
    stmt = (
        insert(User)
        .values(
            id=uuid.uuid4(),
            username=username,
            full_name=f"Exchange node {node_id}",
            password_hash="!",  # matches no password: nobody signs in as a node  # noqa: S106
            agency_id=agency_id,
            role="inspector",
            is_active=False,
            created_at=func.now(),
            updated_at=func.now(),
        )
        .on_conflict_do_nothing(index_elements=["username"])
    )
    await session.execute(stmt)
    return (await session.scalars(select(User).where(User.username == username))).one()


async def referral(session: AsyncSession, referral_id: uuid.UUID) -> Referral | None:
    """One referral (not locked)."""
    return await session.get(Referral, referral_id)


async def referral_for_update(session: AsyncSession, referral_id: uuid.UUID) -> Referral | None:
    """One referral, locked until the transaction ends."""
    stmt = select(Referral).where(Referral.id == referral_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def referral_event(session: AsyncSession, event_id: int) -> ReferralEvent | None:
    """One event of a referral's timeline."""
    return await session.get(ReferralEvent, event_id)


async def arrived_from(session: AsyncSession, node_id: str, remote_referral_id: uuid.UUID) -> ExchangeMessage | None:
    """The referral message this partner sent us, by the partner's referral id (what its answers quote)."""
    stmt = select(ExchangeMessage).where(
        ExchangeMessage.direction == "in",
        ExchangeMessage.type == "referral",
        ExchangeMessage.partner_node == node_id,
        ExchangeMessage.remote_referral_id == remote_referral_id,
    )
    return (await session.scalars(stmt)).first()


async def incident(session: AsyncSession, incident_id: uuid.UUID) -> Incident | None:
    """One incident (the sender's, whose shared subset a referral carries)."""
    return await session.get(Incident, incident_id)


async def attachments(session: AsyncSession, ids: list[uuid.UUID]) -> list[Attachment]:
    """The attachments a referral lists, in a stable order."""
    if not ids:
        return []
    return list(await session.scalars(select(Attachment).where(Attachment.id.in_(ids)).order_by(Attachment.id)))


async def attachment_sent_to(session: AsyncSession, sha256: str, node_id: str) -> Attachment | None:
    """An attachment with this hash on a referral sent to this partner node (what it may fetch)."""
    stmt = (
        select(Attachment)
        .join(Referral, Attachment.id == any_(Referral.attachment_ids))
        .join(Agency, Agency.id == Referral.to_agency_id)
        .where(Attachment.sha256 == sha256, Agency.code.like(f"{node_id}:%"))
        .limit(1)
    )
    return (await session.scalars(stmt)).first()


async def unit_names(session: AsyncSession, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Names of administrative units by (generation, code)."""
    if not keys:
        return {}
    stmt = select(AdminUnit.generation, AdminUnit.code, AdminUnit.name).where(
        tuple_(AdminUnit.generation, AdminUnit.code).in_(keys)
    )
    return {(row[0], row[1]): row[2] for row in (await session.execute(stmt)).all()}


async def outgoing_for_outbox(session: AsyncSession, outbox_id: int) -> ExchangeMessage | None:
    """The signed message an outbox entry became at its first delivery attempt."""
    return (await session.scalars(select(ExchangeMessage).where(ExchangeMessage.outbox_id == outbox_id))).one_or_none()


async def replayed(session: AsyncSession, outbox_id: int) -> bool:
    """Whether an administrator has replayed this outbox message (it was a dead letter)."""
    stmt = select(NotificationReplay.id).where(NotificationReplay.outbox_id == outbox_id).limit(1)
    return (await session.scalar(stmt)) is not None


async def arrived_referral(session: AsyncSession, referral_id: uuid.UUID) -> ExchangeMessage | None:
    """The message a local referral arrived in (its partner and the partner's referral id), if it arrived."""
    stmt = select(ExchangeMessage).where(
        ExchangeMessage.direction == "in",
        ExchangeMessage.type == "referral",
        ExchangeMessage.referral_id == referral_id,
    )
    return (await session.scalars(stmt)).first()


async def sent_referral(session: AsyncSession, referral_id: uuid.UUID, node_id: str) -> ExchangeMessage | None:
    """The referral message this node sent the partner for one of its referrals (what the partner may report on)."""
    stmt = select(ExchangeMessage).where(
        ExchangeMessage.direction == "out",
        ExchangeMessage.type == "referral",
        ExchangeMessage.referral_id == referral_id,
        ExchangeMessage.partner_node == node_id,
    )
    return (await session.scalars(stmt)).first()


async def claim_arrival(session: AsyncSession, row: dict[str, Any]) -> int | None:
    """Store an arrived message once per sender and id; None when that id is stored already."""
    stmt = (
        insert(ExchangeMessage)
        .values(**row)
        .on_conflict_do_nothing(constraint="exchange_message_once")
        .returning(ExchangeMessage.id)
    )
    found: int | None = (await session.execute(stmt)).scalar_one_or_none()
    return found


async def arrival(session: AsyncSession, node_id: str, message_id: uuid.UUID) -> ExchangeMessage | None:
    """An arrived message by sender and id."""
    stmt = select(ExchangeMessage).where(
        ExchangeMessage.direction == "in",
        ExchangeMessage.partner_node == node_id,
        ExchangeMessage.message_id == message_id,
    )
    return (await session.scalars(stmt)).one_or_none()


async def message_log(session: AsyncSession, limit: int = 500) -> list[ExchangeMessage]:
    """The newest messages exchanged, both ways."""
    stmt = select(ExchangeMessage).order_by(ExchangeMessage.id.desc()).limit(limit)
    return list(await session.scalars(stmt))


async def add_incident(session: AsyncSession, incident: Incident) -> Incident:
    """Store an incident that arrived with a referral from a partner node."""
    session.add(incident)
    await session.flush()
    return incident
