"""Imports as the API shows them: the file read, the mapping, each row of a dry run in both languages."""

from __future__ import annotations

import uuid
from typing import Any, Literal

import msgspec

from schemas.imports import (
    ColumnOut,
    DryRunRow,
    ImportMappingIn,
    ImportOut,
    ImportSummaryOut,
    NameMatch,
    PlaceOut,
    PreviewRow,
    RowProblem,
)
from service import i18n
from service.imports import mapping as mappings
from service.imports.models import ImportMapping, IncidentImport
from service.imports.parsing import letter
from service.imports.rows import Problem, RowRead
from service.incidents.placing import Place
from service.text import fold

SAMPLES = 3
PREVIEW_ROWS = 10


def summary(record: IncidentImport) -> ImportSummaryOut:
    """An import in the agency's list."""
    return msgspec.convert(record, ImportSummaryOut, from_attributes=True)


def mapping_of(record: IncidentImport, remembered: ImportMapping | None) -> tuple[ImportMappingIn, str]:
    """The saved mapping, else one pre-filled from the agency's last mapping, else from usual header names."""
    if record.mapping is not None:
        return msgspec.convert(record.mapping, ImportMappingIn), "saved"
    columns = remembered.columns if remembered else {}
    suggested = mappings.suggest(record.columns, columns, remembered.defaults if remembered else None)
    known = any(fold(pair.column) in columns for pair in suggested.columns)
    return suggested, "remembered" if known else "guessed"


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell)


def present(record: IncidentImport, rows: list[list[Any]], remembered: ImportMapping | None) -> ImportOut:
    """The import with its columns, first rows and mapping."""
    first = rows[:PREVIEW_ROWS]
    columns = [
        ColumnOut(
            index=index,
            letter=letter(index),
            header=header,
            samples=[_text(row[index + 1]) for row in first if row[index + 1] is not None][:SAMPLES],
        )
        for index, header in enumerate(record.columns)
    ]
    mapping, source = mapping_of(record, remembered)
    base = msgspec.structs.asdict(summary(record))
    return ImportOut(
        **base,
        encoding=record.encoding,
        delimiter=record.delimiter,
        size_bytes=record.size_bytes,
        columns=columns,
        preview=[PreviewRow(row=int(row[0]), cells=row[1:]) for row in first],
        mapping=mapping,
        mapping_source=source,  # type: ignore[arg-type]
    )


def problem_texts(problem: Problem) -> tuple[str, str]:
    """The problem in Vietnamese and English."""
    if problem.texts is not None:
        return problem.texts
    return i18n.both(problem.code, field=problem.field, **problem.params)


def problem_out(problem: Problem) -> RowProblem:
    """One problem of a row for the API."""
    vi, en = problem_texts(problem)
    return RowProblem(field=problem.field, column=problem.column, code=problem.code, message_vi=vi, message_en=en)


def row_status(read: RowRead, imported: bool) -> Literal["ok", "warning", "error", "imported"]:
    """imported (stored before, skipped), error, warning (a name to confirm) or ok."""
    if imported:
        return "imported"
    if read.errors:
        return "error"
    return "warning" if read.warnings else "ok"


def dry_run_row(read: RowRead, place: Place | None, incident_id: uuid.UUID | None) -> DryRunRow:
    """A row of the dry run: what would be stored and its problems."""
    data = msgspec.to_builtins(read.data) if read.data is not None else None
    goods = data["goods"] if data else []
    return DryRunRow(
        row=read.row,
        status=row_status(read, incident_id is not None),
        incident=data,
        place=msgspec.convert(place, PlaceOut, from_attributes=True) if place else None,
        goods_value_vnd=sum(g["quantity"] * g["unit_price_vnd"] for g in goods) if data else None,
        matches=[
            NameMatch(
                field=name,  # type: ignore[arg-type]
                written=found.written,
                unit=found.unit.full_name,
                generation=found.unit.generation,  # type: ignore[arg-type]
                code=found.unit.code,
                how=found.how,  # type: ignore[arg-type]
            )
            for name, found in read.matches
        ],
        errors=[problem_out(p) for p in read.errors],
        warnings=[problem_out(p) for p in read.warnings],
        incident_id=incident_id,
    )
