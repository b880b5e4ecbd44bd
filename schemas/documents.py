"""The outgoing-documents API contract: the register and how each produced file is signed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from schemas.base import Schema

UnsignedReason = Literal["no_certificate", "missing", "unreadable", "expired", "not_yet_valid"]
# PAdES baseline levels: B-B, B-T (a signature timestamp), B-LT (validation data embedded as well).
SignatureLevel = Literal["B-B", "B-T", "B-LT"]
# A timestamp was asked for (SIGNING_TSA_URL) and not obtained: the TSA could not be reached or answered no timestamp.
TimestampProblem = Literal["tsa_unreachable", "tsa_bad_answer"]


class SignatureOut(Schema, kw_only=True):
    """Chữ ký số của tệp / How the file is signed: by which certificate, or why it is not."""

    signed: bool
    unsigned_reason: UnsignedReason | None
    certificate_subject: str | None
    certificate_serial: str | None
    level: SignatureLevel | None  # signed files only
    timestamp_problem: TimestampProblem | None


class DocumentFileOut(Schema, kw_only=True):
    """The latest PDF produced for a registered document."""

    produced_at: datetime
    sha256: str
    size: int
    signature: SignatureOut


class OutgoingDocumentOut(Schema, kw_only=True):
    """Một văn bản đi trong sổ / A document in the agency's register of outgoing documents."""

    id: uuid.UUID
    agency_code: str
    number: str  # "05/BC-SKHCN"
    year: int
    subject: str
    title: str
    issued_on: date
    latest_file: DocumentFileOut | None
