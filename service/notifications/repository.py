"""Every notification statement: the outbox (queued, claimed), targets, subscriptions, dead letters, recipients and
their preferences."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import String, any_, bindparam, delete, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency, User
from service.notifications.models import (
    NotificationContact,
    NotificationDelivery,
    NotificationPreference,
    OutboxMessage,
    WebhookSubscription,
)


async def claim_next(session: AsyncSession, now: datetime) -> OutboxMessage | None:
    """The oldest message due for delivery, locked until the transaction ends; skips rows others hold."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(stmt)).one_or_none()


async def delivered_targets(session: AsyncSession, outbox_id: int) -> set[str]:
    """Targets this message already reached (they are never sent it again)."""
    stmt = select(NotificationDelivery.target).where(
        NotificationDelivery.outbox_id == outbox_id, NotificationDelivery.ok.is_(True)
    )
    return set(await session.scalars(stmt))


async def subscriptions_for(session: AsyncSession, agency_id: uuid.UUID, kind: str) -> list[WebhookSubscription]:
    """The agency's active webhooks that asked for this kind."""
    stmt = (
        select(WebhookSubscription)
        .where(WebhookSubscription.agency_id == agency_id, WebhookSubscription.is_active.is_(True))
        .where(WebhookSubscription.kinds.contains([kind]))
        .order_by(WebhookSubscription.id)
    )
    return list(await session.scalars(stmt))


async def agency_code(session: AsyncSession, agency_id: uuid.UUID | None) -> str | None:
    """An agency's code, for message bodies."""
    if agency_id is None:
        return None
    code: str | None = await session.scalar(select(Agency.code).where(Agency.id == agency_id))
    return code


async def list_messages(session: AsyncSession, status: str, limit: int = 200) -> list[tuple[OutboxMessage, str | None]]:
    """Messages in one status, newest first, with their agency's code."""
    stmt = (
        select(OutboxMessage, Agency.code)
        .outerjoin(Agency, Agency.id == OutboxMessage.agency_id)
        .where(OutboxMessage.status == status)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def get_message_for_update(session: AsyncSession, outbox_id: int) -> OutboxMessage | None:
    """One message, locked (a worker holding it is waited for)."""
    stmt = select(OutboxMessage).where(OutboxMessage.id == outbox_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def list_subscriptions(
    session: AsyncSession, agency_id: uuid.UUID | None
) -> list[tuple[WebhookSubscription, str]]:
    """Webhook subscriptions of one agency (every agency for None), newest first, with the agency's code."""
    stmt = select(WebhookSubscription, Agency.code).join(Agency, Agency.id == WebhookSubscription.agency_id)
    if agency_id is not None:
        stmt = stmt.where(WebhookSubscription.agency_id == agency_id)
    rows = await session.execute(stmt.order_by(WebhookSubscription.created_at.desc()))
    return [(row[0], row[1]) for row in rows.all()]


async def get_subscription(session: AsyncSession, subscription_id: uuid.UUID) -> tuple[WebhookSubscription, str] | None:
    """One subscription with its agency's code."""
    stmt = (
        select(WebhookSubscription, Agency.code)
        .join(Agency, Agency.id == WebhookSubscription.agency_id)
        .where(WebhookSubscription.id == subscription_id)
    )
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row else None


async def insert_message(session: AsyncSession, values: dict[str, Any]) -> bool:
    """One outbox row; a second with the same dedupe key is ignored. True when inserted."""
    stmt = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


_INSERT_MANY = text(
    "WITH queued AS (INSERT INTO notification_outbox (kind, dedupe_key, agency_id, referral_id, payload, status, "
    "attempts) SELECT k, d, a, r, p::jsonb, 'pending', 0 "
    "FROM unnest(:kinds, :keys, :agencies, :referrals, :payloads) AS m(k, d, a, r, p) "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1) SELECT count(*) FROM queued"
).bindparams(
    bindparam("kinds", type_=ARRAY(String())),
    bindparam("keys", type_=ARRAY(String())),
    bindparam("agencies", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("referrals", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("payloads", type_=ARRAY(String())),
)


async def insert_messages(session: AsyncSession, messages: list[dict[str, Any]]) -> int:
    """Outbox rows in one statement, in the order given (arrays, so no parameter limit); rows whose dedupe key is
    already there are skipped. How many were inserted."""
    if not messages:
        return 0
    values = {
        "kinds": [m["kind"] for m in messages],
        "keys": [m["dedupe_key"] for m in messages],
        "agencies": [m.get("agency_id") for m in messages],
        "referrals": [m.get("referral_id") for m in messages],
        "payloads": [msgspec.json.encode(m.get("payload") or {}).decode() for m in messages],
    }
    return int((await session.execute(_INSERT_MANY, values)).scalar_one())


async def agency_recipients(
    session: AsyncSession, agency_id: uuid.UUID, kind: str, roles: list[str] | None
) -> list[tuple[uuid.UUID, str, str | None]]:
    """(user id, email, their channel for `kind` or None) of the agency's active users with an address."""
    choice = (
        select(NotificationPreference.channel)
        .where(NotificationPreference.user_id == User.id, NotificationPreference.kind == kind)
        .scalar_subquery()
    )
    stmt = (
        select(User.id, NotificationContact.email, choice)
        .join(NotificationContact, NotificationContact.user_id == User.id)
        .where(User.agency_id == agency_id, User.is_active.is_(True))
        .order_by(User.username)
    )
    if roles:
        stmt = stmt.where(User.role.in_(roles))
    return [(user_id, email, channel) for user_id, email, channel in (await session.execute(stmt)).all()]


async def active_user_email(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    """The address of a user who is still active."""
    stmt = (
        select(NotificationContact.email)
        .join(User, User.id == NotificationContact.user_id)
        .where(NotificationContact.user_id == user_id, User.is_active.is_(True))
    )
    return await session.scalar(stmt)


async def contact_email(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    return await session.scalar(select(NotificationContact.email).where(NotificationContact.user_id == user_id))


async def chosen_channels(session: AsyncSession, user_id: uuid.UUID) -> dict[str, str]:
    """The user's channel by kind, for the kinds they chose."""
    rows = await session.execute(
        select(NotificationPreference.kind, NotificationPreference.channel).where(
            NotificationPreference.user_id == user_id
        )
    )
    return {row[0]: row[1] for row in rows.all()}


async def set_contact(session: AsyncSession, user_id: uuid.UUID, email: str | None) -> None:
    """The user's address replaced (None removes it)."""
    if email is None:
        await session.execute(delete(NotificationContact).where(NotificationContact.user_id == user_id))
    else:
        upsert = insert(NotificationContact).values(user_id=user_id, email=email)
        changed = {"email": email, "updated_at": func.now()}
        await session.execute(upsert.on_conflict_do_update(index_elements=["user_id"], set_=changed))


async def delete_preferences(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user_id))


async def queued_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Keys already in the outbox (a shortcut only: the unique constraint is what guarantees once)."""
    if not keys:
        return set()
    # One array parameter, not an IN list: a backlog of tens of thousands of keys must not hit
    # PostgreSQL's 32,767-parameter limit.
    wanted = bindparam("keys", keys, type_=ARRAY(String()))
    return set(await session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key == any_(wanted))))
