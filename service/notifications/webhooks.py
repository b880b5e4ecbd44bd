"""Signed webhooks: the secret of a subscription, the body, its HMAC-SHA256 signature, and one POST.

Receivers verify `X-Ipcoord-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body under the secret
shown when the subscription was created. The body carries the same `timestamp` as `X-Ipcoord-Timestamp`
so a receiver can refuse old replays; `X-Ipcoord-Delivery` (the message id) lets it drop duplicates.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any

import httpx
import msgspec

SIGNATURE_HEADER = "X-Ipcoord-Signature"
TIMESTAMP_HEADER = "X-Ipcoord-Timestamp"
DELIVERY_HEADER = "X-Ipcoord-Delivery"


class WebhookFailed(Exception):
    """The receiver did not answer with a 2xx status."""


def derive_secret(secret_key: str, nonce: str) -> str:
    """The signing secret of a subscription: derived from SECRET_KEY and its nonce, never stored."""
    digest = hmac.new(secret_key.encode(), f"ipcoord-webhook:{nonce}".encode(), hashlib.sha256).digest()
    return "whsec_" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(secret: str, body: bytes) -> str:
    """The signature header value for a raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """True when `signature` is this body's, compared in constant time (what a receiver does)."""
    return hmac.compare_digest(sign(secret, body), signature)


def body(message_id: int, kind: str, agency: str | None, payload: dict[str, Any], at: datetime) -> bytes:
    """The JSON body of one delivery."""
    document = {"id": message_id, "kind": kind, "agency": agency, "timestamp": int(at.timestamp()), "data": payload}
    return msgspec.json.encode(document)


async def post(client: httpx.AsyncClient, url: str, secret: str, message_id: int, raw: bytes, at: datetime) -> None:
    """POST a signed body; raises WebhookFailed unless the receiver answers 2xx."""
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, raw),
        TIMESTAMP_HEADER: str(int(at.timestamp())),
        DELIVERY_HEADER: str(message_id),
    }
    try:
        response = await client.post(url, content=raw, headers=headers)
    except httpx.HTTPError as error:
        raise WebhookFailed(f"{type(error).__name__}: {error}") from error
    if not response.is_success:
        raise WebhookFailed(f"HTTP {response.status_code}")
