"""The agency's signing credential (a PKCS#12 file) and the PAdES signature (B-B, B-T, B-LT), through pyHanko.

A document is signed only with a credential that loads and is valid at the time of signing. Otherwise the
caller gets an ``Unsigned`` with the reason, and the document says so on its page, in a response header and in
any JSON (service.py): never silently unsigned.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import aiohttp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from service.documents import ltv

# Why a document went out unsigned; codes are stable (they are in the header and the JSON).
UnsignedReason = Literal["no_certificate", "missing", "unreadable", "expired", "not_yet_valid", "draft"]
# The PAdES baseline level a signed file reached (ETSI EN 319 142-1): B-B, B-T with a signature timestamp, B-LT
# with the validation data (certificates, CRLs/OCSP) embedded in the document security store.
Level = Literal["B-B", "B-T", "B-LT"]
# Why a file asked to be timestamped is B-B: the TSA could not be reached, or answered no timestamp.
TimestampProblem = Literal["tsa_unreachable", "tsa_bad_answer"]
FIELD_NAME = "ChuKySoCoQuan"
log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Timestamping:
    """The timestamp authority signatures ask (SIGNING_TSA_URL) and how long to wait for it, and for CRL/OCSP."""

    url: str
    timeout: int


@dataclass(frozen=True)
class Signed:
    """A signed file, its PAdES baseline level, and why it has no timestamp when one was asked for."""

    pdf: bytes
    level: Level
    timestamp_problem: TimestampProblem | None = None


def sign(
    prepare: Callable[[], IncrementalPdfFileWriter],
    credential: Credential,
    *,
    reason: str,
    location: str,
    timestamping: Timestamping | None,
) -> Signed:
    """The document from ``prepare()`` signed with PAdES, SHA-256, in an invisible, printable signature field.

    Without ``timestamping``: B-B. With it: B-T (the signature timestamped by the TSA), then B-LT when the
    certificates' revocation data can be fetched and embedded. When the TSA cannot be reached or answers
    something that is not a timestamp, the document is signed again from a fresh writer, B-B, and says why.
    """
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    if timestamping is None:
        return Signed(_signed(prepare(), meta, credential, None), "B-B")
    stamper = HTTPTimeStamper(timestamping.url, timeout=timestamping.timeout)
    try:
        pdf = _signed(prepare(), meta, credential, stamper)
    except Exception as error:  # whatever the TSA did, the document goes out B-B and says so
        problem = _timestamp_problem(error)
        log.warning("timestamp authority %s failed (%s): signing B-B", timestamping.url, problem, exc_info=True)
        return Signed(_signed(prepare(), meta, credential, None), "B-B", problem)
    with_info = ltv.with_validation_info(pdf, credential.signer, timeout=timestamping.timeout)
    return Signed(with_info, "B-LT") if with_info is not None else Signed(pdf, "B-T")


def _signed(
    writer: IncrementalPdfFileWriter,
    meta: signers.PdfSignatureMetadata,
    credential: Credential,
    stamper: HTTPTimeStamper | None,
) -> bytes:
    out = io.BytesIO()
    signers.sign_pdf(writer, meta, signer=credential.signer, timestamper=stamper, output=out)
    return out.getvalue()


def _timestamp_problem(error: BaseException) -> TimestampProblem:
    """``tsa_unreachable``: no connection or no answer in time; ``tsa_bad_answer``: an answer, not a timestamp."""
    cause = error.__cause__ if isinstance(error, TimestampRequestError) else error
    if isinstance(cause, aiohttp.ClientResponseError):  # an HTTP error status or the wrong content type
        return "tsa_bad_answer"
    if isinstance(cause, aiohttp.ClientError | OSError):
        return "tsa_unreachable"
    return "tsa_bad_answer"
