"""The exchange between ipcoord instances: the node descriptor (docs/exchange.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from schemas.base import Schema


class ExchangeAgencyOut(Schema, kw_only=True):
    """An agency of this node that accepts referrals from partner nodes."""

    code: str
    name_vi: str
    name_en: str


class JwksOut(Schema, kw_only=True):
    """The node's public signing keys (RFC 7517 JWK Set; Ed25519 OKP keys, kid = RFC 7638 thumbprint)."""

    keys: list[dict[str, Any]]


class DescriptorOut(Schema, kw_only=True):
    """GET /.well-known/ipcoord-exchange: who this node is and how to send it messages."""

    node_id: str
    name: str
    protocol: str
    inbox_url: str
    jwks: JwksOut
    agencies: list[ExchangeAgencyOut]


class ArrivedOut(Schema, kw_only=True):
    """202 of POST /api/exchange/v1/messages: the message is stored (once) and acted on."""

    message_id: str
    result: str
    referral_id: str


class PartnerOut(Schema, kw_only=True):
    """A pinned partner node, as coordinators see it."""

    node_id: str
    name: str
    descriptor_url: str
    inbox_url: str
    fingerprint: str
    pinned_at: datetime


class ExchangeMessageOut(Schema, kw_only=True):
    """One message that left or arrived (the exchange log)."""

    id: int
    message_id: uuid.UUID
    direction: Literal["in", "out"]
    partner_node: str
    type: str
    action: str | None
    sha256: str
    referral_id: uuid.UUID | None
    result: str
    http_status: int | None
    error: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime
