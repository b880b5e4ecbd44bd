"""A streaming XLSX writer for the projected exports: one sheet, written batch by batch, column by column.

XlsxWriter spends about 13 µs a cell on its per-cell calls, so 100,000 incidents of 22 columns took half a
minute; here a batch's cells are turned into XML a column at a time and deflated straight into the zip, so the
time is the XML and the compression. The sheet is the one ``writers.XlsxSheet`` (XlsxWriter, constant_memory)
writes, cell for cell: bold wrapped header row, frozen, with a filter; text as inline strings (never formulas or
links); dates as real dates shown dd/mm/yyyy; amounts as numbers shown #,##0; empty cells left out. Strings are
escaped as XlsxWriter escapes them (``& < >``, control characters as ``_xHHHH_``, ``xml:space`` for edge spaces,
cut at Excel's 32,767 UTF-16 units). The one difference: a text starting with ``<r>`` and ending with ``</r>``,
which XlsxWriter passes through raw as rich text, is escaped like any other text.

Pure: columns in, a file out; no database.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO

from service.exports.columns import Cell, CellType

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAX_UTF16 = 32_767
COMPRESSION = 1  # zlib level: most of the time at level 6 (XlsxWriter's), for files about a third larger
# Style indices of styles.xml below: 1 the header, 2 dates, 3 amounts.
HEADER_STYLE, DATE_STYLE, MONEY_STYLE = 1, 2, 3
EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 1 is 1900-01-01 after Excel's phantom 1900-02-29
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")
# _SPECIAL over a whole column at once, its texts joined by newlines (which _SPECIAL lets through inside a text):
# escapes and control characters anywhere, and an edge space as a space after a newline, the column read forwards
# (a text's start) and backwards (its end). Each finds whatever _SPECIAL finds in one text, sometimes more (a
# newline inside a text next to a space): then the column is escaped text by text. Simple patterns, as an
# alternation tried at every character is slower than the cell-by-cell search.
_UNSAFE_CHARACTER = re.compile(r"[&<>\x00-\x08\x0b-\x1f]")
_ESCAPE_LIKE = re.compile(r"_x[0-9a-fA-F]{4}_")
_SPACE_AFTER_NEWLINE = re.compile(r"\n\s")


def column_letter(index: int) -> str:
    """A, B, …, Z, AA, … for 0, 1, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _truncated(text: str) -> str:
    if len(text) <= MAX_UTF16 // 2 or len(text.encode("utf-16-le")) // 2 <= MAX_UTF16:
        return text
    units = text.encode("utf-16-le")[: MAX_UTF16 * 2]
    return units.decode("utf-16-le", errors="ignore")


def _inline(ref: str, text: str, style: str = "") -> str:
    """An inline-string cell, escaped as XlsxWriter's constant_memory mode escapes it."""
    if _SPECIAL.search(text) or len(text) > MAX_UTF16 // 2:
        text = _truncated(text)
        preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
        text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{preserve}>{text}</t></is></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t>{text}</t></is></c>'


def _plain(texts: list[str]) -> bool:
    """Whether none of a column's (non-empty) texts needs escaping or cutting, checked over the column at once."""
    if not texts:
        return True
    joined = "\n" + "\n".join(texts) + "\n"
    return (
        _UNSAFE_CHARACTER.search(joined) is None
        and _ESCAPE_LIKE.search(joined) is None
        and _SPACE_AFTER_NEWLINE.search(joined) is None
        and _SPACE_AFTER_NEWLINE.search(joined[::-1]) is None
        and max(map(len, texts)) <= MAX_UTF16 // 2
    )


def _texts(letter: str, numbers: range, values: Sequence[Cell]) -> list[str]:
    """A column of text cells: escaped one by one only when the column has a text that needs it."""
    texts = [value if value is None or isinstance(value, str) else str(value) for value in values]
    if not _plain(list(filter(None, texts))):
        return ["" if text is None else _inline(f"{letter}{n}", text) for n, text in zip(numbers, texts, strict=True)]
    return [
        "" if text is None else f'<c r="{letter}{n}" t="inlineStr"><is><t>{text}</t></is></c>'
        for n, text in zip(numbers, texts, strict=True)
    ]


def _serial(day: date) -> float:
    if isinstance(day, datetime):  # a moment: the day and its fraction, as XlsxWriter writes it
        midnight = datetime.combine(day.date(), datetime.min.time(), day.tzinfo)
        return day.toordinal() - EXCEL_EPOCH + (day - midnight).total_seconds() / 86400
    serial = day.toordinal() - EXCEL_EPOCH
    return serial if serial > 60 else serial - 1  # before 1900-03-01 there is no phantom day to skip


def _dates(letter: str, numbers: range, values: Sequence[Cell]) -> list[str]:
    """A column of date cells, each day's serial number computed once."""
    serials = {value: f"{_serial(value):.16G}" for value in set(values) if isinstance(value, date)}
    cells = []
    for n, value in zip(numbers, values, strict=True):
        if value is None:
            cells.append("")
        elif isinstance(value, date):
            cells.append(f'<c r="{letter}{n}" s="{DATE_STYLE}"><v>{serials[value]}</v></c>')
        else:
            cells.append(_inline(f"{letter}{n}", str(value)))
    return cells


