"""Every notification query: claiming outbox messages, targets, subscriptions, dead letters."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency
from service.notifications.models import NotificationDelivery, OutboxMessage, WebhookSubscription


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
