"""/api/reports: the yearly and period reports as JSON, XLSX, a ZIP of CSVs, or a PDF (coordinators, admins)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, get
from litestar.di import Provide
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import PrincipalDep, provide_principal, require_coordinator
from service.clock import local_day, now
from service.contract.declare import documented
from service.db import DbSession
from service.documents.routes import DOCUMENT_NUMBER, SIGNATURE_STATE, SignerName, SignerTitle
from service.documents.service import MEDIA_TYPE as DOCUMENT_TYPE
from service.documents.service import headers as document_headers
from service.i18n import Language
from service.reports import service
from service.reports.tables import Period
from service.settings import SettingsDep

REPORT_TYPES = ("application/json", *service.MEDIA_TYPES.values())

FormatParam = Annotated[
    service.Format, QueryParameter(description="json, xlsx (một trang mỗi bảng / a sheet per table), csv (zip), pdf")
]
GenerationParam = Annotated[
    service.Generation, QueryParameter(description="2025: 38 xã/phường / 38 units; 2024: 8 huyện cũ / 8 districts")
]
LangParam = Annotated[Language, QueryParameter(description="vi (mặc định / default) hoặc/or en")]
Day = Annotated[date, QueryParameter(description="Ngày địa phương, tính cả ngày này / Local date, included")]
Year = Annotated[int, QueryParameter(description="Năm 2000 đến nay / A year from 2000 to this one")]


async def respond(session: AsyncSession, period: Period, generation: str, format: str, lang: Language) -> Response[Any]:
    """The report in the format asked for; files are attachments named after the period."""
    laid = await service.laid_out(session, period, generation, lang)
    if format == "json":
        return Response(service.json_out(laid), headers={"Cache-Control": "no-store"})
    headers = {
        "Content-Disposition": f'attachment; filename="{service.file_name(period, generation, format)}"',
        "Cache-Control": "no-store",
    }
    body = await service.render_file(laid, format)
    return Response(body, media_type=service.MEDIA_TYPES[format], headers=headers)


class ReportController(Controller):
    """Reports to the IP Office and the People's Committee, computed from the incidents, decisions and referrals."""

    path = "/api/reports"
    tags = ["reports"]
    guards = [require_coordinator]

    @get("/yearly", opt=documented(produces=REPORT_TYPES))
    async def yearly_report(
        self,
        db_session: DbSession,
        year: Year,
        generation: GenerationParam = "2025",
        format: FormatParam = "json",
        lang: LangParam = "vi",
    ) -> Response[Any]:
        """Báo cáo năm / The yearly report: cases, goods, decisions, referrals, mediation and hot spots of a year."""
        period = service.year_period(year, local_day(now()))
        return await respond(db_session, period, generation, format, lang)

    @get("/period", opt=documented(produces=REPORT_TYPES))
    async def period_report(
        self,
        db_session: DbSession,
        start: Day,
        end: Day,
        generation: GenerationParam = "2025",
        format: FormatParam = "json",
        lang: LangParam = "vi",
    ) -> Response[Any]:
        """Báo cáo theo kỳ / The report of any period (local dates, both included, at most 10 years)."""
        period = service.checked_period(start, end)
        return await respond(db_session, period, generation, format, lang)

    @get(
        "/yearly/signed",
        opt={"skip_compression": True, **documented(produces=(DOCUMENT_TYPE,))},
        dependencies={"principal": Provide(provide_principal)},
        response_headers=[SIGNATURE_STATE, DOCUMENT_NUMBER],
    )
    async def signed_yearly_report(
        self,
        db_session: DbSession,
        settings: SettingsDep,
        principal: PrincipalDep,
        year: Year,
        generation: GenerationParam = "2025",
        signer_title: SignerTitle = "GIÁM ĐỐC",
        signer_name: SignerName = None,
    ) -> Response[bytes]:
        """Báo cáo năm ký số / The yearly report as the agency's signed administrative document (PDF/A-2b, PAdES).

        Numbered in the agency's register of outgoing documents ("Số: 05/BC-SKHCN"); the same year and
        generation keep their number. Without a usable certificate the PDF is unsigned and says so on the page
        and in the X-Document-Signature header.
        """
        signer = (signer_title, signer_name)
        issued = await service.signed_yearly(db_session, settings, principal, year, generation, signer)
        name = service.signed_file_name(year, generation)
        return Response(issued.pdf, media_type=DOCUMENT_TYPE, headers=document_headers(issued, name))
