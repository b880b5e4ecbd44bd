"""GET /api/incidents/export, /api/referrals/export and /api/sanctions/export: the lists as CSV or XLSX, streamed."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Annotated, Literal

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from schemas.referrals import ReferralStatus, ReferralType
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.clock import local_day, now
from service.contract.declare import documented
from service.db import DbSession
from service.exports import service
from service.exports.columns import INCIDENT_FIELDS, REFERRAL_FIELDS, SANCTION_FIELDS
from service.incidents import disclosures
from service.incidents.parameters import INCIDENT_FILTERS, IncidentFiltersDep
from service.referrals.repository import QueueFilters
from service.sanctions import queries as sanction_queries
from service.sanctions.routes import SanctionFiltersDep, provide_sanction_filters

Format = Annotated[Literal["csv", "xlsx"], QueryParameter(description="csv (UTF-8 có BOM / with BOM) hoặc/or xlsx")]
Box = Annotated[
    Literal["inbox", "outbox", "overdue"],
    QueryParameter(description="Hồ sơ đến, đã chuyển, quá hạn toàn tỉnh / Inbox, outbox, overdue (coordinators)"),
]
DbEngine = NamedDependency[AsyncEngine]
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _headers(name: str, format: str) -> dict[str, str]:
    filename = f"{name}_{local_day(now()).isoformat()}.{format}"
    # Personal data: never kept by a shared cache or the browser's.
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


async def _export(
    format: str,
    name: str,
    columns: Sequence[service.Shown],
    batches: service.Batches,
    session: AsyncSession,
    engine: AsyncEngine,
) -> Stream:
    content: AsyncIterator[bytes]
    if format == "xlsx":
        handle = await service.xlsx_file(session, name, columns, batches)
        content = service.file_chunks(handle)
    else:
        content = service.csv_stream(engine, columns, batches)
    return Stream(content, media_type=MEDIA_TYPES[format], headers=_headers(name, format))


class ExportController(Controller):
    """Every list as a spreadsheet, with the list route's filters and the caller's scope."""

    path = "/api"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/incidents/export",
        tags=["incidents"],
        dependencies=INCIDENT_FILTERS,
        opt=documented(produces=MEDIA_TYPES.values()),
    )
    async def export_incidents(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        db_engine: DbEngine,
        incident_filters: IncidentFiltersDep,
        format: Format = "csv",
    ) -> Stream:
        """Tải danh sách vụ việc (CSV/XLSX) / The incident list as CSV or XLSX, filtered as GET /api/incidents."""
        statement = service.incident_statement(principal, incident_filters)
        batches = service.incident_batches(principal, statement)
        filters = dataclasses.asdict(incident_filters) | {"format": format}
        fields = disclosures.INCIDENT_EXPORT_FIELDS
        await disclosures.record_export(db_session, principal, view="export.incidents", fields=fields, filters=filters)
        return await _export(format, "vu-viec", INCIDENT_FIELDS, batches, db_session, db_engine)

    @get("/referrals/export", tags=["referrals"], opt=documented(404, produces=MEDIA_TYPES.values()))
    async def export_referrals(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        db_engine: DbEngine,
        format: Format = "csv",
        box: Box = "inbox",
        status: FromQuery[ReferralStatus | None] = None,
        type: FromQuery[ReferralType | None] = None,
        due_before: FromQuery[date | None] = None,
        overdue: Annotated[bool, QueryParameter(description="Chỉ hồ sơ quá hạn / Only overdue referrals")] = False,
        agency: Annotated[str | None, QueryParameter(description="Điều phối viên: cơ quan khác / Coordinators")] = None,
    ) -> Stream:
        """Tải hàng đợi hồ sơ chuyển (CSV/XLSX) / A referral queue as CSV or XLSX, filtered as its list route."""
        agency_id = await service.referral_agency(db_session, principal, box, agency)
        today = local_day(now())
        filters = QueueFilters(status, type, due_before, today if overdue or box == "overdue" else None)
        batches = service.referral_batches(principal, service.referral_statement(agency_id, box, filters))
        return await _export(format, f"ho-so-chuyen-{box}", REFERRAL_FIELDS, batches, db_session, db_engine)

    @get(
        "/sanctions/export",
        tags=["incidents"],
        opt=documented(produces=MEDIA_TYPES.values()),
        dependencies={"sanction_filters": Provide(provide_sanction_filters, sync_to_thread=False)},
    )
    async def export_sanctions(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        db_engine: DbEngine,
        sanction_filters: SanctionFiltersDep,
        format: Format = "csv",
    ) -> Stream:
        """Tải quyết định xử phạt (CSV/XLSX) / Sanction decisions as CSV or XLSX, filtered as GET /api/sanctions."""
        await sanction_queries.check_filters(db_session, sanction_filters)
        stmt = service.sanction_statement(principal, sanction_filters)
        batches = service.sanction_batches(principal, stmt)
        filters = dataclasses.asdict(sanction_filters) | {"format": format}
        fields = disclosures.SANCTION_EXPORT_FIELDS
        await disclosures.record_export(db_session, principal, view="export.sanctions", fields=fields, filters=filters)
        return await _export(format, "quyet-dinh-xu-phat", SANCTION_FIELDS, batches, db_session, db_engine)
