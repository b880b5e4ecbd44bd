"""Outgoing documents without a database: Decree 30's layout, the PDF/A parts we can check, PAdES and its failures.

What is checked of PDF/A-2b here (veraPDF is not run; docs/documents.md): the XMP identification, Info/XMP
agreement, an unfiltered metadata stream, the sRGB output intent, every font embedded with the Vietnamese
letters it shows, no encryption, a trailer ID.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from reportlab.pdfbase import pdfmetrics

from service.documents import model, render, service
from service.settings import Settings, SettingsError
from tests.pdfa_checks import assert_fonts_embedded, assert_pdfa_metadata
from tests.signing_certs import PASSPHRASE, SigningCa, make_ca

# Signed "now" (pyHanko's validator checks the certificate at the time of validation, which is now).
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
VALID_FROM, VALID_TO = NOW - dt.timedelta(days=400), NOW + dt.timedelta(days=30)


@pytest.fixture(scope="module")
def p12(ca: SigningCa, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("certs")
    return ca.issue_pkcs12(folder / "skhcn.p12", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", not_before=VALID_FROM, not_after=VALID_TO)


def _doc(**overrides: object) -> model.Document:
    fields: dict[str, object] = {
        "superior": "UBND TỈNH LAI CHÂU",
        "agency": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "number": 5,
        "symbol": "BC-SKHCN",
        "place": "Lai Châu",
        "issued_on": dt.date(2026, 1, 5),
        "kind": "BÁO CÁO",
        "summary": "Kết quả công tác thực thi quyền sở hữu trí tuệ năm 2025",
        "body": [
            model.Paragraph("Sở Khoa học và Công nghệ báo cáo kết quả như sau: " * 4),
            model.TableBlock("Tổng hợp", ["Chỉ tiêu", "Số lượng"], [["Vụ việc", "12"]], numeric=[False, True]),
        ],
        "recipients": ["Cục Sở hữu trí tuệ;", "Lưu: VT."],
        "signer": model.Signer(["GIÁM ĐỐC"], "Trần Thị Lụa"),
    }
    return model.Document(**{**fields, **overrides})  # type: ignore[arg-type]


def _validate(pdf: bytes, ca: SigningCa) -> tuple[bool, bool, bool]:
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[ca.trust_root]))
    return status.bottom_line, status.intact, status.trusted


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_number_and_date_are_written_as_decree_30_asks():
    assert _doc().number_line == "Số: 05/BC-SKHCN"
    assert _doc(number=112).number_line == "Số: 112/BC-SKHCN"
    assert _doc().place_and_date == "Lai Châu, ngày 05 tháng 01 năm 2026"
    assert _doc(issued_on=dt.date(2026, 3, 15)).place_and_date == "Lai Châu, ngày 15 tháng 3 năm 2026"


def test_the_page_carries_every_part_of_the_administrative_layout(p12: Path):
    pdf, _ = service.produce(_doc(), (p12, PASSPHRASE), NOW)
    lines = [line.strip() for line in _text(pdf).splitlines()]
    for expected in (
        "UBND TỈNH LAI CHÂU",
        model.NATIONAL_NAME,  # on one line
        model.MOTTO,
        "Số: 05/BC-SKHCN",
        "Lai Châu, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Kết quả công tác thực thi quyền sở hữu trí tuệ năm 2025",
        "Nơi nhận:",
        "- Cục Sở hữu trí tuệ;",
        "GIÁM ĐỐC",
        "Trần Thị Lụa",
    ):
        assert expected in lines, expected
    # Agency and number top-left, motto top-right: read left column first, then the right one, above the title.
    assert lines.index("Số: 05/BC-SKHCN") < lines.index(model.NATIONAL_NAME) < lines.index("BÁO CÁO")


def test_a_letter_has_its_summary_under_the_number_and_its_addressees():
    letter = _doc(kind=None, summary="đề nghị gỡ bỏ nội dung xâm phạm", addressees=["Công ty TNHH Sàn Thử"])
    pdf, _ = service.produce(letter, (None, ""), NOW)
    text = " ".join(_text(pdf).split())
    assert "V/v đề nghị gỡ bỏ nội dung xâm phạm" in text
    assert "Kính gửi: Công ty TNHH Sàn Thử" in text


def test_pdfa_identification_metadata_and_output_intent(p12: Path):
    pdf, _ = service.produce(_doc(), (p12, PASSPHRASE), NOW)
    assert_pdfa_metadata(pdf, NOW)


def test_every_font_is_embedded_and_holds_the_vietnamese_letters_shown():
    pdf, _ = service.produce(_doc(), (None, ""), NOW)
    assert_fonts_embedded(pdf, "ỘÒÃỦĨỆĐạơụ")  # from the national name, the motto, "Nơi nhận", "Lụa"


def test_a_signed_document_validates_against_the_test_root_and_a_changed_byte_breaks_it(ca: SigningCa, p12: Path):
    pdf, signature = service.produce(_doc(), (p12, PASSPHRASE), NOW)
    assert signature.signed and signature.header.startswith("signed; serial=")
    assert _validate(pdf, ca) == (True, True, True)
    assert "Văn bản đã được ký số bởi:" in _text(pdf)

    changed = bytearray(pdf)
    changed[pdf.index(b"ReportLab Generated")] = ord("r")  # one byte of the signed range
    assert _validate(bytes(changed), ca)[:2] == (False, False)


def test_the_signature_is_not_trusted_without_its_root(p12: Path):
    pdf, _ = service.produce(_doc(), (p12, PASSPHRASE), NOW)
    assert _validate(pdf, make_ca())[2] is False


@pytest.mark.parametrize(
    ("credential", "at", "reason", "line"),
    [
        ("expired", VALID_TO + dt.timedelta(days=1), "expired", f"chứng thư số đã hết hạn ngày {VALID_TO:%Y-%m-%d}"),
        ("expired", VALID_FROM - dt.timedelta(days=1), "not_yet_valid", f"có hiệu lực từ ngày {VALID_FROM:%Y-%m-%d}"),
        ("wrong", NOW, "unreadable", "không mở được tệp chứng thư số"),
        ("missing", NOW, "missing", "không tìm thấy tệp chứng thư số"),
        ("none", NOW, "no_certificate", "chưa cấu hình chứng thư số cho cơ quan"),
    ],
)
def test_without_a_usable_certificate_the_document_is_unsigned_and_says_so(
    p12: Path, credential: str, at: dt.datetime, reason: str, line: str
):
    given = {
        "expired": (p12, PASSPHRASE),
        "wrong": (p12, "not-the-passphrase"),
        "missing": (p12.with_name("gone.p12"), PASSPHRASE),
        "none": (None, ""),
    }[credential]
    pdf, signature = service.produce(_doc(), given, at)
    assert not signature.signed and signature.header == f"unsigned; reason={reason}"
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    text = " ".join(_text(pdf).split())
    assert "VĂN BẢN CHƯA ĐƯỢC KÝ SỐ:" in text and line in text and "NOT DIGITALLY SIGNED" in text


def test_settings_give_each_agency_its_certificate_or_the_default(tmp_path: Path):
    env = {
        "SECRET_KEY": "k" * 40,
        "IPCOORD_DATA_DIR": str(tmp_path),
        "SIGNING_PKCS12": "/etc/ipcoord/default.p12",
        "SIGNING_PASSPHRASE": "default-pass",
        "SIGNING_PKCS12_BY_AGENCY": "QLTT=/etc/ipcoord/qltt.p12, SKHCN=/etc/ipcoord/skhcn.p12",
        "SIGNING_PASSPHRASE_QLTT": "qltt-pass",
    }
    settings = Settings.from_env(env)
    assert settings.signing_credential("QLTT") == (Path("/etc/ipcoord/qltt.p12"), "qltt-pass")
    assert settings.signing_credential("SKHCN") == (Path("/etc/ipcoord/skhcn.p12"), "default-pass")
    assert settings.signing_credential("HQ") == (Path("/etc/ipcoord/default.p12"), "default-pass")
    assert Settings.from_env({"SECRET_KEY": "k" * 40, "IPCOORD_DATA_DIR": str(tmp_path)}).signing_credential("HQ") == (
        None,
        "",
    )
    with pytest.raises(SettingsError, match="SIGNING_PKCS12_BY_AGENCY"):
        Settings.from_env({**env, "SIGNING_PKCS12_BY_AGENCY": "QLTT"})


def test_a_wide_table_fits_the_page_without_splitting_a_word_or_a_number():
    header = ["Mã", "Tên đơn vị", "Số vụ", "Điểm z Gi* (Getis-Ord, trọng số nhị phân kề cả chính đơn vị)", "Tỷ lệ"]
    rows = [["03408", "Phường Tân Phong", "12", "2,35", "88,9 %"]]
    block = model.TableBlock("Điểm nóng", header, rows, numeric=[False, False, True, True, True])
    widths = render._widths(block)
    assert sum(widths) <= render.WIDTH + 0.01
    for i, width in enumerate(widths):
        words = [*header[i].split(), *(rows[0][i].split() if i < 2 else [rows[0][i]])]
        assert all(pdfmetrics.stringWidth(w, render.BOLD, 8.5) + 14 <= width + 0.01 for w in words), header[i]
