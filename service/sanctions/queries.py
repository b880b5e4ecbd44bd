"""Reading sanction decisions across incidents: the checks, the cursor and the rows of GET /api/sanctions.

The list route, its export (service/exports) and the /sanctions page all build their statement in the sanctions'
repository (filters, scope and order), so the three show the same decisions. A decision is visible exactly when
its incident is: the statement starts from ``incidents.repository.visible_to``. Each row becomes the reader's
view of the decision, the incident's violator redacted by the incident API's own rule
(``incidents.queries.sees_personal_data`` and ``redact``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.sanctions import PERSONAL_FIELDS, SanctionIn, SanctionListItem, SanctionPage
from service.auth import repository as agencies
from service.auth.principal import Principal
from service.clock import LOCAL_TZ
from service.errors import Invalid
from service.incidents import queries as incident_queries
from service.incidents.models import Incident
from service.pagination import decode_cursor, encode_cursor
from service.sanctions import repository as sanctions
from service.sanctions.models import SanctionDecision
from service.sanctions.repository import SanctionFilters, filter_conditions


class BadRange(Invalid):
    code = "sanction_list.bad_range"


class UnknownAgencyFilter(Invalid):
    code = "sanction_list.unknown_agency"


async def check_filters(session: AsyncSession, filters: SanctionFilters) -> None:
    """Refuse filters no decision could match for a reason the reader must fix, each naming its field."""
    if filters.decided_from and filters.decided_to and filters.decided_to < filters.decided_from:
        raise BadRange(field="decided_to", start="decided_from")
    if filters.agency and await agencies.get_agency_by_code(session, filters.agency) is None:
        raise UnknownAgencyFilter(field="agency", value=filters.agency)
    filter_conditions(filters)  # raises for a bad unit


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
    after = decode_cursor(cursor, date) if cursor else None
    rows = await sanctions.page_rows(session, principal, filters, after, limit + 1)
    items = [sanction_item(principal, row[0], row[1], row[2], row[3]) for row in rows[:limit]]
    last = rows[limit - 1][1] if len(rows) > limit else None
    next_cursor = encode_cursor(last.decided_on, last.id) if last is not None else None
    return SanctionPage(items=items, next_cursor=next_cursor)
