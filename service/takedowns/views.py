"""What the API and pages show of requests: one with its clocks, lists, the coordinator's view per platform, the
repeat sellers, the timeline, and the facts a written request (the PDF of service/documents/) is made from."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.takedowns import PlatformQueueOut, RepeatSellerOut, TakedownEventOut, TakedownOut
from service.auth.principal import Principal
from service.calendar.models import DeadlineRule
from service.clock import local_day, now
from service.takedowns import repository
from service.takedowns.clocks import ACTION_RULE, REPORT_RULE, clocks
from service.takedowns.models import TakedownRequest
from service.takedowns.repository import Filters, Named
from service.takedowns.service import TakedownNotFound


async def _rules(session: AsyncSession) -> dict[str, DeadlineRule]:
    return await repository.rules_by_code(session, {ACTION_RULE, REPORT_RULE})


def takedown_out(row: Named, rules: dict[str, DeadlineRule], moment: datetime) -> TakedownOut:
    """The API view of a request and its clocks at `moment`."""
    request, agency, platform = row
    shown = clocks(request, rules, moment)
    return TakedownOut(
        id=request.id,
        number=request.number,
        incident_id=request.incident_id,
        agency=agency,
        platform_id=request.platform_id,
        platform=platform,
        status=request.status,  # type: ignore[arg-type]  # stored from Status only
        urls=list(request.urls),
        seller_account=request.seller_account,
        legal_basis=request.legal_basis,
        measures=list(request.measures),  # type: ignore[arg-type]  # stored from Measure only
        note=request.note,
        sent_at=request.sent_at,
        answered_at=request.answered_at,
        answer=request.answer,
        clocks=shown,
        overdue=any(c.overdue for c in shown),
    )


async def _named(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> Named:
    row = await repository.get_named(session, principal, request_id)
    if row is None:
        raise TakedownNotFound()
    return row


async def get_takedown(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> TakedownOut:
    """One visible request with its clocks."""
    return takedown_out(await _named(session, principal, request_id), await _rules(session), now())


async def list_takedowns(session: AsyncSession, principal: Principal, filters: Filters) -> list[TakedownOut]:
    """Visible requests, the first to run out first."""
    rules, moment = await _rules(session), now()
    return [takedown_out(row, rules, moment) for row in await repository.list_named(session, principal, filters)]


async def per_platform(session: AsyncSession, principal: Principal) -> list[PlatformQueueOut]:
    """Open requests grouped by platform, the platforms with the most overdue first."""
    open_requests = await list_takedowns(session, principal, Filters(open_only=True, limit=2000))
    groups: dict[uuid.UUID, list[TakedownOut]] = defaultdict(list)
    for request in open_requests:
        groups[request.platform_id].append(request)
    queues = [
        PlatformQueueOut(
            platform_id=platform_id,
            platform=items[0].platform,
            open=len(items),
            overdue=sum(1 for r in items if r.overdue or r.status == "overdue"),
            requests=items,
        )
        for platform_id, items in groups.items()
    ]
    return sorted(queues, key=lambda q: (-q.overdue, -q.open, q.platform))


async def repeat_sellers(session: AsyncSession, principal: Principal) -> list[RepeatSellerOut]:
    """Seller accounts or shops named about more than one incident or platform."""
    rows = await repository.repeat_sellers(session, principal)
    return [
        RepeatSellerOut(seller_account=s, incidents=n, platforms=sorted(p), request_ids=ids) for s, n, p, ids in rows
    ]


async def timeline(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> list[TakedownEventOut]:
    """Who did what to a visible request, when and why."""
    await _named(session, principal, request_id)
    return [
        TakedownEventOut(
            at=event.at,
            actor=actor,
            action=event.action,
            from_status=event.from_status,
            to_status=event.to_status,
            note=event.note,
            attachment_ids=list(event.attachment_ids),
        )
        for event, actor in await repository.list_events(session, request_id)
    ]


@dataclass(frozen=True)
class TakedownDocument:
    """What the written request to a platform says (for the signed PDF; service/documents/)."""

    request_id: uuid.UUID
    number: str | None  # None while a draft: the document says "draft" and is not signed
    sent_on: date | None  # the document's date (Lai Châu day of sending)
    agency_code: str
    agency_name_vi: str
    agency_name_en: str
    platform: str
    platform_kind: str
    platform_registration: str
    platform_contact: str
    urls: list[str]
    legal_basis: str
    measures: list[str]  # stable codes; labels: i18n "ui.takedown.measure.<code>"
    seller_account: str
    incident_id: uuid.UUID
    action_due_at: datetime | None
    report_due_at: datetime | None


async def document_facts(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> TakedownDocument:
    """The facts of one visible request that its written form needs."""
    request, agency, _ = await _named(session, principal, request_id)
    platform = await repository.get_platform(session, request.platform_id)
    assert platform is not None  # noqa: S101 - a foreign key, platforms are never deleted
    names = await repository.agency_names(session, request.agency_id)
    platform_facts = (platform.name, platform.kind, platform.registration_number, platform.contact)
    return _document(request, (agency, *names), platform_facts)


def _document(request: TakedownRequest, agency: tuple[str, str, str], platform: tuple[str, ...]) -> TakedownDocument:
    name, kind, registration, contact = platform
    return TakedownDocument(
        request_id=request.id,
        number=request.number,
        sent_on=local_day(request.sent_at) if request.sent_at else None,
        agency_code=agency[0],
        agency_name_vi=agency[1],
        agency_name_en=agency[2],
        platform=name,
        platform_kind=kind,
        platform_registration=registration,
        platform_contact=contact,
        urls=list(request.urls),
        legal_basis=request.legal_basis,
        measures=list(request.measures),
        seller_account=request.seller_account,
        incident_id=request.incident_id,
        action_due_at=request.action_due_at,
        report_due_at=request.report_due_at,
    )
