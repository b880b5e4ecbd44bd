"""No input makes the service fail: NUL and control characters, bad UTF-8, huge and deep bodies, lax numbers.

Each refusal is a 400 (or 413) of the error contract naming the field in both languages, and nothing stored
changes.
"""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.incidents.models import Incident
from tests.builders import logged_in
from tests.import_fixtures import csv_text
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def assert_refused(response: Any, field: str, code: str = "field.control_character", status: int = 400) -> None:
    assert response.status_code == status, response.text
    error = response.json()
    assert error["code"] == code
    assert error["field"] == field
    assert f"`{field}`" in error["message_vi"] and f"`{field}`" in error["message_en"]
    assert error["message_vi"] != error["message_en"]
    assert error["errors"][0]["field"] == field


async def count_incidents(db: AsyncSession) -> int:
    return int((await db.execute(select(func.count()).select_from(Incident))).scalar_one())


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/incidents?q=chè%00", "q"),
        ("/api/incidents?agency=%00", "agency"),
        ("/api/sanctions?q=%00", "q"),
        ("/api/referrals/inbox?agency=%00", "agency"),
        ("/api/referrals/export?agency=%00", "agency"),
        ("/api/maps/choropleth?agency=%00", "agency"),
        ("/api/incidents?q=a%1Fb", "q"),
        ("/api/incidents?q=a%09b", "q"),  # a tab has no place in a parameter
        ("/api/admin-units/2025/03%00388", "code"),
    ],
)
async def test_a_nul_or_control_character_in_a_parameter_is_a_400_naming_it(
    client: Client, db: AsyncSession, path: str, field: str
):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    assert_refused(await client.get(path), field)


async def test_invalid_utf8_and_over_long_parameters_are_refused(client: Client, db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    assert_refused(await client.get("/api/incidents?q=%C3%28"), "q", "field.invalid_encoding")
    assert_refused(await client.get("/api/incidents?q=%ED%A0%80"), "q", "field.invalid_encoding")  # a surrogate
    assert_refused(await client.get("/api/incidents?q=" + "a" * 2001), "q", "field.too_long")
    assert (await client.get("/api/incidents?q=" + "chè" * 50)).status_code == 200


async def test_nul_in_the_login_username_is_refused_before_the_rate_limit_counts(client: Client, db: AsyncSession):
    response = await client.post("/api/auth/login", json={"username": "demo\u0000", "password": "x"})
    assert_refused(response, "username")


@pytest.mark.parametrize("field", ["summary", "violator.name", "goods[1].description", "team"])
async def test_nul_in_any_text_of_a_recorded_incident_stores_nothing(client: Client, db: AsyncSession, field: str):
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    sent = body("seizure")
    target: Any = sent
    *parents, last = field.replace("[1]", ".1").split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = "Sâm\u0000Lai Châu"
    before = await count_incidents(db)
    assert_refused(await client.post("/api/incidents", json=sent, headers=headers), field)
    assert await count_incidents(db) == before


async def test_free_text_keeps_its_lines_and_tabs(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    response = await client.post(
        "/api/incidents", json=body("seizure", summary="Dòng 1\r\nDòng 2\tcột"), headers=headers
    )
    assert response.status_code == 201, response.text
    stored = (await client.get(f"/api/incidents/{response.json()['id']}")).json()
    assert stored["data"]["summary"] == "Dòng 1\r\nDòng 2\tcột"


async def test_an_escaped_backslash_is_not_mistaken_for_a_control_character(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    raw = json.dumps(body("seizure", summary="C:\\u0000 là chữ, không phải NUL")).encode()
    response = await client.post("/api/incidents", content=raw, headers={**headers, "content-type": "application/json"})
    assert response.status_code == 201, response.text
    stored = (await client.get(f"/api/incidents/{response.json()['id']}")).json()
    assert stored["data"]["summary"] == "C:\\u0000 là chữ, không phải NUL"


@pytest.mark.parametrize("value", ["1500000", 1500000.0, True])
async def test_an_integer_field_takes_only_an_integer(client: Client, db: AsyncSession, value: Any):
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    sent = body("seizure")
    sent["goods"][0]["unit_price_vnd"] = value
    before = await count_incidents(db)
    response = await client.post("/api/incidents", json=sent, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "goods[0].unit_price_vnd"
    assert response.json()["code"] == "field.type"
    assert await count_incidents(db) == before


async def test_a_10_mb_body_is_a_413_and_a_10000_deep_body_a_400(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    json_headers = {**headers, "content-type": "application/json"}
    huge = b'{"summary": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    response = await client.post("/api/incidents", content=huge, headers=json_headers)
    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"
    deep = b'{"kind": "seizure", "x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    response = await client.post("/api/incidents", content=deep, headers=json_headers)
    assert response.status_code == 400
    assert response.json()["code"] in ("request.too_deep", "field.unknown")


async def test_limit_beyond_any_integer_and_an_id_beyond_bigint_are_client_errors(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="admin", agency="SKHCN")
    response = await client.get(f"/api/incidents?limit={10**20}")
    assert response.status_code == 400
    assert response.json()["field"] == "limit"
    response = await client.post(f"/api/admin/notifications/{10**25}/replay", headers=headers)
    assert response.status_code == 404


async def test_an_unknown_query_parameter_is_ignored(client: Client, db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    response = await client.get("/api/incidents?no_such_filter=1")
    assert response.status_code == 200


async def test_nul_in_a_header_the_service_reads_is_refused(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    response = await client.post(
        "/api/incidents", json=body("seizure"), headers={**headers, "Idempotency-Key": "abc\x00def"}
    )
    assert_refused(response, "Idempotency-Key")


def workbook(*rows: list[Any]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_a_control_character_in_a_spreadsheet_cell_is_refused_at_upload_naming_the_cell(
    client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    content = workbook(["Ngày", "Hàng hóa"], ["02/03/2024", "Sâm\x9bLai Châu"])  # a C1 control XML allows
    response = await client.post("/api/imports", files={"file": ("so.xlsx", content, XLSX)}, headers=headers)
    assert_refused(response, "file[B2]")
    # A CSV holding a control character is not text at all: refused by content (415), as before.
    content = csv_text([["Ngày", "Hàng hóa"], ["02/03/2024", "Sâm\x00Lai Châu"]]).encode()
    response = await client.post("/api/imports", files={"file": ("so.csv", content, "text/csv")}, headers=headers)
    assert response.status_code == 415


async def test_nul_in_a_multipart_file_name_is_refused(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    parts = (
        b"--b0undary\r\n"
        b'Content-Disposition: form-data; name="file"; filename="so\x00.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n"
        b"Ng\xc3\xa0y\r\n02/03/2024\r\n"
        b"--b0undary--\r\n"
    )
    response = await client.post(
        "/api/imports",
        content=parts,
        headers={**headers, "content-type": "multipart/form-data; boundary=b0undary"},
    )
    assert_refused(response, "file")


async def test_a_page_form_with_nul_answers_an_error_page_in_the_readers_language(client: Client, db: AsyncSession):
    response = await client.post(
        "/login",
        data={"username": "demo\x00", "password": "x"},
        headers={"Accept": "text/html", "Cookie": "ipcoord_lang=en"},
    )
    assert response.status_code in (400, 403)  # the boundary, or CSRF first for a browser without a token
    assert "text/html" in response.headers["content-type"]
