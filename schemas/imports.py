"""The imports API contract: upload, mapping, dry run and commit bodies (msgspec Structs, strict)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar.datastructures import UploadFile

from schemas.base import Schema
from schemas.codes import InfringementAct, SubjectMatter, ViolatorType

ImportField = Literal[
    "kind",
    "occurred_on",
    "detected_on",
    "record_number",
    "goods_description",
    "goods_mark",
    "goods_quantity",
    "goods_unit",
    "goods_unit_price",
    "goods_total_value",
    "commune",
    "district",
    "violator_name",
    "violator_type",
    "violator_address",
    "team",
    "subject_matter",
    "infringement_acts",
    "notes",
]
IMPORT_FIELDS: tuple[str, ...] = ImportField.__args__  # type: ignore[attr-defined]
ImportStatus = Literal["uploaded", "mapped", "committed"]
RowStatus = Literal["ok", "warning", "error", "imported"]
Header = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
RowNumber = Annotated[int, msgspec.Meta(ge=2, description="Số dòng trong tệp / The row's number in the file")]


class ImportUploadForm(msgspec.Struct, kw_only=True):
    """multipart/form-data with one part `file` (a browser also sends `_csrf_token`, which is ignored)."""

    file: Annotated[
        UploadFile,
        msgspec.Meta(description="CSV (UTF-8, UTF-8 có BOM, Windows-1258) hoặc XLSX / CSV or XLSX"),
    ]


class ColumnMap(Schema, kw_only=True):
    """One column of the file and the ipcoord field it fills."""

    column: Header
    field: ImportField


class ImportDefaults(Schema, kw_only=True):
    """Values for fields the file has no column for, or leaves empty."""

    kind: Literal["seizure"] = "seizure"
    subject_matter: Annotated[list[SubjectMatter], msgspec.Meta(max_length=15)] = []
    infringement_acts: Annotated[list[InfringementAct], msgspec.Meta(max_length=15)] = []
    goods_unit: Annotated[str, msgspec.Meta(min_length=1, max_length=30)] | None = None
    violator_type: ViolatorType = "individual"
    team: Annotated[str, msgspec.Meta(max_length=100)] | None = None


class ImportMappingIn(Schema, kw_only=True):
    """Which column fills which field (each at most once), and the defaults."""

    columns: Annotated[list[ColumnMap], msgspec.Meta(max_length=60)]
    defaults: ImportDefaults = msgspec.field(default_factory=ImportDefaults)


class ColumnOut(Schema, kw_only=True):
    """A column of the file: its letter, header and first values."""

    index: int
    letter: str
    header: str
    samples: list[str]


class PreviewRow(Schema, kw_only=True):
    """A row as read from the file."""

    row: int
    cells: list[str | int | float | None]


class ImportSummaryOut(Schema, kw_only=True):
    """An import in the agency's list."""

    id: uuid.UUID
    file_name: str
    sha256: str
    file_format: Literal["csv", "xlsx"]
    row_count: int
    status: ImportStatus
    stored_count: int
    created_at: datetime
    committed_at: datetime | None


class ImportOut(ImportSummaryOut, kw_only=True):
    """An uploaded file: what was read, the mapping (saved, or pre-filled from the agency's last one)."""

    encoding: str
    delimiter: str
    size_bytes: int
    columns: list[ColumnOut]
    preview: list[PreviewRow]
    mapping: ImportMappingIn
    mapping_source: Literal["saved", "remembered", "guessed"]


class RowProblem(Schema, kw_only=True):
    """An error or a warning about one field of a row, in both languages."""

    field: str
    column: str | None
    code: str
    message_vi: str
    message_en: str


class NameMatch(Schema, kw_only=True):
    """How a place name was read: exact, folded (without diacritics) or fuzzy (to confirm)."""

    field: Literal["commune", "district"]
    written: str
    unit: str
    generation: Literal["2024", "2025"]
    code: str
    how: Literal["exact", "folded", "fuzzy"]


class PlaceOut(Schema, kw_only=True):
    """Where the row would be placed, in both generations."""

    unit_2025: str | None
    commune_2024: str | None
    district_2024: str | None
    district_2024_split: bool


class DryRunRow(Schema, kw_only=True):
    """One row: what would be stored, and every problem; `imported` rows are stored already and skipped."""

    row: int
    status: RowStatus
    incident: dict[str, Any] | None
    place: PlaceOut | None
    goods_value_vnd: int | None
    matches: list[NameMatch]
    errors: list[RowProblem]
    warnings: list[RowProblem]
    incident_id: uuid.UUID | None = None


class DryRunOut(Schema, kw_only=True):
    """The dry run of a mapped import: nothing is stored."""

    import_id: uuid.UUID
    total: int
    ok: int
    warnings: int
    errors: int
    imported: int
    rows: list[DryRunRow]


class CommitIn(Schema, kw_only=True):
    """Store every row at once; rows whose warnings (fuzzy names) are accepted are listed in `confirm`."""

    confirm: Annotated[list[RowNumber], msgspec.Meta(max_length=10_000)] = []


class CommitOut(Schema, kw_only=True):
    """What the commit stored (nothing for rows stored before from the same file)."""

    import_id: uuid.UUID
    stored: int
    already_imported: int
    incident_ids: list[uuid.UUID]
