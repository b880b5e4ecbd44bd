"""The report as CSV: a CSV file has one table, so the report is a ZIP of one CSV per table.

Pure: laid-out sheets in, bytes out. Each file is as the list exports write them (service/exports/writers.py):
UTF-8 with a byte-order mark, comma-separated, CRLF, the header row first; the total row last. Notes are left
out (they are in the XLSX and the PDF). Numbers are plain (``1250000``, ``66.7``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from service.exports.writers import csv_lines
from service.reports.layout import Sheet

MEDIA_TYPE = "application/zip"


def file_name(index: int, sheet: Sheet) -> str:
    """``01_info.csv``, ``02_summary.csv``…: the report's order, ASCII names any unzip tool keeps."""
    return f"{index:02d}_{sheet.key}.csv"


def csv_bytes(sheet: Sheet) -> bytes:
    """One table as a CSV file."""
    rows = [*sheet.rows, *([sheet.total] if sheet.total is not None else [])]
    return csv_lines([[column.header for column in sheet.columns]], first=True) + csv_lines(rows)


def zip_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The ZIP of one CSV per table, in the report's order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, sheet in enumerate(sheets, start=1):
            archive.writestr(file_name(index, sheet), csv_bytes(sheet))
    return buffer.getvalue()
