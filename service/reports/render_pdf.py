"""The report as a PDF: a title page, every table, then the two maps (cases per unit, hot spots).

Pure: laid-out sheets and PNG maps in, bytes out (reportlab's platypus). reportlab's built-in Helvetica has
no Vietnamese letters, so the text is set in DejaVu Sans, the TrueType font matplotlib ships in mpl-data (a
dependency already, so the font is there wherever the service runs); reportlab embeds the glyphs it uses.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from service.i18n import Language
from service.reports.layout import Column, Sheet, display

MEDIA_TYPE = "application/pdf"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE = landscape(A4)
MARGIN = 14 * mm
WIDTH = PAGE[0] - 2 * MARGIN
FONT_SIZE = 7.5
PADDING = 12.0  # the cell's left and right padding, and a little air
MAX_COLUMN = 300.0
NUMBER_MIN = 36.0  # so that short headers of number columns keep to two or three lines
GRID = colors.HexColor("#9a9a9a")
HEAD = colors.HexColor("#e8eef4")


@functools.cache
def fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) with reportlab once; return their names."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT, FONT_BOLD


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=20, leading=26, spaceAfter=16),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=6),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=FONT_SIZE, leading=9),
        "head": ParagraphStyle("head", fontName=bold, fontSize=FONT_SIZE, leading=9),
        "note": ParagraphStyle("note", fontName=regular, fontSize=7, leading=9, textColor=colors.HexColor("#444444")),
        "cover": ParagraphStyle("cover", fontName=regular, fontSize=11, leading=15),
    }


@dataclass(frozen=True)
class PdfText:
    """The words the PDF needs besides the sheets, in the report's language."""

    lang: Language
    title: str
    page: str  # with {page}


def _natural(texts: Sequence[str], bold: Sequence[str], least: float) -> float:
    """The width the widest text needs on one line (header words and totals in bold), within bounds."""
    widths = [float(pdfmetrics.stringWidth(text, FONT, FONT_SIZE)) for text in texts]
    widths += [float(pdfmetrics.stringWidth(text, FONT_BOLD, FONT_SIZE)) for text in bold]
    return min(max([*widths, least]), MAX_COLUMN) + PADDING


def _widths(sheet: Sheet, lang: Language) -> list[float]:
    """Column widths: numbers and codes get what their widest cell needs, long text shares the rest."""
    fonts()
    natural = []
    for i, column in enumerate(sheet.columns):
        bold = [*column.header.split(), *([display(sheet.total[i], column, lang)] if sheet.total else [])]
        least = 20.0 if column.type == "text" else NUMBER_MIN
        natural.append(_natural([display(row[i], column, lang) for row in sheet.rows], bold, least))
    spare = WIDTH - sum(w for w, c in zip(natural, sheet.columns, strict=True) if c.type != "text")
    text_total = sum(w for w, c in zip(natural, sheet.columns, strict=True) if c.type == "text") or 1.0
    scale = min(1.0, max(spare, 0.0) / text_total)
    return [w * scale if c.type == "text" else w for w, c in zip(natural, sheet.columns, strict=True)]


def _cells(row: Sequence[Any], columns: Sequence[Column], lang: Language, style: ParagraphStyle) -> list[Any]:
    return [
        Paragraph(escape(display(value, column, lang)), style)
        if column.type == "text"
        else display(value, column, lang)
        for value, column in zip(row, columns, strict=True)
    ]


def _table(sheet: Sheet, lang: Language) -> Table:
    styles = _styles()
    header = [Paragraph(escape(column.header), styles["head"]) for column in sheet.columns]
    body = [_cells(row, sheet.columns, lang, styles["cell"]) for row in sheet.rows]
    total = [_cells(sheet.total, sheet.columns, lang, styles["head"])] if sheet.total is not None else []
    table = Table([header, *body, *total], colWidths=_widths(sheet, lang), repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, FONT_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, c in enumerate(sheet.columns) if c.type != "text"]
    if total:
        commands += [
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, FONT_SIZE),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _section(sheet: Sheet, lang: Language) -> list[Any]:
    styles = _styles()
    flow: list[Any] = [Paragraph(escape(sheet.title), styles["h2"])]
    flow.append(_table(sheet, lang) if sheet.rows or sheet.total else Paragraph("–", styles["cell"]))
    flow += [Paragraph(escape(note), styles["note"]) for note in sheet.notes]
    # A table that fits on a page starts on a page with room for it and its notes; a longer one just flows.
    return [KeepTogether(flow), Spacer(1, 6 * mm)]


def _cover(info: Sheet, text: PdfText) -> list[Any]:
    styles = _styles()
    rows = [
        [Paragraph(escape(str(a)), styles["cover"]), Paragraph(escape(str(b)), styles["cover"])] for a, b in info.rows
    ]
    table = Table(rows, colWidths=[70 * mm, WIDTH - 70 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [Spacer(1, 30 * mm), Paragraph(escape(text.title), styles["title"]), table, PageBreak()]


def _map_pages(maps: Sequence[tuple[str, bytes]]) -> list[Any]:
    flow: list[Any] = []
    height = PAGE[1] - 2 * MARGIN - 16 * mm
    for heading, png in maps:
        image = Image(io.BytesIO(png))
        scale = min(WIDTH / image.imageWidth, height / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        flow += [PageBreak(), Paragraph(escape(heading), _styles()["h2"]), image]
    return flow


def pdf_bytes(info: Sheet, sheets: Sequence[Sheet], maps: Sequence[tuple[str, bytes]], text: PdfText) -> bytes:
    """The PDF: title page from ``info``, each sheet with its notes, then each map image on a page of its own."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=text.title, author="ipcoord", lang=text.lang,
    )  # fmt: skip

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont(FONT, 7)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, text.page.format(page=doc.page))

    flow = _cover(info, text)
    for sheet in sheets:
        flow += _section(sheet, text.lang)
    flow += _map_pages(maps)
    document.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
