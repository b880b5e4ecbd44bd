"""An uploaded CSV or XLSX read into a header and rows, judged by its content; every refusal names `file`.

No I/O and no database: bytes in, a `Sheet` out (CPU-bound: the service runs it off the event loop).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import openpyxl

from service.contract.boundary import check_text
from service.errors import AppError
from service.text import fold

UPLOAD_FIELD = "file"
MAX_ROWS = 10_000  # data rows of one file; docs/imports.md
MAX_COLUMNS = 60
MAX_UNZIPPED_BYTES = 256 * 1024**2  # a workbook inflating beyond this is refused (zip bomb)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, or a password-protected workbook
UTF8_BOM = b"\xef\xbb\xbf"
SPREADSHEET_MAIN = b"spreadsheetml.sheet.main+xml"
WORKSHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
_MERGE_TAG = re.compile(rb"<(?:[\w.-]+:)?mergeCell\s[^>]*?ref=\"([^\"]+)\"")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHUNK = 1024 * 1024

Cell = str | int | float | None


class EmptyFile(AppError):
    code = "import.empty"


class NoRows(AppError):
    code = "import.no_rows"


class ImportTooLarge(AppError):
    status = 413
    code = "import.too_large"


class UnsupportedFile(AppError):
    status = 415
    code = "import.unsupported_type"


class FormulaCell(AppError):
    status = 422
    code = "import.formula"


class MergedCells(AppError):
    status = 422
    code = "import.merged_cells"


class SecondSheet(AppError):
    status = 422
    code = "import.second_sheet"


class TooManyRows(AppError):
    status = 422
    code = "import.too_many_rows"


class TooManyColumns(AppError):
    status = 422
    code = "import.too_many_columns"


class HeaderEmpty(AppError):
    status = 422
    code = "import.header_empty"


class HeaderDuplicate(AppError):
    status = 422
    code = "import.header_duplicate"


@dataclass(frozen=True)
class Sheet:
    """What a file holds: its header and its non-empty rows, each `[row number, cell, …]` as the file numbers it."""

    file_format: str  # csv | xlsx
    encoding: str  # utf-8 | utf-8-sig | cp1258; "" for xlsx
    delimiter: str  # csv only
    headers: list[str]
    rows: list[list[Cell]]


def too_large(max_bytes: int) -> ImportTooLarge:
    """The 413 for `file`, naming the limit in MB."""
    return ImportTooLarge(field=UPLOAD_FIELD, limit_mb=f"{max_bytes / 1024**2:.3g}")


def letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based index: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def read_sheet(content: bytes, max_bytes: int, max_rows: int = MAX_ROWS) -> Sheet:
    """The header and rows of a CSV or XLSX upload, or a 4xx naming `file` and what is wrong with it."""
    if not content.strip():
        raise EmptyFile(field=UPLOAD_FIELD)
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    if content.startswith(ZIP_MAGIC):
        return read_xlsx(content, max_rows)
    if content.startswith(OLE_MAGIC):
        raise UnsupportedFile(field=UPLOAD_FIELD)
    return read_csv(content, max_rows)


@dataclass
class _Collector:
    """Takes raw rows in file order: the first non-empty one is the header, the others data."""

    max_rows: int
    headers: list[str] | None = None
    rows: list[list[Cell]] = field(default_factory=list)
    count: int = 0

    def add(self, number: int, raw: Sequence[Any]) -> None:
        cells = [_clean(value) for value in raw]
        for index, cell in enumerate(cells):
            if isinstance(cell, str):  # the input boundary's rule, the cell named as a spreadsheet names it
                check_text(cell, f"{UPLOAD_FIELD}[{letter(index)}{number}]", free_text=False)
        if all(cell is None for cell in cells):
            return
        if self.headers is None:
            self.headers = _headers(cells)
            return
        width = len(self.headers)
        beyond = next((i for i in range(width, len(cells)) if cells[i] is not None), None)
        if beyond is not None:
            raise HeaderEmpty(field=UPLOAD_FIELD, column=letter(beyond))
        self.count += 1
        if self.count <= self.max_rows:
            self.rows.append([number, *cells[:width], *[None] * (width - len(cells))])

    def sheet(self, file_format: str, encoding: str = "", delimiter: str = "") -> Sheet:
        if self.headers is None:
            raise EmptyFile(field=UPLOAD_FIELD)
        if self.count > self.max_rows:
            raise TooManyRows(field=UPLOAD_FIELD, count=self.count, limit=self.max_rows)
        if not self.rows:
            raise NoRows(field=UPLOAD_FIELD)
        return Sheet(file_format, encoding, delimiter, self.headers, self.rows)


def _clean(value: Any) -> Cell:
    """A cell as JSON can keep it: trimmed NFC text, whole numbers as int, dates as ISO text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text or None


