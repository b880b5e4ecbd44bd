"""Lay an administrative document out on A4 pages with reportlab (Decree 30/2020/NĐ-CP, Annex I).

Pure: a Document in, PDF bytes out. Decree 30 asks for Times New Roman; the service sets the text in DejaVu
Serif, the free serif face matplotlib ships in mpl-data (a dependency already, so the font is there wherever the
service runs, with every Vietnamese letter). reportlab embeds a subset of each face it uses, and every word on
the page, the page numbers included, is set in these faces, so no font is left unembedded (PDF/A, see pdfa.py).
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from service.documents import model

FACES = {
    "DocSerif": "DejaVuSerif.ttf",
    "DocSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DocSerif-Italic": "DejaVuSerif-Italic.ttf",
    "DocSerif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
}
REGULAR, BOLD, ITALIC, BOLD_ITALIC = FACES
# Decree 30, Annex I: top and bottom margins 20-25 mm, left 30-35 mm, right 15-20 mm.
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm
WIDTH = A4[0] - LEFT - RIGHT
LEFT_SHARE = 0.4  # of the heading's width: the agency's column; the national name's takes the rest
RED = colors.HexColor("#b00020")
GRID = colors.HexColor("#808080")


@functools.cache
def fonts() -> tuple[str, ...]:
    """Register the four DejaVu Serif faces with reportlab once, as one family; return their names."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return tuple(FACES)


