"""A timestamp authority configured (SIGNING_TSA_URL): the signed report over HTTP is PAdES B-T, and when the TSA
is down it is still produced, signed B-B, saying so in its header and in the register — never a 500."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import local_day, now
from service.settings import Settings
from tests import timestamp_authority
from tests.builders import logged_in
from tests.signing_certs import PASSPHRASE, SigningCa
from tests.timestamp_authority import TimestampAuthority

ROUTE = f"/api/reports/yearly/signed?year={local_day(now()).year}"


def _app(settings: Settings, ca: SigningCa, folder: Path, tsa_url: str) -> Litestar:
    moment = dt.datetime.now(dt.UTC)
    p12 = ca.issue_pkcs12(
        folder / "skhcn.p12", "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LAI CHÂU", not_before=moment - dt.timedelta(days=400),
        not_after=moment + dt.timedelta(days=30),
    )  # fmt: skip
    return create_app(
        msgspec.structs.replace(
            settings, signing_by_agency=(("SKHCN", p12, PASSPHRASE),), signing_tsa_url=tsa_url, signing_tsa_timeout=5
        )
    )


async def test_with_a_timestamp_authority_the_report_is_signed_b_t(
    settings: Settings, db: AsyncSession, ca: SigningCa, tsa: TimestampAuthority, tmp_path: Path
):
    async with AsyncTestClient(app=_app(settings, ca, tmp_path, tsa.url)) as client:
        await logged_in(client, db, role="coordinator", agency="SKHCN")
        response = await client.get(ROUTE)
        assert response.status_code == 200, response.text
        header = response.headers["x-document-signature"]
        assert header.startswith("signed; serial=") and header.endswith("; level=B-T")
        signature = PdfFileReader(io.BytesIO(response.content)).embedded_signatures[0]
        status = await async_validate_pdf_signature(
            signature, ValidationContext(trust_roots=[ca.trust_root]),
            ts_validation_context=ValidationContext(trust_roots=[ca.trust_root]),
        )  # fmt: skip
        assert status.bottom_line and status.timestamp_validity is not None and status.timestamp_validity.trusted
        [entry] = (await client.get("/api/documents")).json()
        assert entry["latest_file"]["signature"]["level"] == "B-T"
        assert entry["latest_file"]["signature"]["timestamp_problem"] is None


async def test_with_the_timestamp_authority_down_the_report_is_signed_b_b_and_says_so(
    settings: Settings, db: AsyncSession, ca: SigningCa, tmp_path: Path
):
    async with AsyncTestClient(app=_app(settings, ca, tmp_path, timestamp_authority.down_url())) as client:
        await logged_in(client, db, role="coordinator", agency="SKHCN")
        response = await client.get(ROUTE)
        assert response.status_code == 200, response.text
        header = response.headers["x-document-signature"]
        assert header.startswith("signed; serial=") and header.endswith("; level=B-B; timestamp=tsa_unreachable")
        signature = PdfFileReader(io.BytesIO(response.content)).embedded_signatures[0]
        status = await async_validate_pdf_signature(signature, ValidationContext(trust_roots=[ca.trust_root]))
        assert status.bottom_line and status.timestamp_validity is None
        [entry] = (await client.get("/api/documents")).json()
        assert entry["latest_file"]["signature"]["signed"] is True
        assert entry["latest_file"]["signature"]["level"] == "B-B"
        assert entry["latest_file"]["signature"]["timestamp_problem"] == "tsa_unreachable"