def _headers(cells: list[Cell]) -> list[str]:
    """Column names: none empty before the last, none repeated (compared without diacritics or case)."""
    while cells and cells[-1] is None:
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise TooManyColumns(field=UPLOAD_FIELD, count=len(cells), limit=MAX_COLUMNS)
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if cell is None:
            raise HeaderEmpty(field=UPLOAD_FIELD, column=letter(index))
        name = str(cell)
        key = fold(name)
        if key in seen:
            columns = f"{letter(seen[key])}, {letter(index)}"
            raise HeaderDuplicate(field=UPLOAD_FIELD, header=name, columns=columns)
        seen[key] = index
        headers.append(name)
    return headers


def decode_text(content: bytes) -> tuple[str, str]:
    """(NFC text, encoding): UTF-8 with or without BOM, else Windows-1258; anything else is not a CSV."""
    if b"\x00" in content:  # UTF-16 or binary
        raise UnsupportedFile(field=UPLOAD_FIELD)
    encoding = "utf-8-sig" if content.startswith(UTF8_BOM) else "utf-8"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8-sig":
            raise UnsupportedFile(field=UPLOAD_FIELD) from None
        try:
            text, encoding = content.decode("cp1258"), "cp1258"
        except UnicodeDecodeError:
            raise UnsupportedFile(field=UPLOAD_FIELD) from None
    if _CONTROL.search(text):
        raise UnsupportedFile(field=UPLOAD_FIELD)
    # Windows-1258 writes most tone marks as combining characters: compose them as everywhere else.
    return unicodedata.normalize("NFC", text), encoding


def _delimiter(text: str) -> str:
    """`,`, `;` (Excel with Vietnamese regional settings) or tab: whichever the header line has most of."""
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv(content: bytes, max_rows: int = MAX_ROWS) -> Sheet:
    """A CSV's header and rows; every row is read, so a refusal names the real count."""
    text, encoding = decode_text(content)
    delimiter = _delimiter(text)
    collector = _Collector(max_rows)
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            collector.add(number, [value or None for value in record])
    except csv.Error:
        raise UnsupportedFile(field=UPLOAD_FIELD) from None
    return collector.sheet("csv", encoding, delimiter)


def _check_package(book: zipfile.ZipFile) -> list[str]:
    """The worksheet parts of an OOXML workbook (not a document, not a macro workbook, not a zip bomb)."""
    names = book.namelist()
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnsupportedFile(field=UPLOAD_FIELD)
    if SPREADSHEET_MAIN not in book.read("[Content_Types].xml"):
        raise UnsupportedFile(field=UPLOAD_FIELD)
    if sum(info.file_size for info in book.infolist()) > MAX_UNZIPPED_BYTES:
        raise ImportTooLarge(field=UPLOAD_FIELD, limit_mb=f"{MAX_UNZIPPED_BYTES / 1024**2:.3g}")
    return [name for name in names if WORKSHEET_PART.match(name)]


def _scan_part(book: zipfile.ZipFile, part: str) -> int:
    """Row elements in a worksheet's XML, streamed; refuses the first merged range it finds."""
    rows, carry = 0, b""
    with book.open(part) as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            buffer = carry + chunk
            cut = buffer.rfind(b">") + 1  # tags end at '>': never split one between two pieces
            piece, carry = buffer[:cut], buffer[cut:]
            merged = _MERGE_TAG.search(piece)
            if merged:
                raise MergedCells(field=UPLOAD_FIELD, range=merged.group(1).decode("ascii", "replace"))
            rows += len(_ROW_TAG.findall(piece))
    return rows


def _open_workbook(content: bytes) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (data validation, print settings); values are unaffected.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # any failure to read untrusted bytes means "not a workbook we can read"
        raise UnsupportedFile(field=UPLOAD_FIELD) from None


def _cells(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    """Each row's values; a formula anywhere is refused, naming its cell."""
    for row in rows:
        values = []
        for cell in row:
            if cell.data_type == "f":
                raise FormulaCell(field=UPLOAD_FIELD, cell=cell.coordinate)
            values.append(cell.value)
        yield values


def _collect(workbook: Any, row_tags: int, max_rows: int) -> _Collector:
    collector = _Collector(max_rows)
    for number, values in enumerate(_cells(workbook.worksheets[0].iter_rows()), start=1):
        collector.add(number, values)
        if collector.count > max_rows:  # stop reading: the row elements give the count
            collector.count = max(collector.count, row_tags - 1)
            break
    return collector


def read_xlsx(content: bytes, max_rows: int = MAX_ROWS) -> Sheet:
    """The only sheet's header and rows: no formulas, no merged cells, no second sheet."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            parts = _check_package(book)
            workbook = _open_workbook(content)
            try:
                names = workbook.sheetnames
                if len(names) > 1:
                    raise SecondSheet(field=UPLOAD_FIELD, sheet=names[1], count=len(names))
                collector = _collect(workbook, sum(_scan_part(book, part) for part in parts), max_rows)
            finally:
                workbook.close()
    except AppError:
        raise
    except Exception:  # damaged XML or zip inside: not a workbook we can read
        raise UnsupportedFile(field=UPLOAD_FIELD) from None
    return collector.sheet("xlsx")
