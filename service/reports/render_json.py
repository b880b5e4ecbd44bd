"""The report as JSON: the laid-out sheets with stable column keys beside the headers of the chosen language.

The Structs are in schemas/reports.py."""

from __future__ import annotations

from schemas.reports import ReportColumnOut, ReportTableOut
from service.reports.layout import Sheet


def table_out(sheet: Sheet) -> ReportTableOut:
    """One laid-out sheet as JSON."""
    return ReportTableOut(
        key=sheet.key,
        title=sheet.title,
        columns=[ReportColumnOut(key=c.key, header=c.header, type=c.type) for c in sheet.columns],
        rows=sheet.rows,
        total=sheet.total,
        notes=sheet.notes,
    )
