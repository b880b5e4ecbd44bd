"""GET /api/sanctions/national-record: the decisions of a period in the national record's fields, JSON or XLSX."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from litestar import Controller, Response, get
from litestar.di import Provide
from litestar.params import FromQuery, QueryParameter

from schemas.national_record import NationalRecord
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.contract.declare import documented
from service.db import DbSession
from service.national_record import service
from service.national_record.service import BadPeriod, UnknownAgency
from service.sanctions.routes import require_sanction_writer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"json": "application/json", "xlsx": XLSX}
Format = Annotated[Literal["json", "xlsx"], QueryParameter(description="json (mặc định / default) hoặc/or xlsx")]
AgencyParam = Annotated[
    str | None,
    QueryParameter(max_length=40, description="Điều phối viên: mã cơ quan ra quyết định / Coordinators: one agency"),
]


class NationalRecordController(Controller):
    """Sanction decisions for the national database of administrative-violation handling (Decree 20/2016/NĐ-CP)."""

    path = "/api/sanctions/national-record"
    tags = ["incidents"]
    guards = [require_login, require_sanction_writer]
    dependencies = {"principal": Provide(provide_principal)}

    @get(opt=documented(BadPeriod, UnknownAgency, 403, produces=MEDIA_TYPES.values()))
    async def national_record(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        decided_from: FromQuery[date | None] = None,
        decided_to: FromQuery[date | None] = None,
        agency: AgencyParam = None,
        format: Format = "json",
    ) -> Response[NationalRecord]:
        """CSDL quốc gia về xử lý VPHC (NĐ 20/2016, Điều 9) / The national record of the decisions of a period.

        The agency's own decisions (coordinators: every decision, or one agency's with `agency`), oldest decided
        first, from `decided_from` to `decided_to` (local days, both included; at most a year; this year by
        default). Each item names in `missing` the fields Article 9 asks that the record does not hold yet.
        """
        record = await service.national_record(
            db_session, principal, decided_from=decided_from, decided_to=decided_to, agency=agency, format=format
        )
        headers = {"Cache-Control": "no-store"}  # personal data: never kept by a cache
        if format == "json":
            return Response(record, headers=headers)
        name = f"csdl-xlvphc_{record.decided_from.isoformat()}_{record.decided_to.isoformat()}.xlsx"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return Response(await service.xlsx(record), media_type=XLSX, headers=headers)  # type: ignore[arg-type]
