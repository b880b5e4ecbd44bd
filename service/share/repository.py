"""Every statement of the share package: partners, the access log, rate counters, the aggregated datasets."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    Integer,
    Numeric,
    Select,
    String,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    column,
    delete,
    extract,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlalchemy.types import TypeEngine

from service.auth.models import Agency, StoreItem
from service.clock import LOCAL_TZ
from service.incidents.models import Incident
from service.referrals.models import Referral
from service.referrals.repository import overdue_condition
from service.referrals.transitions import Status
from service.sanctions.models import SanctionDecision
from service.share.models import ShareAccess, SharePartner


async def get(db: AsyncSession, partner_id: uuid.UUID) -> SharePartner | None:
    """One partner by id."""
    return await db.get(SharePartner, partner_id)


async def by_client_id(db: AsyncSession, client_id: str) -> SharePartner | None:
    """One partner by its client id."""
    return (await db.execute(select(SharePartner).where(SharePartner.client_id == client_id))).scalar_one_or_none()


async def list_all(db: AsyncSession) -> list[SharePartner]:
    """Every partner, revoked ones included, by name."""
    return list((await db.execute(select(SharePartner).order_by(SharePartner.name))).scalars())


def add(db: AsyncSession, partner: SharePartner) -> None:
    """Stage a new partner in the request's transaction."""
    db.add(partner)


# --- the access log -------------------------------------------------------------------------------------------


async def record_access(db: AsyncSession, entry: ShareAccess) -> None:
    """Write one access row (the caller runs this in a transaction of its own)."""
    db.add(entry)
    await db.flush()


async def access_page(
    db: AsyncSession, partner_id: uuid.UUID, before: int | None, size: int
) -> tuple[list[ShareAccess], int | None]:
    """A partner's calls, newest first, `size` at a time before the id `before`; and the next page's `before`."""
    statement = select(ShareAccess).where(ShareAccess.partner_id == partner_id)
    if before is not None:
        statement = statement.where(ShareAccess.id < before)
    rows = list((await db.execute(statement.order_by(ShareAccess.id.desc()).limit(size + 1))).scalars())
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


# --- rate-limit counters (store_items, shared by every app instance) -----------------------------------------

RATE_NAMESPACE = "share_rate"


async def count_call(db: AsyncSession, partner_id: uuid.UUID, window: int, window_end: datetime) -> int:
    """Add one call to the partner's counter of this window (one atomic upsert) and return the calls so far."""
    key = f"{partner_id}:{window}"
    counted = func.convert_from(StoreItem.value, "UTF8").cast(Integer) + 1
    statement = (
        insert(StoreItem)
        .values(key=key, namespace=RATE_NAMESPACE, value=b"1", expires_at=window_end)
        .on_conflict_do_update(
            constraint="uq_store_items_key_namespace",
            set_={"value": func.convert_to(counted.cast(String), "UTF8")},
        )
        .returning(func.convert_from(StoreItem.value, "UTF8").cast(Integer))
    )
    calls = int((await db.execute(statement)).scalar_one())
    if calls == 1:  # a new window: forget this partner's ended ones
        await db.execute(
            delete(StoreItem).where(
                StoreItem.namespace == RATE_NAMESPACE,
                StoreItem.key.startswith(f"{partner_id}:"),
                StoreItem.key != key,
                StoreItem.expires_at < func.now(),
            )
        )
    return calls


# --- sources of the aggregated datasets ------------------------------------------------------------------------


def _local_month(moment: Any) -> ColumnElement[str]:
    return func.to_char(func.timezone(LOCAL_TZ.key, moment), "YYYY-MM")


def referral_statistics(today: date) -> Select[Any]:
    """Referrals per agency and Lai Châu month: sent, received, closed (its median days), received and overdue.

    Overdue: received that month and now past its clock (still open), or closed after its legal due day.
    Only counts: no incident, person or message is read.
    """
    sender = aliased(Agency)
    receiver = aliased(Agency)
    closed_late = and_(
        Referral.status == Status.CLOSED.value,
        cast(func.timezone(LOCAL_TZ.key, Referral.closed_at), Date) > Referral.due_on,
    )
    late = case((or_(overdue_condition(today), closed_late), 1), else_=0)  # type: ignore[arg-type]
    days = extract("epoch", Referral.closed_at - Referral.sent_at) / 86400.0
    zero, none = literal(0), literal(None, Float)
    sent = select(
        sender.code.label("agency"),
        _local_month(Referral.sent_at).label("month"),
        literal(1).label("sent"),
        zero.label("received"),
        zero.label("closed"),
        zero.label("overdue"),
        none.label("days"),
    ).join(sender, sender.id == Referral.from_agency_id)
    received = select(receiver.code, _local_month(Referral.sent_at), zero, literal(1), zero, late, none).join(
        receiver, receiver.id == Referral.to_agency_id
    )
    closed = (
        select(receiver.code, _local_month(Referral.closed_at), zero, zero, literal(1), zero, days)
        .join(receiver, receiver.id == Referral.to_agency_id)
        .where(Referral.status == Status.CLOSED.value, Referral.closed_at.is_not(None))
    )
    events = union_all(sent, received, closed).cte("referral_events_by_month")
    statement: Select[Any] = select(
        events.c.agency.label("agency"),
        events.c.month.label("month"),
        func.sum(events.c.sent).cast(Integer).label("sent"),
        func.sum(events.c.received).cast(Integer).label("received"),
        func.sum(events.c.closed).cast(Integer).label("closed"),
        func.sum(events.c.overdue).cast(Integer).label("overdue"),
        func.round(func.percentile_cont(0.5).within_group(events.c.days).cast(Numeric), 1)
        .cast(Float)
        .label("median_days_to_close"),
    ).group_by(events.c.agency, events.c.month)
    return statement


async def first_incident_year(db: AsyncSession) -> int | None:
    """The Lai Châu year of the earliest incident still counted, or None when there is none."""
    first = func.min(Incident.occurred_at)
    moment = (await db.execute(select(first).where(Incident.status != "withdrawn"))).scalar_one()
    return None if moment is None else int(moment.astimezone(LOCAL_TZ).year)


def rows_table(name: str, columns: Sequence[tuple[str, TypeEngine[Any]]], rows: list[dict[str, Any]]) -> Subquery:
    """Rows computed in Python as a typed table PostgreSQL can filter (jsonb_to_recordset of one bound parameter),
    so odata-query's visitor works on them as on any shared select; no rows is an empty table, not an error."""
    recordset = (
        func.jsonb_to_recordset(bindparam(f"{name}_rows", value=rows, type_=JSONB))
        .table_valued(*(column(n, t) for n, t in columns))
        .render_derived(name=f"{name}_rows", with_types=True)
    )
    return select(*(recordset.c[n].label(n) for n, _ in columns)).subquery(name)


async def figures_fingerprint(db: AsyncSession) -> tuple[Any, ...]:
    """What the maps' figures depend on, cheaply: the rows and latest change of incidents and sanction decisions.
    Any insert, delete or ORM update changes it, so figures computed for an equal fingerprint are still true."""
    parts = (
        select(func.count()).select_from(Incident).scalar_subquery(),
        select(func.max(Incident.updated_at)).scalar_subquery(),
        select(func.count()).select_from(SanctionDecision).scalar_subquery(),
        select(func.max(SanctionDecision.updated_at)).scalar_subquery(),
    )
    return tuple((await db.execute(select(*parts))).one())
