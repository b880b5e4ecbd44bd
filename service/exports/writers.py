"""Spreadsheet writers that take rows batch by batch: CSV as bytes per batch, XLSX in constant memory.

Pure: rows in, bytes or a file out; no database, no Litestar.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

from service.exports.columns import Cell, CellType

# Excel opens a CSV without a byte-order mark in the machine's ANSI code page (Windows-1258 on Vietnamese
# Windows), which garbles every letter with a diacritic ("Mường Tè" -> "MÆ°á»ng TÃ¨"). The UTF-8 BOM is the
# one signal Excel honours to read the file as UTF-8; other tools (pandas, LibreOffice) skip it.
BOM = "\ufeff"
# A text cell starting with one of these is run as a formula by spreadsheet programs (CSV injection):
# such cells get a leading apostrophe, which Excel and LibreOffice show as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DAY_FORMAT = "%d/%m/%Y"
# A formula start after any \x1f of a column's texts joined by it (a match may also be a \x1f inside a text).
_FORMULA_AFTER_SEPARATOR = re.compile(r"\x1f[=+\-@\t\r]")


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(DAY_FORMAT)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def _csv_dates(values: Sequence[Cell]) -> list[Cell]:
    known = {value: _csv_value(value) for value in set(values)}
    return [known[value] for value in values]


def _csv_texts(values: Sequence[Cell]) -> Sequence[Cell]:
    """A text column guarded against formulas; one search over the whole column first, as few start with one."""
    try:
        joined = "\x1f" + "\x1f".join(filter(None, values))  # type: ignore[arg-type]
    except TypeError:  # a value that is not text: looked at one by one
        joined = "\x1f="
    if _FORMULA_AFTER_SEPARATOR.search(joined) is None:
        return values
    return [("'" + value) if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value for value in values]


def csv_columns(types: Sequence[CellType], columns: Sequence[Sequence[Cell]]) -> bytes:
    """A batch given column by column as UTF-8 CSV lines, exactly as ``csv_lines`` writes its rows.

    Each column is prepared at once by its type (dates as dd/mm/yyyy once per distinct day, text guarded
    against formulas); numbers and empty cells are left to the csv module, which writes them as str() does.
    """
    prepared = [
        _csv_dates(values) if kind == "date" else _csv_texts(values) if kind == "text" else values
        for kind, values in zip(types, columns, strict=True)
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(zip(*prepared, strict=True))
    return buffer.getvalue().encode("utf-8")


def csv_lines(rows: Iterable[Sequence[Cell]], *, first: bool = False) -> bytes:
    """Rows as UTF-8 CSV lines (RFC 4180, CRLF); ``first`` starts the file with the BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_csv_value(value) for value in row] for row in rows)
    text = buffer.getvalue()
    return ((BOM if first else "") + text).encode("utf-8")


class XlsxSheet:
    """One worksheet written row by row with XlsxWriter's constant_memory mode: only the current row is held.

    Dates are real date cells shown dd/mm/yyyy and amounts real numbers, so sums and filters work in Excel.
    """

    def __init__(self, path: Path, title: str, headers: Sequence[str], types: Sequence[CellType]) -> None:
        options = {
            "constant_memory": True,
            "tmpdir": str(path.parent),
            # Cells are written by type below; never guess formulas, numbers or links from text.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        }
        self.workbook = xlsxwriter.Workbook(str(path), options)
        self.sheet = self.workbook.add_worksheet(title[:31])
        self.types = list(types)
        self.rows = 0
        self._formats = {
            "date": self.workbook.add_format({"num_format": "dd/mm/yyyy"}),
            "money": self.workbook.add_format({"num_format": "#,##0"}),
            "number": None,
            "text": None,
        }
        bold = self.workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        for index, (header, kind) in enumerate(zip(headers, self.types, strict=True)):
            self.sheet.set_column(index, index, 14 if kind != "text" else 22)
            self.sheet.write_string(0, index, header, bold)
        self.sheet.freeze_panes(1, 0)
        self.width = len(self.types)

    def write_rows(self, rows: Iterable[Sequence[Cell]]) -> None:
        """Append rows below the ones already written."""
        for row in rows:
            self.rows += 1
            for index, value in enumerate(row):
                self._write(self.rows, index, value)

    def _write(self, row: int, col: int, value: Cell) -> None:
        if value is None:
            return
        kind = self.types[col]
        fmt: Any = self._formats[kind]
        if kind == "date" and isinstance(value, date):
            self.sheet.write_datetime(row, col, value, fmt)
        elif kind in ("number", "money") and isinstance(value, int | float):
            self.sheet.write_number(row, col, value, fmt)
        else:
            self.sheet.write_string(row, col, str(value))

    def close(self) -> None:
        """Add the header filter and write the workbook's zip file."""
        self.sheet.autofilter(0, 0, self.rows, self.width - 1)
        self.workbook.close()
