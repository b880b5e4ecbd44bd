"""Timestamped signatures against a real RFC 3161 timestamp authority over HTTP (tests/timestamp_authority.py).

PAdES B-T: the signature carries a timestamp token over its own value, issued by the test TSA; B-LT: the
certificates and the root's CRL embedded in a document security store, enough to validate offline. A TSA that is
down, answers garbage, an HTTP error or a refusal: the document is signed B-B and says why. PDF/A-2b properties
hold on every one of these files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from service.documents import service, signing
from service.settings import Settings, SettingsError
from tests import timestamp_authority
from tests.pdfa_checks import assert_fonts_embedded, assert_pdfa_metadata
from tests.signing_certs import PASSPHRASE, SigningCa, make_ca
from tests.timestamp_authority import TimestampAuthority
from tests.unit.test_documents import _doc

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
VALID_FROM, VALID_TO = NOW - dt.timedelta(days=400), NOW + dt.timedelta(days=30)


@pytest.fixture(scope="module")
def p12(ca: SigningCa, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An agency certificate naming no revocation data (as the self-signed test PKI first had it)."""
    folder = tmp_path_factory.mktemp("certs")
    return ca.issue_pkcs12(folder / "skhcn.p12", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", not_before=VALID_FROM, not_after=VALID_TO)


@pytest.fixture(scope="module")
def published_p12(ca: SigningCa, tsa: TimestampAuthority, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An agency certificate whose CRL distribution point is the test root's CRL, served by the test TSA."""
    folder = tmp_path_factory.mktemp("certs")
    return ca.issue_pkcs12(
        folder / "qltt.p12", "CHI CỤC QUẢN LÝ THỊ TRƯỜNG", not_before=VALID_FROM, not_after=VALID_TO,
        crl_url=tsa.crl_url,
    )  # fmt: skip


def _stamped(p12: Path, url: str) -> tuple[bytes, service.Signature]:
    return service.produce(_doc(), (p12, PASSPHRASE), NOW, signing.Timestamping(url, timeout=5))


def _status(pdf: bytes, root: object, ts_root: object | None = None) -> PdfSignatureStatus:
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[root])
    ts_context = ValidationContext(trust_roots=[ts_root or root])
    return validate_pdf_signature(signature, context, ts_validation_context=ts_context)


def test_with_a_timestamp_authority_the_signature_is_b_t_and_validates(
    ca: SigningCa, tsa: TimestampAuthority, p12: Path
):
    before = dt.datetime.now(dt.UTC)
    pdf, signature = _stamped(p12, tsa.url)
    assert signature.level == "B-T" and signature.timestamp_problem is None
    assert signature.header == f"signed; serial={signature.serial}; level=B-T"
    assert "/tsa" in tsa.requests

    status = _status(pdf, ca.trust_root)
    assert (status.bottom_line, status.intact, status.trusted) == (True, True, True)
    stamp = status.timestamp_validity
    assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    assert stamp.signing_cert.dump() == tsa.tsa_cert.dump()  # issued by the test TSA, not someone else
    assert before - dt.timedelta(seconds=1) <= stamp.timestamp <= dt.datetime.now(dt.UTC)
    assert_pdfa_metadata(pdf, NOW)
    assert_fonts_embedded(pdf, "ỘÒÃỦĨỆĐạơụ")


def test_the_timestamp_token_covers_the_signature_value(tsa: TimestampAuthority, p12: Path):
    pdf, _ = _stamped(p12, tsa.url)
    signer_info = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signer_info
    token = find_unique_cms_attribute(signer_info["unsigned_attrs"], "signature_time_stamp_token")
    tst_info = token["content"]["encap_content_info"]["content"].parsed
    imprint = tst_info["message_imprint"]
    assert imprint["hash_algorithm"]["algorithm"].native == "sha256"
    assert imprint["hashed_message"].native == hashlib.sha256(signer_info["signature"].native).digest()
    assert tst_info["tsa"].chosen.native == tsa.tsa_cert.subject.native


def test_the_timestamp_validates_against_the_tsa_certificate_and_not_another_root(
    ca: SigningCa, tsa: TimestampAuthority, p12: Path
):
    pdf, _ = _stamped(p12, tsa.url)
    trusted_tsa = _status(pdf, ca.trust_root, ts_root=tsa.tsa_cert).timestamp_validity
    assert trusted_tsa is not None and trusted_tsa.valid and trusted_tsa.trusted
    stranger = _status(pdf, ca.trust_root, ts_root=make_ca().trust_root).timestamp_validity
    assert stranger is not None and stranger.intact and not stranger.trusted


def test_one_changed_byte_breaks_a_timestamped_signature(ca: SigningCa, tsa: TimestampAuthority, p12: Path):
    pdf, _ = _stamped(p12, tsa.url)
    changed = bytearray(pdf)
    changed[pdf.index(b"ReportLab Generated")] = ord("r")  # one byte of the signed range
    status = _status(bytes(changed), ca.trust_root)
    assert (status.bottom_line, status.intact) == (False, False)


def test_with_fetchable_revocation_data_the_signature_is_b_lt_and_validates_offline(
    ca: SigningCa, tsa: TimestampAuthority, published_p12: Path
):
    pdf, signature = _stamped(published_p12, tsa.url)
    assert signature.level == "B-LT" and signature.header.endswith("; level=B-LT")
    assert "/root.crl" in tsa.requests

    reader = PdfFileReader(io.BytesIO(pdf))
    dss = DocumentSecurityStore.read_dss(reader)
    assert len(dss.crls) >= 1 and len(dss.certs) >= 2  # the root's CRL; the agency's, the TSA's certificates
    # Offline (no fetching), revocation data required for every certificate: only what the file embeds.
    offline = {"trust_roots": [ca.trust_root], "allow_fetching": False, "revocation_mode": "require"}
    status = validate_pdf_signature(
        reader.embedded_signatures[0],
        dss.as_validation_context(offline),
        ts_validation_context=dss.as_validation_context(offline),
    )
    assert (status.bottom_line, status.intact, status.trusted) == (True, True, True)
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert_pdfa_metadata(pdf, NOW)
    assert_fonts_embedded(pdf, "ỘÒÃỦĨỆĐạơụ")


def test_without_the_embedded_crl_the_same_offline_check_fails(ca: SigningCa, tsa: TimestampAuthority, p12: Path):
    """The B-LT check above means something: a B-T file has no revocation data, so it fails offline."""
    pdf, _ = _stamped(p12, tsa.url)
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[ca.trust_root], allow_fetching=False, revocation_mode="require", crls=[])
    assert validate_pdf_signature(signature, context).bottom_line is False


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        ("down", "tsa_unreachable"),
        ("garbage", "tsa_bad_answer"),
        ("error", "tsa_bad_answer"),
        ("refuse", "tsa_bad_answer"),
    ],
)
def test_when_the_tsa_fails_the_document_is_signed_b_b_and_says_why(
    ca: SigningCa, tsa: TimestampAuthority, p12: Path, where: str, problem: str
):
    url = timestamp_authority.down_url() if where == "down" else tsa.path(where)
    pdf, signature = _stamped(p12, url)
    assert signature.signed and signature.level == "B-B" and signature.timestamp_problem == problem
    assert signature.header == f"signed; serial={signature.serial}; level=B-B; timestamp={problem}"
    status = _status(pdf, ca.trust_root)
    assert status.bottom_line and status.timestamp_validity is None
    assert len(PdfFileReader(io.BytesIO(pdf)).embedded_signatures) == 1
    assert_pdfa_metadata(pdf, NOW)


