"""Sanction decisions over HTTP: those of one incident (/api/incidents/{id}/sanctions: record, list, payment) and
GET /api/sanctions, every decision the caller may see, filtered, newest decided first, paginated.

The filters are one dependency (``sanction_filters``) shared with GET /api/sanctions/export, so the list and its
export take the same query parameters.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from schemas.codes import IncidentKind, InfringementAct, PaymentStatus, PrincipalSanction
from schemas.sanctions import PERSONAL_FIELDS, PaymentUpdate, SanctionIn, SanctionOut, SanctionPage
from service.auth.guards import PrincipalDep, provide_principal, require_login, requires_role
from service.auth.models import Role
from service.contract.declare import documented
from service.db import DbSession
from service.incidents import disclosures
from service.sanctions import queries
from service.sanctions import service as sanctions
from service.sanctions.repository import SanctionFilters
from service.sanctions.service import SanctionRecord

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


# Roles that may record or change a decision; agency scope is checked by the service.
require_sanction_writer = requires_role(
    Role.INSPECTOR, Role.AGENCY_STAFF, Role.AGENCY_HEAD, Role.COORDINATOR, Role.ADMIN
)


def sanction_out(record: SanctionRecord) -> SanctionOut:
    """The API view of a stored decision."""
    decision = record.decision
    hidden = () if record.personal else PERSONAL_FIELDS
    stated: dict[str, Any] = {
        name: None if name in hidden else getattr(decision, name) for name in SanctionIn.__struct_fields__
    }
    return SanctionOut(
        id=decision.id,
        incident_id=decision.incident_id,
        agency_code=record.agency_code,
        created_at=decision.created_at,
        **stated,
    )


class SanctionController(Controller):
    """Sanction decisions (quyết định xử phạt) attached to an incident."""

    path = "/api/incidents/{incident_id:uuid}/sanctions"
    tags = ["incidents"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @post(status_code=HTTP_201_CREATED, guards=[require_sanction_writer], opt=documented(409, 422))
    async def add_sanction(
        self,
        incident_id: FromPath[uuid.UUID],
        data: JSONBody[SanctionIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> SanctionOut:
        """Ghi quyết định xử phạt / Record a sanction decision, checked against the fine ceiling."""
        return sanction_out(await sanctions.add_sanction(db_session, principal, incident_id, data))

    @get()
    async def list_sanctions(
        self, incident_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> list[SanctionOut]:
        """Các quyết định xử phạt của vụ việc / The incident's sanction decisions, oldest first."""
        return [sanction_out(r) for r in await sanctions.list_sanctions(db_session, principal, incident_id)]

    @patch("/{sanction_id:uuid}/payment", guards=[require_sanction_writer])
    async def update_payment(
        self,
        incident_id: FromPath[uuid.UUID],
        sanction_id: FromPath[uuid.UUID],
        data: JSONBody[PaymentUpdate],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> SanctionOut:
        """Cập nhật tình trạng thi hành, có lý do / Change the payment status, with a reason kept in the history."""
        record = await sanctions.update_payment(db_session, principal, incident_id, sanction_id, data)
        return sanction_out(record)
