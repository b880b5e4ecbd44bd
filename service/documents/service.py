"""Issue an outgoing document: number it in the register, lay it out, make it PDF/A, sign it or say why not.

Callers (reports, takedown requests) describe the document as a Draft; ``issue`` does the rest and records the
file it produced (SHA-256, signed or the reason not) in the register. The slow part (loading the PKCS#12,
laying out, signing) runs in a worker thread.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from anyio import to_thread
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.documents import DocumentFileOut, OutgoingDocumentOut, SignatureOut
from service import i18n
from service.auth.principal import Principal
from service.clock import local_day, now
from service.documents import model, pdfa, render, repository, signing
from service.documents.models import DocumentFile
from service.settings import Settings

PLACE = "Lai Châu"
MEDIA_TYPE = "application/pdf"
SIGNATURE_HEADER = "X-Document-Signature"
NUMBER_HEADER = "X-Document-Number"  # "05/BC-SKHCN", the string printed after "Số:" (none for a draft)


@dataclass(frozen=True)
class Draft:
    """What the caller knows of a document; the register gives the number and the date.

    ``subject`` keys the register (``report:yearly:2025``): the same subject is the same document. ``symbol`` is
    what follows the number ("BC-SKHCN").
    """

    subject: str
    symbol: str
    kind: str | None
    summary: str
    body: Sequence[model.Block]
    recipients: Sequence[str]
    signer: model.Signer
    addressees: Sequence[str] = ()
    # The superior named when the agency has no parent in the data (a provincial department's is the province).
    superior: str | None = None
    # A number and date the caller's own book gave (a takedown request's, when sent); None: the register's.
    number: int | None = None
    issued_on: date | None = None
    # Not issued yet: laid out for reading, neither numbered, registered nor signed, and saying so.
    is_draft: bool = False


@dataclass(frozen=True)
class Signature:
    """How a produced file is signed: ``signed`` with the certificate's subject and serial, or why not."""

    signed: bool
    reason: signing.UnsignedReason | None = None
    detail: str = ""
    subject: str | None = None
    serial: str | None = None
    level: signing.Level | None = None  # the PAdES baseline level reached, once signed
    timestamp_problem: signing.TimestampProblem | None = None  # a timestamp was asked for and not obtained

    def note(self, lang: i18n.Language) -> str:
        """The visible line, in one language."""
        if self.signed:
            return i18n.message("document.signed", lang, subject=self.subject, serial=self.serial)
        why = i18n.message(f"document.unsigned.{self.reason}", lang, detail=self.detail)
        return i18n.message("document.unsigned", lang, reason=why)

    @property
    def page_line(self) -> str:
        """The line on the page: Vietnamese, then English."""
        return f"{self.note('vi')} / {self.note('en')}"

    @property
    def header(self) -> str:
        """The X-Document-Signature header: ``signed; serial=…; level=B-T``, ``signed; serial=…; level=B-B;
        timestamp=tsa_unreachable`` (a timestamp was asked for, not obtained) or ``unsigned; reason=expired``."""
        if not self.signed:
            return f"unsigned; reason={self.reason}"
        problem = f"; timestamp={self.timestamp_problem}" if self.timestamp_problem else ""
        return f"signed; serial={self.serial}; level={self.level}{problem}"


@dataclass(frozen=True)
class Issued:
    """A produced file with its register entry."""

    pdf: bytes
    document_id: uuid.UUID | None  # None for a draft
    number_line: str
    number: str | None  # "05/BC-SKHCN" as printed and registered; None for a draft
    signature: Signature
    sha256: str


def _signature(found: signing.Credential | signing.Unsigned) -> Signature:
    if isinstance(found, signing.Unsigned):
        return Signature(signed=False, reason=found.reason, detail=found.detail)
    return Signature(signed=True, subject=found.subject, serial=found.serial)


def timestamping(settings: Settings) -> signing.Timestamping | None:
    """The timestamp authority signatures ask (SIGNING_TSA_URL), if one is configured."""
    if settings.signing_tsa_url is None:
        return None
    return signing.Timestamping(settings.signing_tsa_url, settings.signing_tsa_timeout)


def produce(
    doc: model.Document,
    credential: tuple[Path | None, str] | None,
    at: datetime,
    tsa: signing.Timestamping | None = None,
) -> tuple[bytes, Signature]:
    """Pure but slow: load the credential, lay the document out with its signature line, PDF/A, sign (timestamped
    by ``tsa`` when one is given and answers).

    ``credential`` None: a draft, never signed.
    """
    found = signing.Unsigned("draft") if credential is None else signing.load(credential[0], credential[1], at)
    signature = _signature(found)
    doc = dataclasses.replace(doc, seal_note=signature.page_line)
    title = f"{doc.kind or 'Công văn'} {doc.number_line}: {doc.summary}"
    laid_out = render.pdf_bytes(doc, title=title, author=doc.agency)

    def prepare() -> IncrementalPdfFileWriter:
        return pdfa.prepare(laid_out, title=title, author=doc.agency, subject=doc.summary, created=at)

    if not isinstance(found, signing.Credential):
        return pdfa.written(prepare()), signature
    signed = signing.sign(
        prepare, found, reason=i18n.message("document.sign_reason"), location=doc.place, timestamping=tsa
    )
    return signed.pdf, dataclasses.replace(signature, level=signed.level, timestamp_problem=signed.timestamp_problem)


