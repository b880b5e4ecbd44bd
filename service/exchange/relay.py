"""Sending to partner nodes through the notification outbox: the worker's relay (service/notifications/delivery.py).

An outbox message for an agency coded `NODE:CODE` becomes, at its first delivery attempt, one signed message to
that partner's inbox, logged in exchange_messages with its SHA-256. The outbox's retries send the same bytes
again, with this relay's patience (a partner may be offline for days; the envelope's 7-day window allows it),
until the partner takes it (202) or says it already has it (409 exchange.duplicate); then it dead-letters
like a webhook.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import httpx
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from service.exchange import envelope, keys, repository
from service.exchange.compose import compose
from service.exchange.models import ExchangeMessage
from service.exchange.service import Node
from service.notifications.delivery import RetryPolicy, Send
from service.notifications.models import OutboxMessage

log = logging.getLogger("ipcoord.exchange")
MEDIA_TYPE = "application/jose"
ERROR_LIMIT = 2000
# Every minute at first, then at most hourly: about seven days of attempts, the envelope's window.
EXCHANGE_POLICY = RetryPolicy(max_attempts=175, first_delay=timedelta(seconds=60), max_delay=timedelta(hours=1))


class ExchangeFailed(Exception):
    """The partner did not take the message (unreachable, or an answer other than 202 / 409 duplicate)."""


def digest(token: str) -> str:
    """The SHA-256 (hex) of a compact JWS as it travels: what both sides log."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class ExchangeRelay:
    """The relay of one worker: this node's key and an HTTP client."""

    node: Node
    http: httpx.AsyncClient
    policy: RetryPolicy = field(default_factory=lambda: EXCHANGE_POLICY)

    async def targets(
        self, session: AsyncSession, message: OutboxMessage, agency_code: str, now: datetime
    ) -> list[tuple[str, Send]]:
        """The partner's inbox for this message, or nothing when its kind does not travel."""
        node_id, _, code = agency_code.partition(":")
        partner = await repository.partner(session, node_id)
        if partner is None:
            raise ValueError(f"{node_id} is not a pinned partner")
        logged = await repository.outgoing_for_outbox(session, message.id)
        if logged is None:
            logged = await self._seal(session, message, node_id, code, now)
            if logged is None:
                return []
        elif await _replayed_after_window(session, message, logged, now):
            self._resign(logged, now)
        return [(f"exchange:{node_id}", partial(self._post, session, partner.inbox_url, logged, now))]

    async def _seal(
        self, session: AsyncSession, message: OutboxMessage, node_id: str, code: str, now: datetime
    ) -> ExchangeMessage | None:
        composed = await compose(session, message, self.node.public_url, code)
        if composed is None:
            return None
        payload = envelope.seal(composed.type, self.node.node_id, node_id, composed.body, message.created_at)  # type: ignore[arg-type]
        token = keys.sign(self.node.key, payload)
        logged = ExchangeMessage(
            message_id=msgspec.json.decode(payload, type=envelope.Envelope).id,
            direction="out",
            partner_node=node_id,
            type=composed.type,
            action=composed.action,
            sha256=digest(token),
            token=token,
            referral_id=message.referral_id,
            remote_referral_id=composed.remote_referral_id,
            outbox_id=message.id,
            result="pending",
            attempts=0,
            created_at=now,
            updated_at=now,
        )
        session.add(logged)
        await session.flush()
        return logged

    def _resign(self, logged: ExchangeMessage, now: datetime) -> None:
        """The same message, id and body, signed anew with `issued_at` now: the partner would refuse the old
        bytes as expired. A receiver that already stored the message answers it as a duplicate (inbox._again)."""
        payload = envelope.resealed(keys.unverified_payload(logged.token), now)
        logged.token = keys.sign(self.node.key, payload)
        logged.sha256, logged.updated_at = digest(logged.token), now
        log.info("exchange: re-signed replayed message %s to %s", logged.message_id, logged.partner_node)

    async def _post(self, session: AsyncSession, url: str, logged: ExchangeMessage, now: datetime) -> None:
        logged.attempts += 1
        logged.updated_at = now
        try:
            response = await self.http.post(url, content=logged.token, headers={"Content-Type": MEDIA_TYPE})
        except httpx.HTTPError as error:
            logged.result, logged.http_status, logged.error = "failed", None, f"{type(error).__name__}: {error}"
            await session.flush()
            raise ExchangeFailed(logged.error) from error
        logged.http_status = response.status_code
        if response.status_code == 202 or _duplicate(response):
            logged.result, logged.error = "delivered", None
            await session.flush()
            return
        logged.result, logged.error = "failed", f"HTTP {response.status_code}: {response.text}"[:ERROR_LIMIT]
        await session.flush()
        raise ExchangeFailed(logged.error)


async def _replayed_after_window(
    session: AsyncSession, message: OutboxMessage, logged: ExchangeMessage, now: datetime
) -> bool:
    """An administrator replayed this dead letter, the partner has not taken it, and its signed bytes are (nearly)
    out of the 7-day window."""
    if logged.result == "delivered":
        return False
    issued = msgspec.json.decode(keys.unverified_payload(logged.token), type=envelope.Envelope).issued_at
    if issued > now - envelope.MAX_AGE + envelope.RESIGN_MARGIN:
        return False
    return await repository.replayed(session, message.id)


def _duplicate(response: httpx.Response) -> bool:
    """The partner already stored this message (a resend after a lost answer): it counts as delivered."""
    if response.status_code != 409:
        return False
    try:
        answer = response.json()
        codes = [answer.get("code"), *(e.get("code") for e in answer.get("errors", []))]
    except ValueError:
        return False
    return "exchange.duplicate" in codes
