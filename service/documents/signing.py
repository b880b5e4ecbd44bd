"""The agency's signing credential (a PKCS#12 file) and the PAdES signature, through pyHanko.

A document is signed only with a credential that loads and is valid at the time of signing. Otherwise the
caller gets an ``Unsigned`` with the reason, and the document says so on its page, in a response header and in
any JSON (service.py): never silently unsigned.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

# Why a document went out unsigned; codes are stable (they are in the header and the JSON).
UnsignedReason = Literal["no_certificate", "missing", "unreadable", "expired", "not_yet_valid", "draft"]
FIELD_NAME = "ChuKySoCoQuan"


@dataclass(frozen=True)
class Credential:
    """A loaded agency certificate with its key, valid now."""

    signer: signers.SimpleSigner
    subject: str  # the certificate's subject, as readers show it
    serial: str  # hexadecimal
    not_after: datetime


@dataclass(frozen=True)
class Unsigned:
    """No usable credential: why, and since when for an expired certificate."""

    reason: UnsignedReason
    detail: str = ""


def load(path: Path | None, passphrase: str, at: datetime) -> Credential | Unsigned:
    """The credential in ``path``, if the file is there, opens with ``passphrase`` and is valid at ``at``."""
    if path is None:
        return Unsigned("no_certificate")
    try:
        data = path.read_bytes()
    except OSError:
        return Unsigned("missing", str(path))
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, (), passphrase.encode() or None)
    except ValueError:
        return Unsigned("unreadable", str(path))
    cert = signer.signing_cert
    if cert is None:  # load_pkcs12_data always sets it; an archive with a key and no certificate would not
        return Unsigned("unreadable", str(path))
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if at > not_after:
        return Unsigned("expired", f"{not_after:%Y-%m-%d}")
    if at < not_before:
        return Unsigned("not_yet_valid", f"{not_before:%Y-%m-%d}")
    return Credential(signer, cert.subject.human_friendly, f"{cert.serial_number:x}", not_after)


def sign(writer: IncrementalPdfFileWriter, credential: Credential, *, reason: str, location: str) -> bytes:
    """The document signed with PAdES (baseline B-B, SHA-256) in an invisible, printable signature field."""
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = io.BytesIO()
    signers.sign_pdf(writer, meta, signer=credential.signer, output=out)
    return out.getvalue()