async def issuer(session: AsyncSession, agency_id: uuid.UUID) -> repository.Issuer:
    """The issuing agency (code, name) and its superior's name."""
    return await repository.issuer(session, agency_id)


async def user_name(session: AsyncSession, user_id: uuid.UUID) -> str:
    """The full name to print under a signature when the caller names nobody else."""
    return await repository.full_name(session, user_id)


async def issue(
    session: AsyncSession, settings: Settings, *, agency_id: uuid.UUID, user_id: uuid.UUID, draft: Draft
) -> Issued:
    """Register (or find) the document, produce its file off the event loop, record the file.

    A draft is produced the same way but is not registered: no number, no signature, no file recorded.
    """
    at = now()
    issuer = await repository.issuer(session, agency_id)
    number, issued_on, document_id = 0, draft.issued_on or local_day(at), None
    if not draft.is_draft:
        entry = await repository.register(
            session, agency_id=agency_id, subject=draft.subject, symbol=draft.symbol, title=draft.summary,
            issued_on=issued_on, user_id=user_id, number=draft.number,
        )  # fmt: skip
        number, issued_on, document_id = entry.number, entry.issued_on, entry.id
    doc = model.Document(
        superior=(issuer.superior or draft.superior or "").upper() or None, agency=issuer.name.upper(),
        number=number, symbol=draft.symbol, place=PLACE, issued_on=issued_on, kind=draft.kind,
        summary=draft.summary, body=draft.body, recipients=draft.recipients, signer=draft.signer,
        addressees=draft.addressees,
    )  # fmt: skip
    credential = None if draft.is_draft else settings.signing_credential(issuer.code)
    pdf, signature = await to_thread.run_sync(produce, doc, credential, at, timestamping(settings))
    digest = hashlib.sha256(pdf).hexdigest()
    if document_id is not None:
        await repository.add_file(
            session,
            DocumentFile(
                document_id=document_id, produced_at=at, produced_by=user_id, sha256=digest, size=len(pdf),
                signed=signature.signed, unsigned_reason=signature.reason, certificate_subject=signature.subject,
                certificate_serial=signature.serial, signature_level=signature.level,
                timestamp_problem=signature.timestamp_problem,
            ),
        )  # fmt: skip
    registered = model.number_and_symbol(number, draft.symbol) if document_id is not None else None
    return Issued(pdf, document_id, doc.number_line, registered, signature, digest)


def headers(issued: Issued, file_name: str) -> dict[str, str]:
    """The response headers of a produced file: attachment name, no caching, the signature's state."""
    # Percent-encoded past ASCII (a header is Latin-1): agency codes are ASCII, so this is the printed string.
    numbered = {NUMBER_HEADER: quote(issued.number, safe="/-.")} if issued.number else {}
    return {
        "Content-Disposition": f'attachment; filename="{file_name}"',
        "Cache-Control": "no-store",
        SIGNATURE_HEADER: issued.signature.header,
    } | numbered


def _file_out(file: DocumentFile) -> DocumentFileOut:
    signature = SignatureOut(
        signed=file.signed,
        unsigned_reason=file.unsigned_reason,  # type: ignore[arg-type]
        certificate_subject=file.certificate_subject,
        certificate_serial=file.certificate_serial,
        level=file.signature_level,  # type: ignore[arg-type]
        timestamp_problem=file.timestamp_problem,  # type: ignore[arg-type]
    )
    return DocumentFileOut(produced_at=file.produced_at, sha256=file.sha256, size=file.size, signature=signature)


async def register_of(session: AsyncSession, principal: Principal, year: int | None) -> list[OutgoingDocumentOut]:
    """The caller's agency's register (every agency's for coordinators and administrators)."""
    agency = None if principal.sees_all_agencies else principal.agency_id
    return [
        OutgoingDocumentOut(
            id=row.document.id,
            agency_code=row.agency_code,
            number=model.number_and_symbol(row.document.number, row.document.symbol),
            year=row.document.year,
            subject=row.document.subject,
            title=row.document.title,
            issued_on=row.document.issued_on,
            latest_file=_file_out(row.latest) if row.latest else None,
        )
        for row in await repository.listed(session, agency, year)
    ]
