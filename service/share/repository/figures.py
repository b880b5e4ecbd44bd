"""The sources of the aggregated datasets: the referral statistics CTE, rows computed in Python as a typed table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    Integer,
    Numeric,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    column,
    extract,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlalchemy.types import TypeEngine

from service.auth.models import Agency
from service.clock import LOCAL_TZ
from service.incidents.models import Incident
from service.referrals.models import Referral
from service.referrals.repository import overdue_condition
from service.referrals.transitions import Status


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
