"""Evidence of each URL: the capture's file stored as an incident attachment (checked by content), with the time,
the HTTP status the agency saw, its SHA-256 and who captured it: the incident's chain of custody."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.takedowns import CaptureOut
from service.attachments import service as attachments
from service.attachments.service import Upload
from service.attachments.storage import FileStore
from service.audit import service as audit
from service.auth.principal import Principal
from service.clock import now
from service.errors import Invalid
from service.incidents import repository as incidents
from service.incidents.service import IncidentNotFound
from service.takedowns import repository
from service.takedowns.evidence import examine_capture
from service.takedowns.models import UrlCapture
from service.takedowns.service import CLOCK_SKEW
from service.takedowns.urls import checked_url


@dataclass(frozen=True)
class CaptureFacts:
    """What the capturer states about the capture."""

    url: str
    http_status: int
    captured_at: datetime
    seller_account: str = ""
    note: str = ""


async def add_capture(
    session: AsyncSession,
    store: FileStore,
    principal: Principal,
    incident_id: uuid.UUID,
    upload: Upload,
    facts: CaptureFacts,
    *,
    max_bytes: int,
) -> CaptureOut:
    """Store the file of one URL's capture on a visible incident and record who captured what, when."""
    url, host = checked_url(facts.url, "url")
    if facts.captured_at > now() + CLOCK_SKEW:
        raise Invalid(field="captured_at").with_code("capture.in_future")
    added = await attachments.add_attachment(
        session, store, principal, incident_id, upload, max_bytes=max_bytes, examiner=examine_capture
    )
    file = added.attachment
    capture = UrlCapture(
        incident_id=incident_id,
        url=url,
        host=host,
        seller_account=facts.seller_account.strip(),
        captured_at=facts.captured_at,
        http_status=facts.http_status,
        attachment_id=file.id,
        sha256=file.sha256,
        captured_by_id=principal.user_id,
        note=facts.note,
    )
    session.add(capture)
    await session.flush()
    await session.refresh(capture)
    # The hash-chained audit trail holds each link of the chain of custody too (who, when, which file).
    detail = {"url": url, "sha256": file.sha256, "http_status": facts.http_status}
    detail |= {"captured_at": facts.captured_at.isoformat()}
    await audit.record(
        session,
        "takedown.capture_added",
        principal,
        record_type="url_capture",
        record_ids=[str(capture.id), str(incident_id)],
        detail=detail,
    )
    return _out(capture, principal.username, file.file_name, file.content_type)


async def check_incident_url(session: AsyncSession, incident_id: uuid.UUID, raw: str, field: str = "url") -> str:
    """The URL as stored, when the incident already names it (its details, a request or a capture); else 422.

    The pages offer a form per URL the incident names: a posted URL of another incident is refused, never
    quietly added to this one's chain of custody (the API records captures of new URLs)."""
    url, _ = checked_url(raw, field)
    known = set()
    for named in await repository.urls_of_incident(session, incident_id):
        try:
            known.add(checked_url(named, field)[0])
        except Invalid:
            continue
    if url not in known:
        raise Invalid(field=field).with_code("capture.url_not_of_incident", status=422)
    return url


def _out(capture: UrlCapture, captured_by: str, file_name: str, content_type: str) -> CaptureOut:
    return CaptureOut(
        id=capture.id,
        incident_id=capture.incident_id,
        url=capture.url,
        host=capture.host,
        seller_account=capture.seller_account,
        captured_at=capture.captured_at,
        http_status=capture.http_status,
        attachment_id=capture.attachment_id,
        file_name=file_name,
        content_type=content_type,
        sha256=capture.sha256,
        captured_by=captured_by,
        recorded_at=capture.created_at,
        note=capture.note,
    )


async def chain_of_custody(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> list[CaptureOut]:
    """The captures of a visible incident, oldest first."""
    if await incidents.get_visible(session, principal, incident_id) is None:
        raise IncidentNotFound()
    return [_out(*row) for row in await repository.list_captures(session, incident_id)]
