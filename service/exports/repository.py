"""The exports' statements: rows streamed in partitions; the lists' own scope, filters and order, projected.

Incidents, referrals and sanction decisions are selected as the columns an export shows.

One row per item with plain values only (text, numbers, local dates), so no ORM object or API view is built per
row. Personal ID numbers are redacted here, by the incident API's rule (``incidents.queries.sees_personal_data``:
the recording agency and coordinators see them), as SQL: NULL where the API leaves them out.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Date, Dialect, Row, Select, String, case, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from service.auth.models import Agency, User
from service.auth.principal import Principal
from service.clock import LOCAL_TZ
from service.db import driver_connection
from service.incidents import repository as incident_repository
from service.incidents.models import Incident
from service.incidents.repository.filters import IncidentFilters, filter_conditions
from service.referrals import repository as referral_repository
from service.referrals.models import Referral
from service.referrals.repository import FromAgency, QueueFilters, ToAgency
from service.sanctions import repository as sanction_repository
from service.sanctions.models import SanctionDecision
from service.sanctions.repository import DecidingAgency, RecordingAgency, SanctionFilters

BATCH = 1_000
Rows = Sequence[Row[Any]]


def local_day(moment: Any) -> ColumnElement[Any]:
    """The calendar day in Lai Châu of a stored UTC moment (service.clock.local_day, in SQL)."""
    return cast(func.timezone(LOCAL_TZ.key, moment), Date)


def _personal(principal: Principal, value: ColumnElement[Any]) -> ColumnElement[Any]:
    """A violator's ID number or tax code: NULL where the incident API redacts it."""
    if principal.sees_all_agencies:
        return value
    return case((Incident.agency_id == principal.agency_id, value), else_=None)


def incident_columns(principal: Principal) -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]:
    """The incident export's values, in INCIDENT_COLUMNS' order (labels are looked up after)."""
    payload, violator = Incident.payload, Incident.payload["violator"]
    return (
        cast(Incident.id, String),
        Incident.kind,
        Incident.status,
        Agency.code,
        User.username,
        local_day(Incident.occurred_at),
        local_day(Incident.recorded_at),
        Incident.unit_2025,
        Incident.unit_2025,  # its name
        Incident.district_2024,
        Incident.district_2024,  # its name
        payload["location"]["address"].astext,
        Incident.lon,
        Incident.lat,
        payload["subject_matter"].astext,  # a JSON list of codes, labelled once per distinct list
        payload["infringement_acts"].astext,
        Incident.goods_value_vnd,
        violator["name"].astext,
        _personal(principal, violator["id_number"].astext),
        _personal(principal, violator["tax_code"].astext),
        func.coalesce(Incident.crime_signs != literal([], Incident.crime_signs.type), False),
        func.nullif(payload["summary"].astext, ""),
    )


def incident_rows(principal: Principal, filters: IncidentFilters) -> Select[Any]:
    """GET /api/incidents's statement without its page limit (same scope, filters, order), as export values.

    Built from the list's own helpers rather than a copy, so a filter added there applies here too.
    Raises the list's 400 for a bad filter (e.g. ``unit``) before any response is started.
    """
    stmt = incident_repository.with_names(incident_repository.visible_to(principal)).where(*filter_conditions(filters))
    stmt = stmt.order_by(Incident.recorded_at.desc(), Incident.id.desc())
    return stmt.with_only_columns(*incident_columns(principal), maintain_column_froms=False)


REFERRAL_COLUMNS = (
    cast(Referral.id, String),
    cast(Referral.incident_id, String),
    FromAgency.code,
    ToAgency.code,
    Referral.type,
    Referral.status,
    local_day(Referral.sent_at),
    local_day(Referral.acknowledged_at),
    local_day(Referral.closed_at),
    Referral.outcome,
    func.nullif(Referral.message, ""),
    # what the clocks are computed from (service.referrals.clocks)
    Referral.ack_due_on,
    Referral.due_on,
    Referral.due_rule,
    Referral.information_requested_at.is_not(None),
)


