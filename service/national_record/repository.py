"""The national record's one statement: decisions with their incident and deciding agency, in the reader's scope.

The scope is the deciding agency's, not the incident's: an agency sends the decisions it made (whoever recorded
the incident), a coordinator sees every decision of the province.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency
from service.auth.principal import Principal
from service.incidents.models import Incident
from service.sanctions.models import SanctionDecision

# A row: the decision, its incident, the deciding agency's code and Vietnamese name.
RecordSelect = Select[SanctionDecision, Incident, str, str]


def statement(principal: Principal, decided_from: date, decided_to: date, agency_id: uuid.UUID | None) -> RecordSelect:
    """Decisions taken between the two days (both included) that the reader's agency decided, oldest first."""
    stmt = (
        select(SanctionDecision, Incident, Agency.code, Agency.name_vi)
        .join(Incident, Incident.id == SanctionDecision.incident_id)
        .join(Agency, Agency.id == SanctionDecision.agency_id)
        .where(SanctionDecision.decided_on >= decided_from, SanctionDecision.decided_on <= decided_to)
    )
    if not principal.sees_all_agencies:
        stmt = stmt.where(SanctionDecision.agency_id == principal.agency_id)
    elif agency_id is not None:
        stmt = stmt.where(SanctionDecision.agency_id == agency_id)
    return stmt.order_by(SanctionDecision.decided_on, SanctionDecision.number, SanctionDecision.id)


async def rows(
    session: AsyncSession, principal: Principal, decided_from: date, decided_to: date, agency_id: uuid.UUID | None
) -> list[Row[SanctionDecision, Incident, str, str]]:
    """The rows of `statement`."""
    return list((await session.execute(statement(principal, decided_from, decided_to, agency_id))).all())
