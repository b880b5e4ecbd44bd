"""Sanction decisions of one incident over HTTP: decode, call the service, encode."""

from __future__ import annotations

import uuid

from litestar import Controller, get, patch, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from schemas.sanctions import PaymentUpdate, SanctionIn, SanctionOut
from service.auth.guards import PrincipalDep, provide_principal, require_login, requires_role
from service.auth.models import Role
from service.contract.declare import documented
from service.db import DbSession
from service.incidents import sanctions
from service.incidents.sanctions import SanctionRecord

# Roles that may record or change a decision; agency scope is checked by the service.
require_sanction_writer = requires_role(
    Role.INSPECTOR, Role.AGENCY_STAFF, Role.AGENCY_HEAD, Role.COORDINATOR, Role.ADMIN
)


def sanction_out(record: SanctionRecord) -> SanctionOut:
    """The API view of a stored decision."""
    decision = record.decision
    stated = {name: getattr(decision, name) for name in SanctionIn.__struct_fields__}
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
