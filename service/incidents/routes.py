"""/api/incidents: record, read, list, correct, withdraw, history. Thin: decode, call, encode."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.incidents import (
    HistoryEntryOut,
    IncidentCorrection,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    IncidentWithdrawal,
)
from service.admin_units.service import geo_registry
from service.auth.guards import PrincipalDep, provide_principal, require_login, require_member
from service.contract.declare import documented
from service.db import DbSession
from service.incidents import disclosures, queries, service
from service.incidents.parameters import INCIDENT_FILTERS, IncidentFiltersDep
from service.incidents.service import AfterChange

IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=100,
        description="Gửi lại cùng khóa sẽ không tạo bản ghi mới / Retries with the same key store nothing new",
    ),
]
# What follows a change of an incident (cases' duplicate flags), provided by the app from a package above.
AfterChangeDep = NamedDependency[AfterChange]
Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Số vụ việc mỗi trang / Incidents per page")]


def _etag(incident: IncidentOut) -> dict[str, str]:
    return {"ETag": f'"{incident.version}"'}


class IncidentController(Controller):
    """Every kind of IP-enforcement incident, scoped to the caller's agency."""

    path = "/api/incidents"
    tags = ["incidents"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @post(guards=[require_member], status_code=HTTP_201_CREATED, opt=documented(404, 422))
    async def record_incident(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[IncidentIn],
        principal: PrincipalDep,
        db_session: DbSession,
        after_incident_change: AfterChangeDep,
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[IncidentOut]:
        """Ghi nhận vụ việc (gửi lại an toàn với Idempotency-Key) / Record an incident (safe to retry)."""
        tagger = geo_registry(request).tagger
        recorded = await service.record_incident(
            db_session, principal, tagger, data, idempotency_key, after_incident_change
        )
        out = await queries.present(db_session, principal, recorded.incident)
        headers = _etag(out) | ({"Idempotent-Replayed": "true"} if recorded.replayed else {})
        return Response(out, status_code=HTTP_201_CREATED, headers=headers)

    @get(dependencies=INCIDENT_FILTERS)
    async def list_incidents(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        incident_filters: IncidentFiltersDep,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Limit = 50,
    ) -> IncidentPage:
        """Danh sách vụ việc, lọc và phân trang / Incidents, filtered, newest first, cursor-paginated."""
        page = await queries.list_incidents(db_session, principal, incident_filters, cursor, limit)
        await disclosures.record_shown(db_session, principal, page.items, view="api.incidents")
        return page

    @get("/{incident_id:uuid}")
    async def get_incident(
        self, incident_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Response[IncidentOut]:
        """Chi tiết vụ việc / One incident."""
        out = await queries.get_incident(db_session, principal, incident_id)
        await disclosures.record_shown(db_session, principal, [out], view="api.incident")
        return Response(out, headers=_etag(out))

    @patch("/{incident_id:uuid}", guards=[require_member], opt=documented(409, 422))
    async def correct_incident(
        self,
        request: Request[Any, Any, Any],
        incident_id: FromPath[uuid.UUID],
        data: JSONBody[IncidentCorrection],
        principal: PrincipalDep,
        db_session: DbSession,
        after_incident_change: AfterChangeDep,
    ) -> Response[IncidentOut]:
        """Sửa vụ việc, bắt buộc nêu lý do / Correct an incident; a reason and the current version are required."""
        tagger = geo_registry(request).tagger
        incident = await service.correct_incident(
            db_session, principal, tagger, incident_id, data, after_incident_change
        )
        out = await queries.present(db_session, principal, incident)
        return Response(out, headers=_etag(out))

    @post("/{incident_id:uuid}/withdraw", guards=[require_member], status_code=HTTP_200_OK, opt=documented(409))
    async def withdraw_incident(
        self,
        incident_id: FromPath[uuid.UUID],
        data: JSONBody[IncidentWithdrawal],
        principal: PrincipalDep,
        db_session: DbSession,
        after_incident_change: AfterChangeDep,
    ) -> IncidentOut:
        """Rút vụ việc ghi nhầm (vẫn lưu lại) / Withdraw an incident recorded in error (it stays on record)."""
        incident = await service.withdraw_incident(db_session, principal, incident_id, data, after_incident_change)
        return await queries.present(db_session, principal, incident)

    @get("/{incident_id:uuid}/history")
    async def incident_history(
        self, incident_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> list[HistoryEntryOut]:
        """Lịch sử thay đổi / Every change: who, when, what, why."""
        entries = await queries.history(db_session, principal, incident_id)
        fields = [field for entry in entries for field in disclosures.history_fields(entry.changes)]
        await disclosures.record_payloads(db_session, principal, [(incident_id, fields)], view="api.incident_history")
        return entries