def _numbers(letter: str, numbers: range, values: Sequence[Cell], style: str) -> list[str]:
    return [
        ""
        if value is None
        else f'<c r="{letter}{n}"{style}><v>{value:.16G}</v></c>'
        if isinstance(value, int | float)
        else _inline(f"{letter}{n}", str(value))
        for n, value in zip(numbers, values, strict=True)
    ]


class StreamingSheet:
    """One worksheet deflated into ``path`` as rows come; ``close`` ends it and adds the workbook's other parts."""

    def __init__(self, path: Path, title: str, headers: Sequence[str], types: Sequence[CellType]) -> None:
        self.title = _sheet_name(title)
        self.types = list(types)
        self.letters = [column_letter(i) for i in range(len(self.types))]
        self.rows = 0
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)
        self.sheet: IO[bytes] = self.zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        widths = _widths(self.types)
        style = f' s="{HEADER_STYLE}"'
        header = "".join(_inline(f"{letter}1", text, style) for letter, text in zip(self.letters, headers, strict=True))
        self.sheet.write(
            (
                f'{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><sheetViews><sheetView tabSelected="1" '
                'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                f'<cols>{widths}</cols><sheetData><row r="1">{header}</row>'
            ).encode()
        )

    def write_columns(self, columns: Sequence[Sequence[Cell]]) -> None:
        """Append a batch given column by column (every column as long as the others)."""
        count = len(columns[0]) if columns else 0
        numbers = range(self.rows + 2, self.rows + 2 + count)
        cells = [self._column(kind, letter, numbers, values) for kind, letter, values in
                 zip(self.types, self.letters, columns, strict=True)]  # fmt: skip
        rows = [f'<row r="{n}">{"".join(row)}</row>' for n, row in zip(numbers, zip(*cells, strict=True), strict=True)]
        self.sheet.write("".join(rows).encode())
        self.rows += count

    @staticmethod
    def _column(kind: CellType, letter: str, numbers: range, values: Sequence[Cell]) -> list[str]:
        if kind == "date":
            return _dates(letter, numbers, values)
        if kind == "number":
            return _numbers(letter, numbers, values, "")
        if kind == "money":
            return _numbers(letter, numbers, values, f' s="{MONEY_STYLE}"')
        return _texts(letter, numbers, values)

    def close(self) -> None:
        """End the sheet (with its filter over every row) and write the workbook's other parts."""
        last = f"{self.letters[-1]}{self.rows + 1}"
        margins = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        self.sheet.write(f'</sheetData><autoFilter ref="A1:{last}"/>{margins}</worksheet>'.encode())
        self.sheet.close()
        quoted = "'" + self.title.replace("'", "''") + "'"
        absolute = f"$A$1:${self.letters[-1]}${self.rows + 1}"
        for name, text in _parts(_escape(self.title), _escape(quoted + "!" + absolute)).items():
            self.zip.writestr(name, text)
        self.zip.close()


def _widths(types: Sequence[CellType]) -> str:
    """The columns' widths (text 22, others 14), neighbours of one width in one element as XlsxWriter does."""
    spans: list[list[int]] = []  # [first, last, width]
    for index, kind in enumerate(types, start=1):
        width = 22 if kind == "text" else 14
        if spans and spans[-1][2] == width:
            spans[-1][1] = index
        else:
            spans.append([index, index, width])
    return "".join(
        f'<col min="{first}" max="{last}" width="{width + 0.7109375}" customWidth="1"/>' for first, last, width in spans
    )


def _sheet_name(title: str) -> str:
    """Excel's sheet name: at most 31 characters, none of []:*?/\\ (as XlsxWriter refuses them)."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _parts(title: str, filter_range: str) -> dict[str, str]:
    """The workbook's parts beside the sheet, as XlsxWriter writes them (without its default theme)."""
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
    plain = 'fontId="0" fillId="0" borderId="0" xfId="0"'
    return {
        "[Content_Types].xml": (
            f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{sheet_type}.styles+xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{sheet_type}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_type}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{XML_HEAD}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{XML_HEAD}<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView xWindow="240" '
            f'yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets><sheet name="{title}" '
            'sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" '
            f'localSheetId="0" hidden="1">{filter_range}</definedName></definedNames>'
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        ),
        "xl/styles.xml": (
            f'{XML_HEAD}<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" '
            'formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="#,##0"/></numFmts>'
            f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
            'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
            '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            f'borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" {plain}/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
            '<alignment vertical="top" wrapText="1"/></xf>'
            f'<xf numFmtId="164" {plain} applyNumberFormat="1"/><xf numFmtId="165" {plain} applyNumberFormat="1"/>'
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '<dxfs count="0"/></styleSheet>'
        ),
    }
