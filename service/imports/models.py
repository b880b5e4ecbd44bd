"""Imports of past spreadsheets, the column mapping each agency last used, and the rows already stored."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from advanced_alchemy.base import BigIntAuditBase, BigIntBase, UUIDv7AuditBase
from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column


class IncidentImport(UUIDv7AuditBase):
    """One uploaded file: where its bytes are (by SHA-256), its header and rows as read, and its mapping."""

    __tablename__ = "incident_imports"
    __table_args__ = (CheckConstraint("status IN ('uploaded', 'mapped', 'committed')", name="status"),)

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    uploaded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    file_format: Mapped[str] = mapped_column(String(10))  # csv | xlsx
    encoding: Mapped[str] = mapped_column(String(20), default="")  # utf-8 | utf-8-sig | cp1258; "" for xlsx
    delimiter: Mapped[str] = mapped_column(String(1), default="")
    columns: Mapped[list[str]] = mapped_column(JSONB)
    # [row number in the file, cell, cell, …]; large, so loaded only where a dry run or commit needs it.
    rows: Mapped[list[list[Any]]] = mapped_column(JSONB, deferred=True, deferred_raiseload=True)
    row_count: Mapped[int] = mapped_column(Integer)
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JSONB, default=None)
    status: Mapped[str] = mapped_column(String(20), default="uploaded")
    stored_count: Mapped[int] = mapped_column(Integer, default=0)
    committed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    committed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)


class ImportMapping(BigIntAuditBase):
    """The mapping an agency saved last: folded header -> field, and the defaults; it pre-fills the next upload."""

    __tablename__ = "import_mappings"

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), unique=True)
    columns: Mapped[dict[str, str]] = mapped_column(JSONB)
    defaults: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class ImportedRow(BigIntBase):
    """A row stored as an incident: the file's SHA-256 and the row number are the row's idempotency key."""

    __tablename__ = "imported_rows"
    __table_args__ = (UniqueConstraint("sha256", "row_number"),)

    sha256: Mapped[str] = mapped_column(String(64))
    row_number: Mapped[int] = mapped_column(Integer)
    import_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident_imports.id"), index=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
