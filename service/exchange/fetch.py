"""GET /api/exchange/v1/attachments/{sha256}: a partner fetches a file of a referral sent to it, with a signed
request (docs/exchange.md §6): `Authorization: Ipcoord-Exchange <compact JWS>` of a `fetch` envelope naming the
hash, issued at most 5 minutes ago. Only files listed on a referral this node sent to that partner are served."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from service.attachments.models import Attachment
from service.attachments.storage import FileStore
from service.errors import NotFound
from service.exchange import envelope, keys, repository
from service.exchange.envelope import MAX_SKEW
from service.exchange.inbox import BadSignature, Refusal, UnknownKey, WrongSender, verify
from service.exchange.service import Node

SCHEME = "Ipcoord-Exchange"


class AttachmentNotFound(NotFound):
    code = "exchange.attachment_not_found"


REFUSALS = (Refusal, UnknownKey, BadSignature, WrongSender, AttachmentNotFound)


async def fetch(
    session: AsyncSession, node: Node, store: FileStore, authorization: str | None, sha256: str, now: datetime
) -> tuple[Attachment, bytes]:
    """The file and its bytes, for a partner whose signed request names this hash."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme != SCHEME or not token:
        raise BadSignature(field="Authorization", detail=f"expected '{SCHEME} <JWS>'")
    checked = await verify(session, node, token.strip(), now)
    if checked.envelope.type != "fetch" or checked.envelope.issued_at < now - MAX_SKEW:
        raise Refusal(field="Authorization", node=node.node_id, sender=checked.partner.node_id).with_code(
            "exchange.expired" if checked.envelope.type == "fetch" else "exchange.malformed"
        )
    body = checked.envelope.body
    if set(body) != {"sha256"} or body["sha256"] != sha256:
        raise Refusal(field="Authorization", detail=f"the signed body must name {sha256}").with_code(
            "exchange.bad_body"
        )
    attachment = await repository.attachment_sent_to(session, sha256, checked.partner.node_id)
    if attachment is None:
        raise AttachmentNotFound(field="sha256", sha256=sha256)
    return attachment, await store.read(attachment.storage_key)


def signed_headers(node: Node, partner_node: str, sha256: str, now: datetime) -> dict[str, str]:
    """The header of this node's request for a partner's file (the receiving side of a referral)."""
    payload = envelope.seal("fetch", node.node_id, partner_node, {"sha256": sha256}, now)
    return {"Authorization": f"{SCHEME} {keys.sign(node.key, payload)}"}
