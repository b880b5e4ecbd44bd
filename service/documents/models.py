"""The register of outgoing documents (sổ đăng ký văn bản đi) and every file produced for one of them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class OutgoingDocument(UUIDv7AuditBase):
    """One outgoing document of an agency, numbered from 01 each calendar year (Decree 30/2020/NĐ-CP, art. 15),
    one sequence per symbol (each kind of document its own book: reports "BC-SKHCN", takedown requests).

    ``subject`` names what the document is of (``report:yearly:2025``, ``takedown:<id>``): producing it again
    gives the same number and date, so a re-download is the same document, not a new one.
    """

    __tablename__ = "outgoing_documents"
    __table_args__ = (
        UniqueConstraint("agency_id", "year", "symbol", "number", name="one_number_a_year"),
        UniqueConstraint("agency_id", "subject", name="one_document_a_subject"),
    )

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    registered_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class DocumentFile(UUIDv7AuditBase):
    """A PDF produced for a registered document: when, by whom, its SHA-256, signed or why not. Append-only."""

    __tablename__ = "document_files"

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("outgoing_documents.id"), index=True)
    produced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    produced_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    signed: Mapped[bool] = mapped_column(Boolean)
    unsigned_reason: Mapped[str | None] = mapped_column(String(40), default=None)
    certificate_subject: Mapped[str | None] = mapped_column(Text, default=None)
    certificate_serial: Mapped[str | None] = mapped_column(String(80), default=None)
    # Signed files: the PAdES baseline level reached (B-B, B-T, B-LT), and why a timestamp asked for is missing.
    signature_level: Mapped[str | None] = mapped_column(String(8), default=None)
    timestamp_problem: Mapped[str | None] = mapped_column(String(40), default=None)
