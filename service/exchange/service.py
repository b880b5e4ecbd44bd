"""The node's identity: its key, loaded once per process, and the descriptor partners fetch."""

from __future__ import annotations

from dataclasses import dataclass

from joserfc.jwk import OKPKey
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.exchange import DescriptorOut, ExchangeAgencyOut, ExchangeMessageOut, JwksOut, PartnerOut
from service.clock import local_day, now
from service.exchange import keys, repository
from service.exchange.models import ExchangeMessage, ExchangePartner
from service.settings import Settings

PROTOCOL = "ipcoord-exchange/1"
INBOX_PATH = "/api/exchange/v1/messages"


@dataclass(frozen=True)
class Node:
    """This instance in the exchange: id, name, public URL and signing key."""

    node_id: str
    name: str
    public_url: str
    key: OKPKey

    @classmethod
    def of(cls, settings: Settings) -> Node:
        """The node of these settings; the key is generated in the data folder on first start."""
        key = keys.load_or_create(settings.exchange_private_key, settings.data_dir)
        return cls(settings.exchange_node_id, settings.exchange_node_name, settings.exchange_public_url, key)


async def descriptor(session: AsyncSession, node: Node) -> DescriptorOut:
    """What partners pin and address: the node, its inbox, its public key, the agencies it accepts for."""
    agencies = await repository.accepting_agencies(session, local_day(now()))
    return DescriptorOut(
        node_id=node.node_id,
        name=node.name,
        protocol=PROTOCOL,
        inbox_url=node.public_url + INBOX_PATH,
        jwks=JwksOut(keys=[keys.public_jwk(node.key)]),
        agencies=[ExchangeAgencyOut(code=a.code, name_vi=a.name_vi, name_en=a.name_en) for a in agencies],
    )


def partner_out(partner: ExchangePartner) -> PartnerOut:
    """A pinned partner as coordinators see it."""
    return PartnerOut(
        node_id=partner.node_id,
        name=partner.name,
        descriptor_url=partner.descriptor_url,
        inbox_url=partner.inbox_url,
        fingerprint=partner.fingerprint,
        pinned_at=partner.pinned_at,
    )


def message_out(message: ExchangeMessage) -> ExchangeMessageOut:
    """One logged message (never its token: the log shows its hash)."""
    return ExchangeMessageOut(
        id=message.id,
        message_id=message.message_id,
        direction=message.direction,  # type: ignore[arg-type]
        partner_node=message.partner_node,
        type=message.type,
        action=message.action,
        sha256=message.sha256,
        referral_id=message.referral_id,
        result=message.result,
        http_status=message.http_status,
        error=message.error,
        attempts=message.attempts,
        created_at=message.created_at,
        updated_at=message.updated_at,
    )