def _style(name: str, font: str = REGULAR, size: float = 13, align: int = TA_CENTER, **extra: Any) -> ParagraphStyle:
    extra.setdefault("leading", size * 1.25)
    return ParagraphStyle(name, fontName=font, fontSize=size, alignment=align, **extra)


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Sizes after Annex I (12-13 pt for the agency and the national name, 13-14 pt for the rest); DejaVu Serif is
    wider than Times New Roman, so the national name is set at 11 pt to stay on one line."""
    fonts()
    return {
        "superior": _style("superior", size=12),
        "agency": _style("agency", BOLD, 12),
        "nation": _style("nation", BOLD, 11),
        "motto": _style("motto", BOLD, 13),
        "number": _style("number", size=13),
        "about": _style("about", size=12),
        "date": _style("date", ITALIC, 13),
        "kind": _style("kind", BOLD, 14, spaceBefore=6 * mm),
        "summary": _style("summary", BOLD, 14),
        "to": _style("to", size=14, align=TA_LEFT, leftIndent=20 * mm, spaceAfter=6),
        "body": _style("body", size=13, align=TA_JUSTIFY, firstLineIndent=10 * mm, spaceBefore=3, spaceAfter=3),
        "heading": _style("heading", BOLD, 13, TA_LEFT, spaceBefore=6, spaceAfter=3),
        "cell": _style("cell", size=8.5, align=TA_LEFT),
        "cell_right": _style("cell_right", size=8.5, align=2),
        "head": _style("head", BOLD, 8.5),
        "note": _style("note", ITALIC, 9, TA_LEFT),
        "recipients_title": _style("recipients_title", BOLD_ITALIC, 12, TA_LEFT),
        "recipient": _style("recipient", size=11, align=TA_LEFT, leading=13),
        "authority": _style("authority", BOLD, 13),
        "signer": _style("signer", BOLD, 13),
        "seal": _style("seal", ITALIC, 9, TA_CENTER, textColor=RED),
        "page": _style("page", size=12),
    }


def _printable(text: str) -> str:
    """The text without control and unassigned characters, which no font draws (a .notdef glyph breaks PDF/A)."""
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(_printable(text)).replace("\n", "<br/>"), styles()[style])


def _rule(width: float) -> list[Any]:
    """A short solid line, centred under the text above it (Annex I: under the agency, the motto, the summary).

    The space above is a Spacer: flowables in a table cell are stacked without their spaceBefore.
    """
    return [Spacer(1, 3), HRFlowable(width=width, thickness=0.6, color=colors.black, hAlign="CENTER", spaceAfter=5)]


def _width(text: str, style: str) -> float:
    return float(pdfmetrics.stringWidth(text, styles()[style].fontName, styles()[style].fontSize))


def _balanced(text: str, style: str, room: float) -> str:
    """Text too long for one line, broken at the space that makes its two lines most even ("SỞ KHOA HỌC" /
    "VÀ CÔNG NGHỆ" rather than "SỞ KHOA HỌC VÀ CÔNG" / "NGHỆ"); longer text still wraps after that."""
    words = text.split()
    if _width(text, style) <= room or len(words) < 2:
        return text
    cut = min(
        range(1, len(words)), key=lambda i: max(_width(" ".join(words[:i]), style), _width(" ".join(words[i:]), style))
    )
    return f"{' '.join(words[:cut])}\n{' '.join(words[cut:])}"


# reportlab's tables set Helvetica (a font never embedded) unless told otherwise, even around paragraphs.
_FRAME = [("FONT", (0, 0), (-1, -1), REGULAR, 12), ("VALIGN", (0, 0), (-1, -1), "TOP")]


def _header(doc: model.Document) -> Table:
    """Agency and number left, the national name, motto and place and date right (Annex I, areas 1-5)."""
    room = WIDTH * LEFT_SHARE - 8
    left: list[Any] = [_p(_balanced(doc.superior, "superior", room), "superior")] if doc.superior else []
    agency = _balanced(doc.agency, "agency", room)
    longest = max(_width(line, "agency") for line in agency.split("\n"))
    left += [_p(agency, "agency"), *_rule(min(longest, room) / 2), Spacer(1, 3), _p(doc.number_line, "number")]
    if doc.kind is None:
        left.append(_p(f"V/v {doc.summary}", "about"))
    motto = _rule(_width(model.MOTTO, "motto"))
    right = [_p(model.NATIONAL_NAME, "nation"), _p(model.MOTTO, "motto"), *motto, _p(doc.place_and_date, "date")]
    table = Table([[left, right]], colWidths=[WIDTH * LEFT_SHARE, WIDTH * (1 - LEFT_SHARE)])
    padding = [("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    table.setStyle(TableStyle([*_FRAME, *padding, ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return table


def _title(doc: model.Document) -> list[Any]:
    """The kind ("BÁO CÁO") and its summary, centred, with a short line under (Annex I, areas 5a-5b)."""
    if doc.kind is None:
        return [Spacer(1, 6 * mm)]
    rule = _rule(min(_width(doc.summary, "summary"), WIDTH) / 3)
    return [_p(doc.kind, "kind"), _p(doc.summary, "summary"), *rule, Spacer(1, 3 * mm)]


def _widths(block: model.TableBlock) -> list[float]:
    """Each column the width its widest cell needs on one line, when they all fit. Else each gets at least its
    longest word (scaled down if even those do not fit) and the rest goes to the columns that want more."""
    count = len(block.header)
    cells = [list(block.header), *map(list, block.rows), *([list(block.total)] if block.total else [])]

    def measure(text: str) -> float:
        return float(pdfmetrics.stringWidth(text, BOLD, 8.5)) + 14

    need = [max(measure(str(row[i])) for row in cells) for i in range(count)]
    if sum(need) <= WIDTH:
        return need
    numeric = [*block.numeric, *([False] * count)][:count]

    def least(i: int) -> float:
        """A header wraps between its words; a number ("88,9 %") is one word; text wraps, never inside a word."""
        header = max(measure(word) for word in str(block.header[i]).split() or [""])
        body = [str(row[i]) for row in cells[1:]]
        pieces = body if numeric[i] else [word for text in body for word in text.split()]
        return max([header, *(measure(piece) for piece in pieces)])

    words = [least(i) for i in range(count)]
    floor = [min(w, n) for w, n in zip(words, need, strict=True)]
    if sum(floor) >= WIDTH:
        return [f * WIDTH / sum(floor) for f in floor]
    spare, wanting = WIDTH - sum(floor), [n - f for n, f in zip(need, floor, strict=True)]
    return [f + spare * want / sum(wanting) for f, want in zip(floor, wanting, strict=True)]


def _table(block: model.TableBlock) -> list[Any]:
    count = len(block.header)
    numeric = [*block.numeric, *([False] * count)][:count]

    def row(values: Sequence[str], bold: bool = False) -> list[Any]:
        style = "head" if bold else "cell"
        return [_p(str(v), "cell_right" if n and not bold else style) for v, n in zip(values, numeric, strict=True)]

    data = [row(block.header, bold=True), *(row(r) for r in block.rows)]
    if block.total is not None:
        data.append(row(block.total, bold=True))
    table = Table(data, colWidths=_widths(block), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*_FRAME, ("GRID", (0, 0), (-1, -1), 0.3, GRID)]))
    flow: list[Any] = [_p(block.title, "heading"), table]
    flow += [_p(note, "note") for note in block.notes]
    return [KeepTogether(flow), Spacer(1, 3 * mm)]


def _body(blocks: Sequence[model.Block]) -> list[Any]:
    flow: list[Any] = []
    for block in blocks:
        if isinstance(block, model.TableBlock):
            flow += _table(block)
        else:
            flow.append(_p(block.text, "heading" if isinstance(block, model.Heading) else "body"))
    return flow


def _closing(doc: model.Document) -> Table:
    """ "Nơi nhận:" left, the signer's authority, the signature's place and name right (Annex I, areas 7-9)."""
    left = [_p("Nơi nhận:", "recipients_title"), *(_p(f"- {r}", "recipient") for r in doc.recipients)]
    right: list[Any] = [_p(line, "authority") for line in doc.signer.authority]
    right += [Spacer(1, 6 * mm), _p(doc.seal_note, "seal"), Spacer(1, 6 * mm), _p(doc.signer.name, "signer")]
    table = Table([[left, right]], colWidths=[WIDTH * 0.5, WIDTH * 0.5])
    table.setStyle(TableStyle([*_FRAME, ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def pdf_bytes(doc: model.Document, title: str, author: str) -> bytes:
    """The laid-out document; from the second page on, the page number is centred in the top margin."""
    fonts()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM,
        title=title, author=author, subject=doc.summary, creator="ipcoord", lang="vi",
        initialFontName=REGULAR, initialFontSize=12,
    )  # fmt: skip

    def later(canvas: Any, page: Any) -> None:
        canvas.setFont(REGULAR, 12)
        canvas.drawCentredString(LEFT + WIDTH / 2, A4[1] - TOP / 2, str(page.page))

    addressed = [_p(f"Kính gửi: {doc.addressees[0]}", "to")] if doc.addressees else []
    addressed += [_p(f"- {a}", "to") for a in doc.addressees[1:]]
    seal_top = [_p(doc.seal_note, "seal")] if doc.seal_note else []
    flow = [*seal_top, _header(doc), *_title(doc), *addressed, *_body(doc.body), Spacer(1, 6 * mm), _closing(doc)]
    template.build(flow, onFirstPage=lambda c, d: None, onLaterPages=later)
    return buffer.getvalue()
