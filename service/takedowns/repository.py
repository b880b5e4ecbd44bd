"""Every statement of the takedowns domain: platforms, captures, requests scoped to the caller, the timeline, the
sweeps' reads, the coordinator's view per platform and the repeat-seller view."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.attachments.models import Attachment
from service.auth.models import Agency, User
from service.auth.principal import Principal
from service.calendar.models import DeadlineRule
from service.documents.model import number_and_symbol
from service.incidents.models import Incident
from service.takedowns.models import Platform, TakedownEvent, TakedownRequest, UrlCapture
from service.takedowns.transitions import CAN_RUN_OUT, OPEN, REPORT_LATE, REPORT_PENDING, Status

Named = tuple[TakedownRequest, str, str]  # the request, its agency's code, its platform's name


# Platforms


async def list_platforms(session: AsyncSession) -> list[Platform]:
    """Every platform, ended ones included, by name."""
    return list(await session.scalars(select(Platform).order_by(Platform.name, Platform.valid_from)))


async def get_platform(session: AsyncSession, platform_id: uuid.UUID, *, lock: bool = False) -> Platform | None:
    """One platform by id."""
    stmt = select(Platform).where(Platform.id == platform_id)
    return (await session.scalars(stmt.with_for_update() if lock else stmt)).one_or_none()


# Captures


async def list_captures(session: AsyncSession, incident_id: uuid.UUID) -> list[tuple[UrlCapture, str, str, str]]:
    """An incident's captures, oldest first, with the capturer's username and the file's name and type."""
    stmt = (
        select(UrlCapture, User.username, Attachment.file_name, Attachment.content_type)
        .join(User, User.id == UrlCapture.captured_by_id)
        .join(Attachment, Attachment.id == UrlCapture.attachment_id)
        .where(UrlCapture.incident_id == incident_id)
        .order_by(UrlCapture.captured_at, UrlCapture.id)
    )
    return [(c, u, f, t) for c, u, f, t in (await session.execute(stmt)).all()]


async def urls_of_incident(session: AsyncSession, incident_id: uuid.UUID) -> list[str]:
    """Every URL an incident names: its own (`url` of its details), its requests' and its captures'."""
    own = select(Incident.payload["url"].astext).where(Incident.id == incident_id)
    requested = select(func.unnest(TakedownRequest.urls)).where(TakedownRequest.incident_id == incident_id)
    captured = select(UrlCapture.url).where(UrlCapture.incident_id == incident_id)
    found = await session.scalars(own.union(requested, captured))
    return [url for url in found if url]