def referral_rows(agency_id: uuid.UUID | None, box: str, filters: QueueFilters) -> Select[Any]:
    """The queue's statement (GET /api/referrals/inbox, /outbox, /overdue) without its row limit, as values."""
    stmt = referral_repository.with_names(select(Referral))
    if agency_id is not None:
        column = Referral.from_agency_id if box == "outbox" else Referral.to_agency_id
        stmt = stmt.where(column == agency_id)
    stmt = referral_repository.filtered(stmt, filters).limit(None)
    return stmt.with_only_columns(*REFERRAL_COLUMNS, maintain_column_froms=False)


def _codes(array: InstrumentedAttribute[Any]) -> ColumnElement[Any]:
    """A list of codes as one text, comma-separated (labelled once per distinct list: columns.py)."""
    return func.array_to_string(array, ",")


def _text(value: ColumnElement[Any]) -> ColumnElement[Any]:
    """A payload text; NULL for an empty one (the API's view shows None)."""
    return func.nullif(value, "")


def sanction_columns(principal: Principal) -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]:
    """The sanction export's values, in SANCTION_FIELDS' order: what GET /api/sanctions shows this caller."""
    violator = Incident.payload["violator"]
    return (
        cast(SanctionDecision.id, String),
        SanctionDecision.number,
        SanctionDecision.decided_on,
        DecidingAgency.code,
        SanctionDecision.decider_name,
        SanctionDecision.decider_title,
        _codes(SanctionDecision.acts),
        SanctionDecision.principal_sanction,
        SanctionDecision.fine_vnd,
        _codes(SanctionDecision.additional_sanctions),
        _codes(SanctionDecision.remedial_measures),
        SanctionDecision.payment_status,
        cast(SanctionDecision.incident_id, String),
        Incident.kind,
        RecordingAgency.code,
        local_day(Incident.occurred_at),
        Incident.unit_2025,
        Incident.unit_2025,  # its name
        _text(violator["name"].astext),
        _personal(principal, _text(violator["id_number"].astext)),
        _personal(principal, _text(violator["tax_code"].astext)),
    )


def sanction_rows(principal: Principal, filters: SanctionFilters) -> Select[Any]:
    """GET /api/sanctions's statement without its page limit (same scope, filters, order), as export values."""
    stmt = sanction_repository.statement(principal, filters)
    return stmt.with_only_columns(*sanction_columns(principal), maintain_column_froms=False)


def _for_driver(stmt: Select[Any], dialect: Dialect) -> tuple[str, list[Any]]:
    """The statement's SQL for asyncpg and its parameters as SQLAlchemy would send them (JSON serialised, IN
    lists expanded), so the driver runs exactly what ``session.stream`` would have."""
    compiled: Any = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    processors, params = compiled._bind_processors, compiled.params
    names = compiled.positiontup or ()
    return str(compiled), [processors[name](params[name]) if name in processors else params[name] for name in names]


async def value_partitions(session: AsyncSession, stmt: Select[Any], size: int = BATCH) -> AsyncIterator[Rows]:
    """The rows of a statement of plain values from a server-side cursor of the driver, `size` at a time.

    For the projected exports: asyncpg's records as they come (indexable like rows), without SQLAlchemy's
    per-row result processing, which took as long as the query itself. In the session's transaction.
    """
    sql, arguments = _for_driver(stmt, session.get_bind().dialect)
    connection = await driver_connection(session, in_transaction=True)
    cursor = await connection.cursor(sql, *arguments)
    while records := await cursor.fetch(size):
        yield records


async def partitions(
    session: AsyncSession, stmt: Select[*tuple[Any, ...]], size: int = BATCH
) -> AsyncIterator[Sequence[Row[*tuple[Any, ...]]]]:
    """The statement's rows (ORM entities too) streamed from a server-side cursor, `size` at a time."""
    result = await session.stream(stmt.execution_options(yield_per=size))
    async for partition in result.partitions():
        yield partition
