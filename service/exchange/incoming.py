"""A file a partner listed on a referral it sent here, fetched through this node (docs/exchange.md §6).

The reader asks this node; the node GETs the partner's fetch URL with a signed request (fetch.signed_headers),
checks that the bytes have the listed SHA-256, and keeps them once as an attachment of the incident's copy
(checked like an upload). A file whose bytes do not match the hash is refused and nothing is kept; a file kept
before is served from here without asking the partner again."""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime
from urllib.parse import urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from service.attachments import service as attachments
from service.attachments.models import Attachment
from service.attachments.storage import FileStore
from service.auth.principal import Principal
from service.errors import AppError, NotFound
from service.exchange import repository
from service.exchange.fetch import signed_headers
from service.exchange.service import Node
from service.referrals import views
from service.referrals.incoming import incoming_file

log = logging.getLogger("ipcoord.exchange")


class FileNotListed(NotFound):
    code = "exchange.file_not_listed"


class FetchFailed(AppError):
    """The partner did not hand the file over (unreachable, or an answer other than 200)."""

    status = 502
    code = "exchange.fetch_failed"


class HashMismatch(AppError):
    """The partner's bytes are not the file it listed: refused, nothing kept."""

    status = 502
    code = "exchange.hash_mismatch"


REFUSALS = (FileNotListed, FetchFailed, HashMismatch, attachments.TooLarge, attachments.UnsupportedType)


async def obtain(
    session: AsyncSession,
    principal: Principal,
    node: Node,
    http: httpx.AsyncClient,
    store: FileStore,
    referral_id: uuid.UUID,
    sha256: str,
    *,
    max_bytes: int,
    now: datetime,
) -> tuple[Attachment, bytes]:
    """The listed file of a visible referral and its bytes: kept here already, or fetched, checked and kept."""
    referral = await views.get_referral(session, principal, referral_id)  # 404 unless the reader may see it
    await repository.referral_for_update(session, referral_id)  # one fetch at a time keeps a file once
    listed = await incoming_file(session, referral_id, referral.incident_id, sha256)
    if listed is None:
        raise FileNotListed(field="sha256", sha256=sha256)
    if listed.stored is not None:
        return listed.stored, await store.read(listed.stored.storage_key)
    partner = await repository.partner(session, listed.node)
    if partner is None or urlsplit(listed.url)[:2] != urlsplit(partner.inbox_url)[:2]:
        # only from the pinned partner's own host: a listed URL never sends this node's signed request elsewhere
        raise FetchFailed(field="sha256", node=listed.node, detail="not the partner's host")
    try:
        response = await http.get(listed.url, headers=signed_headers(node, listed.node, sha256, now))
    except httpx.HTTPError as error:
        raise FetchFailed(field="sha256", node=listed.node, detail=type(error).__name__) from error
    if response.status_code != 200:
        raise FetchFailed(field="sha256", node=listed.node, detail=f"HTTP {response.status_code}")
    content = response.content
    if hashlib.sha256(content).hexdigest() != sha256:
        log.warning("exchange: %s sent other bytes for %s; refused", listed.node, sha256)
        raise HashMismatch(field="sha256", sha256=sha256, node=listed.node)
    upload = attachments.Upload(file_name=listed.file_name, content=content)
    added = await attachments.add_attachment(
        session, store, principal, referral.incident_id, upload, max_bytes=max_bytes
    )
    return added.attachment, content