async def attachment_ids_of(session: AsyncSession, incident_id: uuid.UUID, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `ids` are attachments of this incident."""
    if not ids:
        return set()
    stmt = select(Attachment.id).where(Attachment.incident_id == incident_id, Attachment.id.in_(ids))
    return set(await session.scalars(stmt))


# Requests


def _named(stmt: Select[TakedownRequest]) -> Select[TakedownRequest, str, str]:
    stmt = stmt.join(Agency, Agency.id == TakedownRequest.agency_id).join(
        Platform, Platform.id == TakedownRequest.platform_id
    )
    return stmt.add_columns(Agency.code, Platform.name)


def visible_to(principal: Principal) -> Select[TakedownRequest]:
    """The requests the caller may see: their agency's; coordinators and administrators see all."""
    stmt = select(TakedownRequest)
    return stmt if principal.sees_all_agencies else stmt.where(TakedownRequest.agency_id == principal.agency_id)


async def get_named(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> Named | None:
    """One visible request with its agency's code and platform's name."""
    row = (await session.execute(_named(visible_to(principal).where(TakedownRequest.id == request_id)))).first()
    return (row[0], row[1], row[2]) if row else None


async def get_for_update(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> TakedownRequest | None:
    """One visible request, locked for a change."""
    stmt = visible_to(principal).where(TakedownRequest.id == request_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


@dataclass(frozen=True)
class Filters:
    """What a list of requests is narrowed to."""

    status: str | None = None
    platform_id: uuid.UUID | None = None
    incident_id: uuid.UUID | None = None
    open_only: bool = False
    limit: int = 200


async def list_named(session: AsyncSession, principal: Principal, filters: Filters) -> list[Named]:
    """Visible requests, the first to run out first (drafts last)."""
    stmt = visible_to(principal)
    if filters.status:
        stmt = stmt.where(TakedownRequest.status == filters.status)
    if filters.platform_id:
        stmt = stmt.where(TakedownRequest.platform_id == filters.platform_id)
    if filters.incident_id:
        stmt = stmt.where(TakedownRequest.incident_id == filters.incident_id)
    if filters.open_only:
        stmt = stmt.where(TakedownRequest.status.in_([s.value for s in OPEN]))
    order = (TakedownRequest.action_due_at.asc().nulls_last(), TakedownRequest.created_at.desc())
    rows = await session.execute(_named(stmt).order_by(*order).limit(filters.limit))
    return [(r[0], r[1], r[2]) for r in rows.all()]


async def next_number(session: AsyncSession, agency_id: uuid.UUID, year: int, agency_code: str) -> str:
    """The agency's next request number of the year, as its letter prints it ("03/2026/YCGG-QLTT"); one sender
    at a time per agency."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"takedown:{agency_id}"})
    symbol = f"{year}/YCGG-{agency_code}"
    stmt = select(func.count()).where(
        TakedownRequest.agency_id == agency_id, TakedownRequest.number.like(f"%/{symbol}")
    )
    return number_and_symbol((await session.scalar(stmt) or 0) + 1, symbol)


async def list_events(session: AsyncSession, request_id: uuid.UUID) -> list[tuple[TakedownEvent, str | None]]:
    """A request's timeline, oldest first, with each actor's username (None: the system)."""
    stmt = (
        select(TakedownEvent, User.username)
        .outerjoin(User, User.id == TakedownEvent.actor_id)
        .where(TakedownEvent.request_id == request_id)
        .order_by(TakedownEvent.at, TakedownEvent.id)
    )
    return [(e, u) for e, u in (await session.execute(stmt)).all()]


async def rule_in_force(session: AsyncSession, code: str, day: date) -> DeadlineRule | None:
    """The version of a rule in force on `day`."""
    stmt = (
        select(DeadlineRule)
        .where(DeadlineRule.code == code, DeadlineRule.valid_from <= day)
        .where(DeadlineRule.valid_to.is_(None) | (DeadlineRule.valid_to >= day))
        .order_by(DeadlineRule.valid_from.desc())
        .limit(1)
    )
    return (await session.scalars(stmt)).first()


async def rules_by_code(session: AsyncSession, codes: set[str]) -> dict[str, DeadlineRule]:
    """The latest version of each rule code (for showing a sent request's clocks with their basis)."""
    stmt = select(DeadlineRule).where(DeadlineRule.code.in_(codes)).order_by(DeadlineRule.valid_from)
    return {rule.code: rule for rule in await session.scalars(stmt)}


# Sweeps


async def running_out(session: AsyncSession, moment: datetime) -> list[Named]:
    """Requests whose action clock ran out before `moment` without the platform having acted, locked."""
    stmt = (
        select(TakedownRequest)
        .where(TakedownRequest.status.in_([s.value for s in CAN_RUN_OUT]), TakedownRequest.action_due_at < moment)
        .order_by(TakedownRequest.id)
        .with_for_update(of=TakedownRequest)
    )
    return [(r[0], r[1], r[2]) for r in (await session.execute(_named(stmt))).all()]


async def not_escalated(session: AsyncSession) -> list[Named]:
    """Overdue requests not escalated yet for their current action due moment."""
    stmt = select(TakedownRequest).where(
        TakedownRequest.status == Status.OVERDUE.value,
        TakedownRequest.escalated_for.is_distinct_from(TakedownRequest.action_due_at),
    )
    return [(r[0], r[1], r[2]) for r in (await session.execute(_named(stmt.order_by(TakedownRequest.id)))).all()]


async def due_between(session: AsyncSession, first: datetime, last: datetime) -> list[Named]:
    """Open requests whose action clock runs out between `first` and `last`."""
    stmt = select(TakedownRequest).where(
        TakedownRequest.status.in_([s.value for s in CAN_RUN_OUT]),
        TakedownRequest.action_due_at.between(first, last),
    )
    return [(r[0], r[1], r[2]) for r in (await session.execute(_named(stmt))).all()]


async def report_running_out(session: AsyncSession, moment: datetime) -> list[Named]:
    """Requests whose report clock ran out before `moment` with no report yet, locked (a second sweep waits)."""
    stmt = (
        select(TakedownRequest)
        .where(
            TakedownRequest.status.in_([s.value for s in REPORT_PENDING]),
            TakedownRequest.report_due_at < moment,
        )
        .order_by(TakedownRequest.id)
        .with_for_update(of=TakedownRequest)
    )
    return [(r[0], r[1], r[2]) for r in (await session.execute(_named(stmt))).all()]


async def report_late_marked(session: AsyncSession, ids: list[uuid.UUID]) -> set[tuple[uuid.UUID, str]]:
    """(request, report due moment) already marked late on the timeline, among `ids` (read after their lock)."""
    if not ids:
        return set()
    stmt = select(TakedownEvent.request_id, TakedownEvent.details["report_due_at"].astext).where(
        TakedownEvent.request_id.in_(ids), TakedownEvent.action == REPORT_LATE
    )
    return {(request_id, due) for request_id, due in (await session.execute(stmt)).all()}


async def report_due_between(session: AsyncSession, first: datetime, last: datetime) -> list[Named]:
    """Requests waiting for the platform's report whose report clock runs out between `first` and `last`."""
    stmt = select(TakedownRequest).where(
        TakedownRequest.status.in_([s.value for s in REPORT_PENDING]),
        TakedownRequest.report_due_at.between(first, last),
    )
    return [(r[0], r[1], r[2]) for r in (await session.execute(_named(stmt))).all()]


async def coordinator_agency(session: AsyncSession, code: str) -> uuid.UUID | None:
    """The id of the coordinating agency (SKHCN)."""
    return await session.scalar(select(Agency.id).where(Agency.code == code))


# Repeat sellers


SellerRow = tuple[str, int, list[str], list[uuid.UUID]]


async def repeat_sellers(session: AsyncSession, principal: Principal) -> list[SellerRow]:
    """Seller accounts (folded) named in requests about more than one incident or on more than one platform."""
    scoped = visible_to(principal).where(TakedownRequest.seller_key != "").subquery()
    stmt = (
        select(
            func.min(scoped.c.seller_account),
            func.count(scoped.c.incident_id.distinct()),
            func.array_agg(Platform.name.distinct()),
            func.array_agg(scoped.c.id),
        )
        .join(Platform, Platform.id == scoped.c.platform_id)
        .group_by(scoped.c.seller_key)
        .having((func.count(scoped.c.incident_id.distinct()) > 1) | (func.count(scoped.c.platform_id.distinct()) > 1))
        .order_by(func.count(scoped.c.incident_id.distinct()).desc(), func.min(scoped.c.seller_account))
    )
    return [(s, n, list(p), list(ids)) for s, n, p, ids in (await session.execute(stmt)).all()]


async def agency_names(session: AsyncSession, agency_id: uuid.UUID) -> tuple[str, str]:
    """An agency's names, Vietnamese and English."""
    row = (await session.execute(select(Agency.name_vi, Agency.name_en).where(Agency.id == agency_id))).one()
    return row[0], row[1]
