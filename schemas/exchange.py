"""The exchange between ipcoord instances: the node descriptor (docs/exchange.md)."""

from __future__ import annotations

from typing import Any

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
