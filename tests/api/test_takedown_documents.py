"""The takedown request as the recording agency's signed letter: the issue's check, end to end over HTTP.

An inspector records an online incident with two URLs, captures each, sends a request to a registered platform;
the request's PDF verifies as signed by the agency's test certificate and fails after one byte changes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import msgspec
import pypdf
from litestar.testing import AsyncTestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import LOCAL_TZ
from service.settings import Settings
from tests.api.test_takedowns import LISTING, SAVED_PAGE, SHOP, Client, _capture, _online_incident, _platform, _request
from tests.builders import logged_in
from tests.signing_certs import PASSPHRASE, SigningCa, make_ca
from tests.unit.test_content_check import photo


async def _verdict(pdf: bytes, ca: SigningCa) -> bool:
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[ca.trust_root])
    return bool((await async_validate_pdf_signature(signature, context)).bottom_line)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


async def _sent_request(client: Client, db: AsyncSession, settings: Settings, *, send: bool = True) -> dict[str, str]:
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _online_incident(client, headers)
    shot = photo(image_format="PNG", gps=None)
    assert (await _capture(client, incident["id"], SHOP, shot, "a.png", headers)).is_success
    assert (await _capture(client, incident["id"], LISTING, SAVED_PAGE, "b.html", headers)).is_success
    body = _request(platform["id"], send=send)
    created = await client.post(f"/api/incidents/{incident['id']}/takedowns", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return dict(created.json())


async def test_the_sent_request_is_a_letter_signed_by_the_agency_certificate(
    settings: Settings, db: AsyncSession, tmp_path: Path
):
    ca, moment = make_ca(), dt.datetime.now(dt.UTC)
    p12 = ca.issue_pkcs12(
        tmp_path / "qltt.p12",
        "CHI CỤC QUẢN LÝ THỊ TRƯỜNG TỈNH LAI CHÂU",
        not_before=moment - dt.timedelta(days=30),
        not_after=moment + dt.timedelta(days=30),
    )
    signing = msgspec.structs.replace(settings, signing_by_agency=(("QLTT", p12, PASSPHRASE),))
    async with AsyncTestClient(app=create_app(signing)) as client:
        request = await _sent_request(client, db, settings)
        response = await client.get(f"/api/takedowns/{request['id']}/document?signer_name=Lò Văn Páo")
        assert response.status_code == 200, response.text
        assert response.headers["x-document-signature"].startswith("signed; serial=")
        number = request["number"]  # stored as the letter prints it, Decree 30's leading zero included
        assert number == f"01/{dt.datetime.now(LOCAL_TZ).year}/YCGG-QLTT"
        assert response.headers["x-document-number"] == number
        assert f"yeu-cau-go-bo_{number.replace('/', '-')}.pdf" in response.headers["content-disposition"]
        pdf = response.content
        assert await _verdict(pdf, ca)
        changed = bytearray(pdf)
        changed[pdf.index(b"ReportLab Generated")] ^= 0x20
        assert not await _verdict(bytes(changed), ca)

        text = _text(pdf)
        for part in (
            "SỞ CÔNG THƯƠNG",  # the agency's superior, from the data
            "CHI CỤC QUẢN LÝ THỊ TRƯỜNG",
            f"Số: {number}",
            "V/v đề nghị xử lý nội dung xâm phạm",
            "Kính gửi: Shopee (legal@shopee.vn)",
            "Căn cứ Nghị định 17/2023/NĐ-CP, Điều 113;",
            SHOP,
            LISTING,
            "gỡ bỏ nội dung; cung cấp thông tin người bán",
            "Shop.HangGia",
            "THỦ TRƯỞNG CƠ QUAN",
            "Lò Văn Páo",
            "Văn bản đã được ký số bởi",
        ):
            assert part in text, part

        [entry] = (await client.get("/api/documents")).json()
        assert entry["number"] == number and entry["subject"] == f"takedown:{request['id']}"
        page = await client.get(f"/takedowns/{request['id']}", headers={"Accept": "text/html"})
        assert f"Yêu cầu gỡ bỏ {number}" in page.text
        listed = await client.get("/takedowns", headers={"Accept": "text/html"})
        assert f">{number}</a>" in listed.text
        assert entry["latest_file"]["signature"]["signed"] is True


async def test_a_draft_request_is_unnumbered_and_unsigned_and_says_so(
    client: Client, db: AsyncSession, settings: Settings
):
    request = await _sent_request(client, db, settings, send=False)
    page = await client.get(f"/takedowns/{request['id']}")
    assert f'href="/api/takedowns/{request["id"]}/document"' in page.text and "Xem dự thảo văn bản" in page.text
    response = await client.get(f"/api/takedowns/{request['id']}/document")
    assert response.status_code == 200, response.text
    assert response.headers["x-document-signature"] == "unsigned; reason=draft"
    assert "x-document-number" not in response.headers  # a draft has no number yet
    assert PdfFileReader(io.BytesIO(response.content)).embedded_signatures == []
    assert "dự thảo, chưa gửi nên chưa có số và chưa ký" in _text(response.content)
    assert (await client.get("/api/documents")).json() == []  # a draft is not an issued document


async def test_without_a_certificate_the_sent_request_is_unsigned_and_says_why(
    client: Client, db: AsyncSession, settings: Settings
):
    request = await _sent_request(client, db, settings)
    response = await client.get(f"/api/takedowns/{request['id']}/document")
    assert response.headers["x-document-signature"] == "unsigned; reason=no_certificate"
    assert "VĂN BẢN CHƯA ĐƯỢC KÝ SỐ" in _text(response.content)


async def test_only_the_recording_agency_produces_its_letter(settings: Settings, db: AsyncSession):
    async with AsyncTestClient(app=create_app(settings)) as qltt:
        request = await _sent_request(qltt, db, settings)
    async with AsyncTestClient(app=create_app(settings)) as coordinator:
        await logged_in(coordinator, db, role="coordinator", agency="SKHCN")
        assert (await coordinator.get(f"/api/takedowns/{request['id']}")).status_code == 200  # sees it
        page = await coordinator.get(f"/takedowns/{request['id']}")
        assert page.status_code == 200 and "/document" not in page.text  # not theirs to issue
        refused = await coordinator.get(f"/api/takedowns/{request['id']}/document")
        assert refused.status_code == 403 and refused.json()["code"] == "takedown.wrong_agency"
