"""The reports API contract: a period's report as laid-out tables (msgspec Structs)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from schemas.base import Schema

Cell = str | int | float | None


class ReportColumnOut(Schema, kw_only=True):
    """One column: a stable key, its header in the report's language, the type of its cells."""

    key: str
    header: str
    type: Literal["text", "count", "number", "money", "percent"]


class ReportTableOut(Schema, kw_only=True):
    """One table: rows of cells in column order, the total row when adding up means something, notes."""

    key: str
    title: str
    columns: list[ReportColumnOut]
    rows: list[list[Cell]]
    total: list[Cell] | None
    notes: list[str]


class ReportOut(Schema, kw_only=True):
    """Báo cáo theo kỳ / A period's report: the information table first, then every table in order."""

    province: str
    start: date
    end: date
    generation: Literal["2024", "2025"]
    lang: Literal["vi", "en"]
    generated_at: datetime
    tables: list[ReportTableOut]
