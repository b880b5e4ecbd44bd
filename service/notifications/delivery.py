"""Draining the outbox: claim one message at a time, send it to each target once, retry with backoff.

Each message is claimed with `FOR UPDATE SKIP LOCKED`, sent, and committed in a transaction of its own, so
two workers never send the same message and a worker that dies before the commit leaves the message
pending for the next run. Targets already served (`notification_deliveries`) are skipped on every retry
and replay. The one window left is a crash after a server accepted a message and before the commit: the
resend then carries the same Message-ID / X-Ipcoord-Delivery for the receiver to drop.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from service.db import separate_transaction
from service.notifications import repository, security, webhooks
from service.notifications.email import Mailer, compose
from service.notifications.models import NotificationDelivery, OutboxMessage
from service.notifications.preferences import kind_of, recipients

log = logging.getLogger("ipcoord.notifications")
ERROR_LIMIT = 2000


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed message is tried again."""

    max_attempts: int = 8
    first_delay: timedelta = timedelta(seconds=60)
    max_delay: timedelta | None = None  # None: doubled without a ceiling

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure: the first delay, doubled each time (up to `max_delay`)."""
        doubled = self.first_delay * (1 << min(attempts - 1, 40))
        return min(doubled, self.max_delay) if self.max_delay else doubled


Send = Callable[[], Awaitable[None]]


class Relay(Protocol):
    """Where messages to agencies of partner nodes (codes `NODE:CODE`) go instead of email and webhooks
    (service/exchange/relay.py), with its own patience: a partner may be offline for days."""

    policy: RetryPolicy

    async def targets(
        self, session: AsyncSession, message: OutboxMessage, agency_code: str, now: datetime
    ) -> list[tuple[str, Send]]:
        """(target key, send) for the message, or none when it does not travel to the partner."""
        ...


@dataclass(frozen=True)
class Channels:
    """What a worker sends with: SMTP (None: no email), an HTTP client, the key webhook secrets come from."""

    secret_key: str
    http: httpx.AsyncClient
    mailer: Mailer | None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    relay: Relay | None = None  # messages to partner nodes' agencies (NODE:CODE)


@dataclass
class Report:
    """What one drain did."""

    sent: int = 0
    retried: int = 0
    dead: int = 0


@dataclass(frozen=True)
class _Target:
    key: str  # email:<user id> | webhook:<subscription id> | exchange:<node>
    send: Send


async def deliver_pending(session: AsyncSession, now: datetime, channels: Channels, limit: int = 200) -> Report:
    """Deliver every message due at `now`, each claimed, sent and recorded in a transaction of its own on the
    session's engine (committed: call it from jobs only; `session` itself is left untouched)."""
    report = Report()
    for _ in range(limit):
        async with separate_transaction(session) as own:
            message = await repository.claim_next(own, now)
            if message is None:
                break
            await deliver(own, message, channels, now)
            outbox_id, status, attempts = message.id, message.status, message.attempts
        report.sent += status == "sent"
        report.dead += status == "dead"
        report.retried += status == "pending"
        log.info("notification %s %s after %s attempt(s)", outbox_id, status, attempts)
    return report


async def deliver(session: AsyncSession, message: OutboxMessage, channels: Channels, now: datetime) -> None:
    """Send a claimed message to the targets it has not reached yet and record the outcome (no commit)."""
    done = await repository.delivered_targets(session, message.id)
    errors: list[str] = []
    policy = channels.policy
    try:
        relayed = await _relayed(session, message, channels, now)
        if relayed is None:
            targets = await _targets(session, message, channels, now)
        else:
            targets, policy = relayed, channels.relay.policy if channels.relay else policy
    except (ValueError, KeyError) as broken:  # an unknown kind or a payload missing a field: retried, then dead
        targets, errors = [], [f"cannot build message: {type(broken).__name__}: {broken}"]
    for target in targets:
        if target.key in done:
            continue
        error = await _attempt(target)
        session.add(
            NotificationDelivery(outbox_id=message.id, target=target.key, ok=error is None, error=error, at=now)
        )
        if error:
            errors.append(f"{target.key}: {error}")
    _settle(message, errors, policy, now)
    await session.flush()


async def _attempt(target: _Target) -> str | None:
    try:
        await target.send()
    except Exception as error:  # any failure of one target is recorded and retried, never fatal to the drain
        return f"{type(error).__name__}: {error}"[:ERROR_LIMIT]
    return None


def _settle(message: OutboxMessage, errors: list[str], policy: RetryPolicy, now: datetime) -> None:
    message.attempts += 1
    if not errors:
        message.status, message.last_error = "sent", None
        return
    message.last_error = "; ".join(errors)[:ERROR_LIMIT]
    if message.attempts >= policy.max_attempts:
        message.status = "dead"
    else:
        message.next_attempt_at = now + policy.delay(message.attempts)


async def _relayed(
    session: AsyncSession, message: OutboxMessage, channels: Channels, now: datetime
) -> list[_Target] | None:
    """The relay's targets when the message is for an agency of a partner node (None otherwise)."""
    if message.agency_id is None:
        return None
    code = await repository.agency_code(session, message.agency_id)
    if code is None or ":" not in code:
        return None
    if channels.relay is None:  # kept and retried, never marked sent to nobody
        raise ValueError(f"no exchange relay in this worker for {code}")
    return [_Target(key, send) for key, send in await channels.relay.targets(session, message, code, now)]


async def _targets(session: AsyncSession, message: OutboxMessage, channels: Channels, now: datetime) -> list[_Target]:
    """Who gets the message: users who want it by email, and the agency's webhooks for its kind."""
    if message.agency_id is None:
        return []
    if security.is_security(message.kind):
        return await _security_targets(session, message, channels)
    return [*await _email_targets(session, message, channels), *await _webhook_targets(session, message, channels, now)]


async def _email_targets(session: AsyncSession, message: OutboxMessage, channels: Channels) -> list[_Target]:
    mailer = channels.mailer
    if mailer is None or message.agency_id is None:
        return []
    referral_id = str(message.referral_id) if message.referral_id else None
    people = await recipients(session, message.agency_id, kind_of(message.kind), message.payload.get("roles"))
    return [
        _Target(
            f"email:{person.user_id}",
            partial(
                mailer.send, compose(mailer.sender, person, message.id, message.kind, message.payload, referral_id)
            ),
        )
        for person in people
    ]


async def _security_targets(session: AsyncSession, message: OutboxMessage, channels: Channels) -> list[_Target]:
    person = await security.recipient(session, message)
    if channels.mailer is None or person is None:
        return []
    email = security.compose(channels.mailer.sender, person, message)
    return [_Target(f"email:{person.user_id}", partial(channels.mailer.send, email))]


async def _webhook_targets(
    session: AsyncSession, message: OutboxMessage, channels: Channels, now: datetime
) -> list[_Target]:
    if message.agency_id is None:
        return []
    kind = kind_of(message.kind)
    subscriptions = await repository.subscriptions_for(session, message.agency_id, kind.value)
    if not subscriptions:
        return []
    agency = await repository.agency_code(session, message.agency_id)
    referral_id = str(message.referral_id) if message.referral_id else None
    data = message.payload | {"referral_id": referral_id, "outbox_kind": message.kind}
    raw = webhooks.body(message.id, kind.value, agency, data, now)
    return [
        _Target(
            f"webhook:{sub.id}",
            partial(
                webhooks.post,
                channels.http,
                sub.url,
                webhooks.derive_secret(channels.secret_key, sub.secret_nonce),
                message.id,
                raw,
                now,
            ),
        )
        for sub in subscriptions
    ]
