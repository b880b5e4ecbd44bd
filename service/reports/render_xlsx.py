"""The report as an XLSX workbook: one sheet per table, a bold header row, values only (no formulas).

Pure: laid-out sheets in, bytes out. Numbers are written as numbers with a display format (sums and filters
work in Excel), text always as text: XlsxWriter never guesses a formula, number or link from a string.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from service.reports.layout import Cell, Column, Sheet

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
TEXT_WIDTH_MAX = 60


def sheet_name(title: str, taken: set[str]) -> str:
    """An Excel sheet name from a title: at most 31 characters, none of []:*?/\\, unique (case-insensitive)."""
    base = _FORBIDDEN.sub("-", title).strip("' ")[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def _number_format(column: Column) -> str:
    if column.type == "number" and column.decimals is None:
        return "General"
    places = column.decimals or 0
    return "#,##0" + ("." + "0" * places if places else "")


class _Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, workbook: Workbook) -> None:
        """Add the header, total, note and number formats to the workbook."""
        self.workbook = workbook
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
        self.total_text = workbook.add_format({"bold": True, "top": 1})
        self.note = workbook.add_format({"italic": True, "font_color": "#444444"})
        self._numbers: dict[tuple[str, bool], Any] = {}

    def number(self, column: Column, bold: bool) -> Any:
        """The format of a numeric cell of this column (bold, with a top rule, in the total row)."""
        key = (_number_format(column), bold)
        if key not in self._numbers:
            options: dict[str, Any] = {"num_format": key[0]}
            options |= {"bold": True, "top": 1} if bold else {}
            self._numbers[key] = self.workbook.add_format(options)
        return self._numbers[key]


def _write_row(
    ws: Worksheet, row: int, columns: Sequence[Column], cells: Sequence[Cell], f: _Formats, total: bool
) -> None:
    for col, (column, value) in enumerate(zip(columns, cells, strict=True)):
        if value is None:
            if total:
                ws.write_blank(row, col, None, f.total_text)
        elif column.type != "text" and isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(row, col, value, f.number(column, total))
        else:
            ws.write_string(row, col, str(value), f.total_text if total else None)


def _widths(sheet: Sheet) -> list[int]:
    """Column widths from the longest header word and cell text, within bounds."""
    widths = []
    for index, column in enumerate(sheet.columns):
        texts = [str(row[index]) for row in sheet.rows if row[index] is not None]
        longest = max([len(word) for word in column.header.split()] + [len(text) for text in texts] + [8])
        widths.append(min(TEXT_WIDTH_MAX, longest + 2))
    return widths


def _write_sheet(workbook: Workbook, sheet: Sheet, formats: _Formats, taken: set[str]) -> None:
    ws = workbook.add_worksheet(sheet_name(sheet.title, taken))
    for index, width in enumerate(_widths(sheet)):
        ws.set_column(index, index, width)
    for col, column in enumerate(sheet.columns):
        ws.write_string(0, col, column.header, formats.header)
    ws.freeze_panes(1, 0)
    for number, row in enumerate(sheet.rows, start=1):
        _write_row(ws, number, sheet.columns, row, formats, total=False)
    last = len(sheet.rows)
    if sheet.total is not None:
        last += 1
        _write_row(ws, last, sheet.columns, sheet.total, formats, total=True)
    for offset, note in enumerate(sheet.notes, start=2):
        ws.write_string(last + offset, 0, note, formats.note)


def xlsx_bytes(sheets: Sequence[Sheet], title: str) -> bytes:
    """The workbook: one sheet per laid-out table, in order, named after its title."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"title": title})
    formats, taken = _Formats(workbook), set[str]()
    for sheet in sheets:
        _write_sheet(workbook, sheet, formats, taken)
    workbook.close()
    return buffer.getvalue()
