"""Reading sanction decisions across incidents: scope, filters, order and cursor of GET /api/sanctions.

The list route, its export (service/exports) and the /sanctions page all build their statement here, so the
three show the same decisions. A decision is visible exactly when its incident is: the statement starts from
``incidents.repository.visible_to``. Each row becomes the reader's view of the decision, the incident's
violator redacted by the incident API's own rule (``incidents.queries.sees_personal_data`` and ``redact``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from schemas.sanctions import PERSONAL_FIELDS, SanctionIn, SanctionListItem, SanctionPage
from service.auth import repository as agencies
from service.auth.models import Agency
from service.auth.principal import Principal
from service.clock import LOCAL_TZ
from service.errors import Invalid
from service.incidents import queries as incident_queries
from service.incidents import repository
from service.incidents.models import Incident
from service.incidents.queries import IncidentFilters
from service.pagination import decode_cursor, encode_cursor
from service.sanctions.models import SanctionDecision
from service.text import fold

DecidingAgency = aliased(Agency, name="deciding_agency")
RecordingAgency = aliased(Agency, name="recording_agency")
# A row: the incident, the decision, the deciding agency's code, the recording agency's code.
SanctionSelect = Select[Incident, SanctionDecision, str, str]


class BadRange(Invalid):
    code = "sanction_list.bad_range"


class UnknownAgencyFilter(Invalid):
    code = "sanction_list.unknown_agency"


@dataclass(frozen=True)
class SanctionFilters:
    """What the list can be narrowed by; every field optional. ``agency`` is the deciding agency's code."""

    agency: str | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    payment_status: str | None = None
    principal_sanction: str | None = None
    act: str | None = None
    kind: str | None = None
    unit: str | None = None
    q: str | None = None


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filter_conditions(filters: SanctionFilters) -> list[Any]:
    """The WHERE conditions; a bad ``unit`` is the incident list's own 400 (field ``unit``)."""
    # Kind and unit mean what they mean on the incident list: the same conditions, from its own helper.
    conditions = incident_queries.filter_conditions(IncidentFilters(kind=filters.kind, unit=filters.unit))
    if filters.agency:
        conditions.append(DecidingAgency.code == filters.agency)
    if filters.decided_from:
        conditions.append(SanctionDecision.decided_on >= filters.decided_from)
    if filters.decided_to:
        conditions.append(SanctionDecision.decided_on <= filters.decided_to)
    if filters.payment_status:
        conditions.append(SanctionDecision.payment_status == filters.payment_status)
    if filters.principal_sanction:
        conditions.append(SanctionDecision.principal_sanction == filters.principal_sanction)
    if filters.act:
        conditions.append(SanctionDecision.acts.contains([filters.act]))
    # Each word, folded as the incident's search text is, is found in that text or in the decision's number
    # ("15/QĐ-XPHC" folds to "15/qd-xphc"; numbers carry no other diacritics than Đ).
    number = func.lower(func.translate(SanctionDecision.number, "Đđ", "Dd"))
    for word in fold(filters.q or "").split():
        pattern = _like(word)
        conditions.append(or_(Incident.search_text.like(pattern), number.like(pattern)))
    return conditions


async def check_filters(session: AsyncSession, filters: SanctionFilters) -> None:
    """Refuse filters no decision could match for a reason the reader must fix, each naming its field."""
    if filters.decided_from and filters.decided_to and filters.decided_to < filters.decided_from:
        raise BadRange(field="decided_to", start="decided_from")
    if filters.agency and await agencies.get_agency_by_code(session, filters.agency) is None:
        raise UnknownAgencyFilter(field="agency", value=filters.agency)
    filter_conditions(filters)  # raises for a bad unit


def statement(principal: Principal, filters: SanctionFilters) -> SanctionSelect:
    """Visible decisions matching the filters, newest decided first; no limit."""
    stmt = (
        repository.visible_to(principal)
        .join(SanctionDecision, SanctionDecision.incident_id == Incident.id)
        .join(DecidingAgency, DecidingAgency.id == SanctionDecision.agency_id)
        .join(RecordingAgency, RecordingAgency.id == Incident.agency_id)
        .add_columns(SanctionDecision, DecidingAgency.code, RecordingAgency.code)
        .where(*filter_conditions(filters))
    )
    return stmt.order_by(SanctionDecision.decided_on.desc(), SanctionDecision.id.desc())


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def sanction_item(
    principal: Principal, incident: Incident, decision: SanctionDecision, agency_code: str, incident_agency_code: str
) -> SanctionListItem:
    """The reader's view of one decision in the list: its own fields and its incident's, personal data redacted."""
    violator = incident.payload.get("violator") or {}
    hidden: tuple[str, ...] = ()
    if not incident_queries.sees_personal_data(principal, incident):
        violator, hidden = incident_queries.redact(violator), PERSONAL_FIELDS
    stated: dict[str, Any] = {
        name: None if name in hidden else getattr(decision, name) for name in SanctionIn.__struct_fields__
    }
    return SanctionListItem(
        id=decision.id,
        incident_id=decision.incident_id,
        agency_code=agency_code,
        created_at=decision.created_at.astimezone(LOCAL_TZ),
        incident_kind=incident.kind,  # type: ignore[arg-type]
        incident_agency_code=incident_agency_code,
        incident_occurred_at=incident.occurred_at.astimezone(LOCAL_TZ),
        unit_2025=incident.unit_2025,
        violator_name=_text(violator.get("name")),
        violator_id_number=_text(violator.get("id_number")),
        violator_tax_code=_text(violator.get("tax_code")),
        **stated,
    )


async def list_sanctions(
    session: AsyncSession, principal: Principal, filters: SanctionFilters, cursor: str | None, limit: int
) -> SanctionPage:
    """A page of visible decisions, newest decided first (the filters checked first)."""
    await check_filters(session, filters)
    stmt = statement(principal, filters)
    if cursor:
        day, ident = decode_cursor(cursor, date)
        after = or_(
            SanctionDecision.decided_on < day, and_(SanctionDecision.decided_on == day, SanctionDecision.id < ident)
        )
        stmt = stmt.where(after)
    rows = (await session.execute(stmt.limit(limit + 1))).all()
    items = [sanction_item(principal, row[0], row[1], row[2], row[3]) for row in rows[:limit]]
    last = rows[limit - 1][1] if len(rows) > limit else None
    next_cursor = encode_cursor(last.decided_on, last.id) if last is not None else None
    return SanctionPage(items=items, next_cursor=next_cursor)