def test_without_a_tsa_configured_the_signature_is_b_b_with_no_problem(p12: Path):
    _, signature = service.produce(_doc(), (p12, PASSPHRASE), NOW)
    assert signature.level == "B-B" and signature.timestamp_problem is None
    assert signature.header == f"signed; serial={signature.serial}; level=B-B"


def test_settings_read_the_timestamp_authority(tmp_path: Path):
    base = {"SECRET_KEY": "k" * 40, "IPCOORD_DATA_DIR": str(tmp_path)}
    assert service.timestamping(Settings.from_env(base)) is None
    settings = Settings.from_env({**base, "SIGNING_TSA_URL": "https://tsa.example.vn/tsa", "SIGNING_TSA_TIMEOUT": "3"})
    assert service.timestamping(settings) == signing.Timestamping("https://tsa.example.vn/tsa", 3)
    assert Settings.from_env({**base, "SIGNING_TSA_URL": "http://10.0.0.5:8080/"}).signing_tsa_timeout == 10
    for bad in ("ftp://tsa.example.vn", "tsa.example.vn", "http://"):
        with pytest.raises(SettingsError, match="SIGNING_TSA_URL"):
            Settings.from_env({**base, "SIGNING_TSA_URL": bad})
    with pytest.raises(SettingsError, match="SIGNING_TSA_TIMEOUT"):
        Settings.from_env({**base, "SIGNING_TSA_URL": "http://tsa", "SIGNING_TSA_TIMEOUT": "0"})
