"""GET /api/sanctions: every sanction decision the caller may see, filtered, newest decided first, paginated.

The filters are one dependency (``sanction_filters``) shared with GET /api/sanctions/export, so the list and its
export take the same query parameters.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter

from schemas.codes import IncidentKind, InfringementAct, PaymentStatus, PrincipalSanction
from schemas.sanctions import SanctionPage
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.db import DbSession
from service.incidents import disclosures
from service.sanctions import queries
from service.sanctions.queries import SanctionFilters

AgencyParam = Annotated[
    str | None, QueryParameter(max_length=40, description="Mã cơ quan ra quyết định / Deciding agency's code")
]
UnitParam = Annotated[
    str | None, QueryParameter(description="Đơn vị của vụ việc / The incident's unit: 2025:03388, 2024:105")
]
QParam = Annotated[
    str | None,
    QueryParameter(max_length=200, description="Số quyết định, tìm có/không dấu / Decision number, text search"),
]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Số quyết định mỗi trang / Decisions per page")]
SanctionFiltersDep = NamedDependency[SanctionFilters]


def provide_sanction_filters(
    agency: AgencyParam = None,
    decided_from: FromQuery[date | None] = None,
    decided_to: FromQuery[date | None] = None,
    payment_status: FromQuery[PaymentStatus | None] = None,
    principal_sanction: FromQuery[PrincipalSanction | None] = None,
    act: FromQuery[InfringementAct | None] = None,
    kind: FromQuery[IncidentKind | None] = None,
    unit: UnitParam = None,
    q: QParam = None,
) -> SanctionFilters:
    """Dependency: the list's filters from the query string (dates are local days, both ends included)."""
    return SanctionFilters(agency, decided_from, decided_to, payment_status, principal_sanction, act, kind, unit, q)


class SanctionListController(Controller):
    """Sanction decisions across incidents, scoped as the incidents they belong to."""

    path = "/api/sanctions"
    tags = ["incidents"]
    guards = [require_login]
    dependencies = {
        "principal": Provide(provide_principal),
        "sanction_filters": Provide(provide_sanction_filters, sync_to_thread=False),
    }

    @get()
    async def list_sanctions(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        sanction_filters: SanctionFiltersDep,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> SanctionPage:
        """Danh sách quyết định xử phạt, mới nhất trước / Sanction decisions, newest decided first, cursor-paginated."""
        found = await queries.list_sanctions(db_session, principal, sanction_filters, cursor, limit)
        await disclosures.record_sanctions(db_session, principal, found.items, view="api.sanctions")
        return found
