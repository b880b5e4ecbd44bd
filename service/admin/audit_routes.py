"""/api/admin/audit: the audit trail for administrators, filtered by user, event, record and time; CSV export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.audit import AuditPage
from service.audit import queries
from service.audit.repository import AuditFilters
from service.auth.guards import PrincipalDep, provide_principal, require_admin
from service.contract.declare import documented
from service.db import DbSession

User = Annotated[
    str | None, QueryParameter(max_length=100, description="Tên đăng nhập hoặc mã người dùng / User name or user id")
]
Event = Annotated[
    str | None,
    QueryParameter(max_length=60, description="Sự kiện (auth.sign_in) hoặc nhóm (auth) / An event or a family"),
]
Record = Annotated[
    str | None, QueryParameter(max_length=100, description="Mã bản ghi (vụ việc, người dùng…) / A record's id")
]
Since = Annotated[datetime | None, QueryParameter(description="Từ thời điểm (ISO 8601) / From this time")]
Until = Annotated[datetime | None, QueryParameter(description="Trước thời điểm (ISO 8601) / Before this time")]
Before = Annotated[int | None, QueryParameter(ge=1, description="Trang sau: next_before / The next page's key")]
Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Số dòng mỗi trang / Rows per page")]
AuditFiltersDep = NamedDependency[AuditFilters]
DbEngine = NamedDependency[AsyncEngine]


def provide_audit_filters(
    user: User = None, event: Event = None, record: Record = None, since: Since = None, until: Until = None
) -> AuditFilters:
    """The filters from the query string."""
    return AuditFilters(user=user, event=event, record=record, since=since, until=until)


AUDIT_FILTERS = {
    "principal": Provide(provide_principal),
    "audit_filters": Provide(provide_audit_filters, sync_to_thread=False),
}


class AuditController(Controller):
    """Who did what, to which record, from where: security and personal-data events (docs/audit.md)."""

    path = "/api/admin/audit"
    tags = ["admin"]
    guards = [require_admin]
    dependencies = AUDIT_FILTERS

    @get(opt=documented(400))
    async def list_audit_events(
        self, db_session: DbSession, audit_filters: AuditFiltersDep, before: Before = None, limit: Limit = 50
    ) -> AuditPage:
        """Nhật ký kiểm toán, mới nhất trước (quản trị) / The audit trail, newest first (admin)."""
        return await queries.page(db_session, audit_filters, before, limit)

    @get("/export", opt=documented(400, produces=["text/csv"]))
    async def export_audit_events(
        self, principal: PrincipalDep, db_session: DbSession, db_engine: DbEngine, audit_filters: AuditFiltersDep
    ) -> Stream:
        """Tải nhật ký kiểm toán (CSV) / The filtered audit trail as CSV (the export itself is recorded)."""
        await queries.start_export(db_session, principal, audit_filters)
        headers = {"Content-Disposition": 'attachment; filename="nhat-ky-kiem-toan.csv"', "Cache-Control": "no-store"}
        return Stream(queries.csv_chunks(db_engine, audit_filters), media_type="text/csv", headers=headers)
