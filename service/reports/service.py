"""Yearly and period reports: check the request, load the period's rows, compute and render off the event loop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from anyio import to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.reports import ReportOut
from service import i18n
from service.auth.principal import Principal
from service.clock import local_day, now
from service.documents import model as documents_model
from service.documents import service as documents
from service.errors import Invalid
from service.map_views.query import check_period
from service.reports import document, layout, render_csv, render_pdf, render_xlsx, repository
from service.reports.compute import Report, build_report
from service.reports.layout import Context, Sheet
from service.reports.map_images import MapText, choropleth_png, hotspot_png
from service.reports.render_json import table_out
from service.reports.tables import Period
from service.settings import Settings

MIN_YEAR = 2000
Format = Literal["json", "xlsx", "csv", "pdf"]
Generation = Literal["2025", "2024"]
EXTENSIONS = {"xlsx": "xlsx", "csv": "zip", "pdf": "pdf"}
MEDIA_TYPES = {"xlsx": render_xlsx.MEDIA_TYPE, "csv": render_csv.MEDIA_TYPE, "pdf": render_pdf.MEDIA_TYPE}


class BadYear(Invalid):
    code = "report.bad_year"


def year_period(year: int, today: date) -> Period:
    """1 January to 31 December of a year from 2000 to this one (400 naming ``year`` otherwise)."""
    if not MIN_YEAR <= year <= today.year:
        raise BadYear(field="year", first=MIN_YEAR, last=today.year)
    return Period(date(year, 1, 1), date(year, 12, 31))


def checked_period(start: date, end: date) -> Period:
    """A period that does not end before it starts nor spans more than ten years (as the maps check it)."""
    check_period(start, end)
    return Period(start, end)


@dataclass(frozen=True)
class LaidOut:
    """A computed report, laid out in one language: the information sheet and the tables."""

    report: Report
    ctx: Context
    info: Sheet
    tables: list[Sheet]
    title: str

    @property
    def sheets(self) -> list[Sheet]:
        """Every sheet, the information one first."""
        return [self.info, *self.tables]


def title(period: Period, lang: i18n.Language) -> str:
    """The title: "Báo cáo năm 2025" for a calendar year, else the period's report with its dates."""
    whole_year = (period.start.month, period.start.day, period.end.month, period.end.day) == (1, 1, 12, 31)
    if whole_year and period.start.year == period.end.year:
        return i18n.message("report.title.yearly", lang, year=period.start.year)
    start, end = f"{period.start:%d/%m/%Y}", f"{period.end:%d/%m/%Y}"
    return i18n.message("report.title.period", lang, start=start, end=end)


async def laid_out(session: AsyncSession, period: Period, generation: str, lang: i18n.Language) -> LaidOut:
    """The period's report in one generation of units, computed in a worker thread and laid out in ``lang``."""
    data = await repository.load(session, period)
    report = await to_thread.run_sync(build_report, data, period, generation)
    ctx = Context(lang=lang, agencies=await repository.agency_names(session), generated_at=now())
    tables = layout.sheets(report, ctx)
    return LaidOut(report, ctx, tables[0], tables[1:], title(period, lang))


def json_out(laid: LaidOut) -> ReportOut:
    """The report as JSON."""
    report = laid.report
    return ReportOut(
        province=layout.PROVINCE[0],
        start=report.period.start,
        end=report.period.end,
        generation=report.generation,  # type: ignore[arg-type]
        lang=laid.ctx.lang,
        generated_at=laid.ctx.generated_at,
        tables=[table_out(sheet) for sheet in laid.sheets],
    )


def map_images(laid: LaidOut) -> list[tuple[str, bytes]]:
    """The choropleth of cases per unit and the hot-spot map, each with its heading."""
    t, report = laid.ctx.t, laid.report
    period = layout.period_text(report)
    params = report.hotspots.params
    test = t("ui.maps.cap.test", permutations=params["permutations"], seed=params["seed"], alpha=params["alpha"])
    cases = MapText(
        laid.ctx.lang,
        t("report.map.choropleth"),
        f"{period} · {t(f'ui.maps.gen.{report.generation}')}",
        t("ui.maps.metric.count"),
    )
    spots = MapText(laid.ctx.lang, t("report.map.hotspots"), f"{period} · {test}", t("ui.maps.legend.hotspots"))
    return [
        (cases.title, choropleth_png(report.tables["by_unit"].rows, report.generation, cases)),
        (spots.title, hotspot_png(report.hotspots, spots)),
    ]


def _file(laid: LaidOut, format: str) -> bytes:
    if format == "xlsx":
        return render_xlsx.xlsx_bytes(laid.sheets, laid.title)
    if format == "csv":
        return render_csv.zip_bytes(laid.sheets)
    text = render_pdf.PdfText(laid.ctx.lang, laid.title, laid.ctx.t("report.pdf.page"))
    return render_pdf.pdf_bytes(laid.info, laid.tables, map_images(laid), text)


async def render_file(laid: LaidOut, format: str) -> bytes:
    """The XLSX, the ZIP of CSVs or the PDF, written in a worker thread."""
    return await to_thread.run_sync(_file, laid, format)


def file_name(period: Period, generation: str, format: str) -> str:
    """bao-cao_2025-01-01_2025-12-31_dvhc-2025.xlsx (the CSV tables come as one .zip)."""
    return f"bao-cao_{period.start.isoformat()}_{period.end.isoformat()}_dvhc-{generation}.{EXTENSIONS[format]}"


async def signed_yearly(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    year: int,
    generation: str,
    signer: tuple[str, str | None],
) -> documents.Issued:
    """The yearly report as the caller's agency's administrative document, signed with its certificate.

    ``signer`` is the authority line and the signer's name (None: the caller's own full name).
    """
    period = year_period(year, local_day(now()))
    laid = await laid_out(session, period, generation, "vi")
    issuer = await documents.issuer(session, principal.agency_id)
    name = signer[1] or await documents.user_name(session, principal.user_id)
    draft = document.yearly_draft(laid, year, issuer.code, issuer.name, documents_model.Signer([signer[0]], name))
    return await documents.issue(
        session, settings, agency_id=principal.agency_id, user_id=principal.user_id, draft=draft
    )


def signed_file_name(year: int, generation: str) -> str:
    """bao-cao-nam_2025_dvhc-2025_ky-so.pdf"""
    return f"bao-cao-nam_{year}_dvhc-{generation}_ky-so.pdf"
