"""Imports of past spreadsheets: upload, mapping, dry run, all-or-nothing commit. Services flush; requests commit."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from maps.geotag import Geotagger
from schemas.errors import FieldError
from schemas.imports import (
    CommitIn,
    CommitOut,
    DryRunOut,
    ImportMappingIn,
    ImportOut,
    ImportSummaryOut,
)
from service import i18n
from service.attachments.service import Upload, clean_file_name
from service.attachments.storage import FileStore, LocalFileStore
from service.auth.principal import Principal
from service.clock import local_day, now
from service.errors import AppError, Conflict, NotFound
from service.imports import batch, parsing, repository, rows, views
from service.imports import mapping as mappings
from service.imports.models import IncidentImport
from service.imports.rows import RowRead
from service.incidents.placing import Place, place_incident
from service.settings import DEFAULT_UPLOAD_MAX_BYTES, Settings

# Imports take UPLOAD_MAX_BYTES like attachments, but never more than this: MAX_ROWS rows fit many times over.
MAX_IMPORT_BYTES = DEFAULT_UPLOAD_MAX_BYTES
STORE_FOLDER = "imports"


class ImportNotFound(NotFound):
    code = "import.not_found"


class NotMapped(Conflict):
    code = "import.not_mapped"


class AlreadyCommitted(Conflict):
    code = "import.committed"


class RowsInvalid(AppError):
    """Rows with errors or unconfirmed names: nothing is stored; `problems` names each row and field."""

    status = 422
    code = "import.rows_invalid"

    def __init__(self, problems: list[FieldError]) -> None:
        super().__init__(field=problems[0].field, count=len({p.field.split("]")[0] for p in problems if p.field}))
        self.problems = problems

    def field_errors(self) -> list[FieldError]:
        return self.problems


@dataclass(frozen=True)
class ImportConfig:
    """Where uploaded files are kept (by SHA-256) and how large one may be."""

    store: FileStore
    max_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ImportConfig:
        """A folder beside the attachments, and UPLOAD_MAX_BYTES capped at MAX_IMPORT_BYTES."""
        store = LocalFileStore(settings.attachments_dir / STORE_FOLDER)
        return cls(store=store, max_bytes=min(settings.upload_max_bytes, MAX_IMPORT_BYTES))


@dataclass(frozen=True)
class Checked:
    """A dry run: each row as read, where it would be placed, and the rows of this file stored before."""

    reads: list[RowRead]
    places: dict[int, Place]
    done: dict[int, uuid.UUID]


async def _own(
    session: AsyncSession, principal: Principal, import_id: uuid.UUID, *, with_rows: bool = False, lock: bool = False
) -> IncidentImport:
    record = await repository.get_own(session, principal, import_id, with_rows=with_rows, lock=lock)
    if record is None:
        raise ImportNotFound()
    return record


async def _present(session: AsyncSession, record: IncidentImport) -> ImportOut:
    remembered = await repository.get_mapping(session, record.agency_id)
    return views.present(record, record.rows, remembered)


async def create_import(session: AsyncSession, config: ImportConfig, principal: Principal, upload: Upload) -> ImportOut:
    """Read and keep an uploaded file for the caller's agency; its mapping is pre-filled from the last one."""
    sheet = await asyncio.to_thread(parsing.read_sheet, upload.content, config.max_bytes)
    record = IncidentImport(
        agency_id=principal.agency_id,
        uploaded_by_id=principal.user_id,
        file_name=clean_file_name(upload.file_name, sheet.file_format),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        storage_key=await config.store.put(upload.content),
        size_bytes=len(upload.content),
        file_format=sheet.file_format,
        encoding=sheet.encoding,
        delimiter=sheet.delimiter,
        columns=sheet.headers,
        rows=sheet.rows,
        row_count=len(sheet.rows),
        status="uploaded",
    )
    session.add(record)
    await session.flush()
    return await _present(session, record)


async def list_imports(session: AsyncSession, principal: Principal) -> list[ImportSummaryOut]:
    """The agency's latest imports."""
    return [views.summary(record) for record in await repository.list_own(session, principal)]


async def get_import(session: AsyncSession, principal: Principal, import_id: uuid.UUID) -> ImportOut:
    """One import of the caller's agency."""
    return await _present(session, await _own(session, principal, import_id, with_rows=True))


