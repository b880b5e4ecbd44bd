"""Files a partner node listed on a referral it sent here (service/exchange/): with the referral message and with
its answers to requests for information. They travel by hash with a fetch URL; this node fetches one on demand
(service/exchange/incoming.py) and then keeps it as an attachment of the incident's copy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from service.attachments.models import Attachment
from service.referrals import repository


@dataclass(frozen=True)
class IncomingFile:
    """A file as the partner listed it; `stored` once fetched and checked."""

    sha256: str
    file_name: str
    content_type: str
    size_bytes: int
    url: str
    node: str
    stored: Attachment | None = None


async def incoming_files(session: AsyncSession, referral_id: uuid.UUID, incident_id: uuid.UUID) -> list[IncomingFile]:
    """Every file the partner listed on this referral, once per hash in the order listed, with its local copy."""
    listed: dict[str, IncomingFile] = {}
    for event, _actor in await repository.list_events(session, referral_id):
        details = event.details or {}
        if details.get("via") != "exchange":
            continue
        for ref in details.get("attachments", []):
            if isinstance(ref, dict) and ref.get("sha256") and ref["sha256"] not in listed:
                listed[ref["sha256"]] = IncomingFile(
                    sha256=str(ref["sha256"]),
                    file_name=str(ref.get("file_name", "")),
                    content_type=str(ref.get("content_type", "")),
                    size_bytes=int(ref.get("size_bytes", 0)),
                    url=str(ref.get("url", "")),
                    node=str(details.get("node", "")),
                )
    if not listed:
        return []
    stored = await repository.attachments_by_hash(session, incident_id, list(listed))
    return [
        IncomingFile(**{**f.__dict__, "stored": stored.get(f.sha256)}) if f.sha256 in stored else f
        for f in listed.values()
    ]


async def incoming_file(
    session: AsyncSession, referral_id: uuid.UUID, incident_id: uuid.UUID, sha256: str
) -> IncomingFile | None:
    """One listed file by its hash, or None when the partner never listed it on this referral."""
    return next((f for f in await incoming_files(session, referral_id, incident_id) if f.sha256 == sha256), None)
