"""Adding a partner: fetch its descriptor, pin its key, offer its agencies as NODE:CODE receivers."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.exchange import DescriptorOut
from service.clock import local_day, now
from service.exchange import keys, repository
from service.exchange.models import ExchangePartner
from service.exchange.service import PROTOCOL

DESCRIPTOR_SUFFIX = "/.well-known/ipcoord-exchange"


class PartnerRefused(Exception):
    """The partner cannot be added as asked; `reason` says why (shown by the command)."""


@dataclass(frozen=True)
class Added:
    """What `add-partner` pinned."""

    node_id: str
    name: str
    fingerprint: str
    agencies: list[str]
    changed: bool  # an earlier pin was replaced


def descriptor_url(url: str) -> str:
    """The descriptor's URL for a partner's base URL or the descriptor URL itself."""
    url = url.rstrip("/")
    return url if url.endswith(DESCRIPTOR_SUFFIX) else url + DESCRIPTOR_SUFFIX


async def fetch_descriptor(client: httpx.AsyncClient, url: str) -> DescriptorOut:
    """The partner's descriptor, decoded strictly."""
    try:
        response = await client.get(url)
        response.raise_for_status()
        descriptor = msgspec.json.decode(response.content, type=DescriptorOut)
    except (httpx.HTTPError, msgspec.ValidationError, msgspec.DecodeError) as error:
        raise PartnerRefused(f"cannot read the descriptor at {url}: {type(error).__name__}: {error}") from error
    if descriptor.protocol != PROTOCOL:
        raise PartnerRefused(f"protocol {descriptor.protocol!r} is not {PROTOCOL!r}")
    if len(descriptor.jwks.keys) != 1:
        raise PartnerRefused("the descriptor must publish exactly one signing key")
    return descriptor


async def add_partner(
    session: AsyncSession, client: httpx.AsyncClient, url: str, expected: str | None, *, replace: bool
) -> Added:
    """Pin the partner's key; refuse a fingerprint other than `expected`, and a changed key unless `replace`."""
    source = descriptor_url(url)
    descriptor = await fetch_descriptor(client, source)
    try:
        key = keys.import_public(descriptor.jwks.keys[0])
    except keys.BadSignature as error:
        raise PartnerRefused(str(error)) from error
    fingerprint = keys.fingerprint(key)
    if expected is not None and expected != fingerprint:
        raise PartnerRefused(f"the key's fingerprint is {fingerprint}, not the expected {expected}")
    partner = await repository.partner_by_node(session, descriptor.node_id)
    changed = partner is not None and partner.fingerprint != fingerprint
    if changed and not replace:
        raise PartnerRefused(f"the key of {descriptor.node_id} changed to {fingerprint}; check it, then --replace")
    if partner is None:
        partner = ExchangePartner(node_id=descriptor.node_id)
        session.add(partner)
    partner.name, partner.descriptor_url, partner.inbox_url = descriptor.name, source, descriptor.inbox_url
    partner.fingerprint, partner.public_jwk, partner.pinned_at = fingerprint, keys.public_jwk(key), now()
    await session.flush()
    await repository.upsert_external_agencies(session, descriptor.node_id, descriptor.agencies, local_day(now()))
    codes = [f"{descriptor.node_id}:{a.code}" for a in descriptor.agencies]
    return Added(descriptor.node_id, descriptor.name, fingerprint, codes, changed)