async def set_mapping(
    session: AsyncSession, principal: Principal, import_id: uuid.UUID, data: ImportMappingIn
) -> ImportOut:
    """Save the import's mapping and remember it for the agency's next upload."""
    record = await _own(session, principal, import_id, with_rows=True, lock=True)
    if record.status == "committed":
        raise AlreadyCommitted(field="import_id")
    mappings.check(record.columns, data)
    record.mapping = msgspec.to_builtins(data)
    record.status = "mapped"
    defaults = msgspec.to_builtins(data.defaults)
    await repository.save_mapping(
        session, principal.agency_id, principal.user_id, mappings.remembered_columns(data), defaults
    )
    await session.flush()
    return await _present(session, record)


def _plan(record: IncidentImport) -> mappings.Plan:
    if record.mapping is None:
        raise NotMapped(field="mapping")
    return mappings.check(record.columns, msgspec.convert(record.mapping, ImportMappingIn))


async def _check(session: AsyncSession, tagger: Geotagger, record: IncidentImport) -> Checked:
    plan = _plan(record)
    today = local_day(now())
    reads = await asyncio.to_thread(lambda: [rows.read_row(plan, cells, today) for cells in record.rows])
    places = {
        read.row: place_incident(tagger, None, read.data.unit)
        for read in reads
        if read.data is not None and read.data.unit is not None
    }
    return Checked(reads, places, await repository.imported_rows(session, record.sha256))


async def dry_run(session: AsyncSession, principal: Principal, tagger: Geotagger, import_id: uuid.UUID) -> DryRunOut:
    """Every row as it would be stored, with every problem in both languages; nothing is stored."""
    record = await _own(session, principal, import_id, with_rows=True)
    checked = await _check(session, tagger, record)
    out = [views.dry_run_row(r, checked.places.get(r.row), checked.done.get(r.row)) for r in checked.reads]
    counts = {status: sum(1 for row in out if row.status == status) for status in ("ok", "warning", "error")}
    return DryRunOut(
        import_id=record.id,
        total=len(out),
        ok=counts["ok"],
        warnings=counts["warning"],
        errors=counts["error"],
        imported=sum(1 for row in out if row.status == "imported"),
        rows=out,
    )


def _row_error(row: int, field: str, texts: tuple[str, str], code: str) -> FieldError:
    vi = i18n.message("import.row_problem", "vi", row=row, message=texts[0])
    en = i18n.message("import.row_problem", "en", row=row, message=texts[1])
    return FieldError(field=f"rows[{row}].{field}", code=code, message_vi=vi, message_en=en)


def _unready(checked: Checked, confirmed: set[int]) -> list[FieldError]:
    """Errors of rows not stored yet, and warnings of rows the importer did not confirm."""
    problems: list[FieldError] = []
    for read in checked.reads:
        if read.row in checked.done:
            continue
        pending = read.errors + ([] if read.row in confirmed else read.warnings)
        problems += [_row_error(read.row, p.field, views.problem_texts(p), p.code) for p in pending]
    return problems


def source_note(record: IncidentImport, row: int) -> str:
    """Why the incident exists, for its history: the file and row it was imported from (both languages)."""
    vi, en = i18n.both("import.history_reason", file=record.file_name, row=row, sha256=record.sha256[:12])
    return f"{vi} / {en}"


async def commit_import(
    session: AsyncSession, principal: Principal, tagger: Geotagger, import_id: uuid.UUID, data: CommitIn
) -> CommitOut:
    """Store every row not stored before, in the request's one transaction: all of them, or none."""
    record = await _own(session, principal, import_id, with_rows=True, lock=True)
    await repository.lock_file(session, record.sha256)
    checked = await _check(session, tagger, record)
    problems = _unready(checked, set(data.confirm))
    if problems:
        raise RowsInvalid(problems)
    pending = [read for read in checked.reads if read.row not in checked.done]
    try:  # the same checks and history as record_incident, a row at a time, stored together (batch.py)
        stored = await batch.store_rows(session, principal, tagger, record, pending, source_note)
    except batch.RowError as refused:  # a rule the dry run could not see: name the row, store nothing
        error = refused.error
        texts = i18n.both(error.code, field=error.field or "row", **error.params)
        raise RowsInvalid([_row_error(refused.read.row, error.field or "row", texts, error.code)]) from error
    record.status = "committed"
    record.stored_count += len(stored)
    record.committed_at = now()
    record.committed_by_id = principal.user_id
    await session.flush()
    return CommitOut(import_id=record.id, stored=len(stored), already_imported=len(checked.done), incident_ids=stored)
