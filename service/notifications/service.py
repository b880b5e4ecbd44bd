"""Webhook subscriptions (agency heads and admins) and dead letters (admins): create, list, deactivate, replay."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.notifications import NotificationOut, WebhookCreatedOut, WebhookIn, WebhookOut
from service.auth.principal import Principal
from service.auth.service import require_agency
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.notifications import repository
from service.notifications.models import NotificationReplay, OutboxMessage, WebhookSubscription
from service.notifications.webhooks import derive_secret


class WebhookNotFound(NotFound):
    code = "webhook.not_found"


class NotificationNotFound(NotFound):
    code = "notification.not_found"


def webhook_out(subscription: WebhookSubscription, agency: str) -> WebhookOut:
    """A subscription as its owners see it (never the secret)."""
    return WebhookOut(
        id=subscription.id,
        agency=agency,
        url=subscription.url,
        kinds=list(subscription.kinds),
        is_active=subscription.is_active,
        created_at=subscription.created_at,
        deactivated_at=subscription.deactivated_at,
    )


async def create_subscription(
    session: AsyncSession, principal: Principal, data: WebhookIn, *, secret_key: str, https_only: bool
) -> WebhookCreatedOut:
    """Subscribe a URL to kinds of the caller's agency (admins: any agency); the secret is returned once."""
    if https_only and not data.url.startswith("https://"):
        raise Invalid(field="url").with_code("webhook.https_required")
    agency_id, agency_code = principal.agency_id, principal.agency_code
    if data.agency and data.agency != principal.agency_code:
        if not principal.is_admin:
            raise Forbidden(field="agency").with_code("webhook.other_agency")
        agency = await require_agency(session, data.agency, field="agency")
        agency_id, agency_code = agency.id, agency.code
    subscription = WebhookSubscription(
        agency_id=agency_id,
        url=data.url,
        secret_nonce=secrets.token_urlsafe(32),
        kinds=sorted(set(data.kinds)),
        is_active=True,
        created_by_id=principal.user_id,
    )
    session.add(subscription)
    await session.flush()
    out = webhook_out(subscription, agency_code)
    secret = derive_secret(secret_key, subscription.secret_nonce)
    return WebhookCreatedOut(**msgspec.structs.asdict(out), secret=secret)


async def list_subscriptions(session: AsyncSession, principal: Principal) -> list[WebhookOut]:
    """The caller's agency's subscriptions; every agency's for admins."""
    scope = None if principal.is_admin else principal.agency_id
    return [webhook_out(sub, code) for sub, code in await repository.list_subscriptions(session, scope)]


async def deactivate_subscription(
    session: AsyncSession, principal: Principal, subscription_id: uuid.UUID, now: datetime
) -> WebhookOut:
    """Stop sending to a subscription (kept on record); other agencies' subscriptions are not found."""
    row = await repository.get_subscription(session, subscription_id)
    if row is None or (not principal.is_admin and row[0].agency_id != principal.agency_id):
        raise WebhookNotFound()
    subscription, code = row
    if subscription.is_active:
        subscription.is_active, subscription.deactivated_at = False, now
        await session.flush()
    return webhook_out(subscription, code)


def notification_out(message: OutboxMessage, agency: str | None) -> NotificationOut:
    """An outbox message as administrators see it."""
    return NotificationOut(
        id=message.id,
        kind=message.kind,
        dedupe_key=message.dedupe_key,
        agency=agency,
        referral_id=message.referral_id,
        status=message.status,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
        last_error=message.last_error,
        created_at=message.created_at,
    )


async def list_messages(session: AsyncSession, status: str) -> list[NotificationOut]:
    """Messages in one status (dead letters by default), newest first."""
    return [notification_out(m, code) for m, code in await repository.list_messages(session, status)]


async def replay(
    session: AsyncSession, principal: Principal, outbox_id: int, note: str, now: datetime
) -> NotificationOut:
    """Put a dead letter back in the queue with its attempts reset, keeping what it failed with."""
    message = await repository.get_message_for_update(session, outbox_id)
    if message is None:
        raise NotificationNotFound()
    if message.status != "dead":
        raise Conflict(status=message.status).with_code("notification.not_dead")
    session.add(
        NotificationReplay(
            outbox_id=message.id,
            replayed_by_id=principal.user_id,
            attempts_before=message.attempts,
            last_error_before=message.last_error,
            note=note,
        )
    )
    message.status, message.attempts, message.next_attempt_at, message.last_error = "pending", 0, now, None
    await session.flush()
    return notification_out(message, await repository.agency_code(session, message.agency_id))
