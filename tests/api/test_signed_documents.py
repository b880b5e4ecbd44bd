"""The yearly report as a signed administrative document over HTTP, and the register of outgoing documents."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import msgspec
import pypdf
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import local_day, now
from service.settings import Settings
from tests.builders import logged_in
from tests.signing_certs import PASSPHRASE, SigningCa

YEAR = str(local_day(now()).year)
ROUTE = f"/api/reports/yearly/signed?year={YEAR}"


def _app(settings: Settings, ca: SigningCa, folder: Path, *, days_left: int) -> Litestar:
    moment = dt.datetime.now(dt.UTC)
    p12 = ca.issue_pkcs12(
        folder / "skhcn.p12",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LAI CHÂU",
        not_before=moment - dt.timedelta(days=400),
        not_after=moment + dt.timedelta(days=days_left),
    )
    signing = (("SKHCN", p12, PASSPHRASE),)
    return create_app(msgspec.structs.replace(settings, signing_by_agency=signing))


async def _verdict(pdf: bytes, ca: SigningCa) -> bool:
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[ca.trust_root])
    return bool((await async_validate_pdf_signature(signature, context)).bottom_line)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


async def test_the_coordinator_gets_the_yearly_report_signed_by_the_agency_certificate(
    settings: Settings, db: AsyncSession, ca: SigningCa, tmp_path: Path
):
    async with AsyncTestClient(app=_app(settings, ca, tmp_path, days_left=30)) as client:
        await logged_in(client, db, role="coordinator", agency="SKHCN")
        response = await client.get(ROUTE + "&signer_name=Trần Thị Lụa")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["x-document-signature"].startswith("signed; serial=")
        assert response.headers["x-document-signature"].endswith("; level=B-B")  # no timestamp authority configured
        pdf = response.content
        assert await _verdict(pdf, ca)
        changed = bytearray(pdf)
        changed[pdf.index(b"ReportLab Generated")] ^= 0x20
        assert not await _verdict(bytes(changed), ca)

        text = _text(pdf)
        for part in ("UBND TỈNH LAI CHÂU", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 01/BC-SKHCN", "BÁO CÁO", "Tổng hợp"):
            assert part in text, part
        assert f"Kết quả công tác thực thi quyền sở hữu trí tuệ năm {YEAR}" in text
        assert "GIÁM ĐỐC Văn bản đã được ký số bởi" in text and "Trần Thị Lụa" in text

        # Downloaded again: the same document, the same number; the register keeps both files.
        again = await client.get(ROUTE)
        assert "Số: 01/BC-SKHCN" in _text(again.content)
        assert response.headers["x-document-number"] == again.headers["x-document-number"] == "01/BC-SKHCN"
        register = (await client.get("/api/documents")).json()
        assert [(d["number"], d["subject"]) for d in register] == [("01/BC-SKHCN", f"report:yearly:{YEAR}:2025")]
        assert register[0]["latest_file"]["signature"]["signed"] is True
        assert register[0]["latest_file"]["signature"]["level"] == "B-B"
        assert "SỞ KHOA HỌC" in register[0]["latest_file"]["signature"]["certificate_subject"]


async def test_without_a_certificate_the_report_is_unsigned_and_says_so_everywhere(
    client: AsyncTestClient[Litestar], db: AsyncSession
):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    response = await client.get(ROUTE)
    assert response.status_code == 200, response.text
    assert response.headers["x-document-signature"] == "unsigned; reason=no_certificate"
    assert PdfFileReader(io.BytesIO(response.content)).embedded_signatures == []
    assert "VĂN BẢN CHƯA ĐƯỢC KÝ SỐ: chưa cấu hình chứng thư số cho cơ quan" in _text(response.content)
    [entry] = (await client.get("/api/documents")).json()
    assert entry["latest_file"]["signature"] == {
        "signed": False,
        "unsigned_reason": "no_certificate",
        "certificate_subject": None,
        "certificate_serial": None,
        "level": None,
        "timestamp_problem": None,
    }


async def test_an_expired_certificate_leaves_the_report_unsigned_with_the_reason(
    settings: Settings, db: AsyncSession, ca: SigningCa, tmp_path: Path
):
    async with AsyncTestClient(app=_app(settings, ca, tmp_path, days_left=-1)) as client:
        await logged_in(client, db, role="coordinator", agency="SKHCN")
        response = await client.get(ROUTE)
        assert response.headers["x-document-signature"] == "unsigned; reason=expired"
        assert "chứng thư số đã hết hạn ngày" in _text(response.content)


async def test_only_coordinators_get_the_signed_report(client: AsyncTestClient[Litestar], db: AsyncSession):
    await logged_in(client, db, role="inspector", agency="QLTT")
    assert (await client.get(ROUTE)).status_code == 403
    register = await client.get("/api/documents")
    assert register.status_code == 200 and register.json() == []


async def test_bad_input_names_the_field(client: AsyncTestClient[Litestar], db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    future = await client.get(f"/api/reports/yearly/signed?year={int(YEAR) + 1}")
    assert future.status_code == 400 and future.json()["field"] == "year"
    long_title = await client.get(ROUTE + "&signer_title=" + "A" * 81)
    assert long_title.status_code == 400 and long_title.json()["field"] == "signer_title"
    assert (await client.get("/api/documents")).json() == []  # nothing registered for refused requests


async def test_the_reports_page_links_the_signed_document(client: AsyncTestClient[Litestar], db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    page = await client.get(f"/reports?year={YEAR}")
    assert page.status_code == 200
    assert f'href="/api/reports/yearly/signed?year={YEAR}&amp;generation=2025"' in page.text
    assert "Văn bản báo cáo ký số (PDF/A)" in page.text
