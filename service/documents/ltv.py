"""PAdES B-LT: a timestamped signature's validation data embedded in the document security store (DSS).

pyHanko collects, for the signer's certificate path and the timestamp authority's, every certificate and the
revocation data the certificates point at (CRL distribution points, OCSP responders), and writes them in a /DSS
in an incremental update after the signature: what ``PdfSignatureMetadata.embed_validation_info`` does at
signing, done here as a separate step so that a failure leaves the B-T file as it was.

The paths are built up to the self-signed roots found in the agency's PKCS#12 (its chain). Revocation data is
required for every certificate below a root: a signing certificate that names no CRL nor OCSP responder (not even
tried), a CRL or OCSP responder that cannot be reached, or a root missing from the PKCS#12 leave the file B-T
(docs/documents.md says what B-LT needs).
"""

from __future__ import annotations

import asyncio
import io
import logging

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.dss import async_add_validation_info
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

log = logging.getLogger(__name__)


def with_validation_info(pdf: bytes, signer: signers.SimpleSigner, *, timeout: int) -> bytes | None:
    """``pdf`` with its signature's validation data in a DSS, or None when it cannot all be gathered."""
    cert = signer.signing_cert
    if cert is None or not (cert.crl_distribution_points or cert.ocsp_urls):
        log.info("the signing certificate names no CRL nor OCSP responder: the signature stays B-T")
        return None
    chain = list(signer.cert_registry)
    roots = [cert for cert in chain if cert.self_signed != "no"]
    if not roots:
        log.info("no root in the signing PKCS#12: the signature stays B-T")
        return None
    backend = AIOHttpFetcherBackend(per_request_timeout=timeout)
    context = ValidationContext(
        trust_roots=roots, other_certs=chain, allow_fetching=True, revocation_mode="require", fetcher_backend=backend
    )
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    try:
        return asyncio.run(_gathered(signature, context, backend))  # in the worker thread: no loop runs there
    except Exception:  # any failure to gather the data leaves the timestamped file as it was
        log.warning("validation data for B-LT could not be gathered: the signature stays B-T", exc_info=True)
        return None


async def _gathered(
    signature: EmbeddedPdfSignature, context: ValidationContext, backend: AIOHttpFetcherBackend
) -> bytes:
    """The DSS update, the fetchers' HTTP session closed in the loop that opened it (ours to close: we made it)."""
    try:
        out = await async_add_validation_info(signature, context, output=io.BytesIO())
    finally:
        await backend.close()  # type: ignore[no-untyped-call]
    return bytes(out.getvalue())
