"""Exports of the incident and referral lists: the list's rows, scope and redaction, as CSV and as XLSX."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from typing import Any
from xml.etree import ElementTree

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import local_day, now
from service.settings import Settings
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]
BOM = b"\xef\xbb\xbf"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read_csv(content: bytes) -> list[list[str]]:
    """The rows of a CSV export (the BOM checked and removed)."""
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8"))))


def _column(ref: str) -> int:
    index = 0
    for letter in re.match(r"[A-Z]+", ref).group(0):  # type: ignore[union-attr]
        index = index * 26 + ord(letter) - 64
    return index - 1


def _cell(cell: ElementTree.Element, shared: list[str]) -> Any:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iterfind(".//m:t", NS))
    value = cell.findtext("m:v", namespaces=NS)
    if kind == "s":
        return shared[int(value or 0)]
    if kind == "str":
        return value
    return float(value) if value is not None else None


def read_xlsx(content: bytes) -> list[list[Any]]:
    """The first sheet's cells (strings as text, numbers as float) without openpyxl, which is not installed."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        names = book.namelist()
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314 (our own file)
            shared = ["".join(t.text or "" for t in si.iterfind(".//m:t", NS)) for si in root.iterfind("m:si", NS)]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))  # noqa: S314 (our own file)
    rows = []
    for row in sheet.iterfind(".//m:sheetData/m:row", NS):
        values: dict[int, Any] = {_column(c.get("r", "A1")): _cell(c, shared) for c in row.iterfind("m:c", NS)}
        rows.append([values.get(i) for i in range(max(values) + 1)] if values else [])
    return rows


def excel_day(serial: float) -> date:
    """An Excel date serial (1900 system) as a date."""
    return date(1899, 12, 30) + timedelta(days=int(serial))


async def _record(client: Client, headers: dict[str, str], kind: str = "seizure", **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/incidents", json=body(kind, **overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_csv_export_has_the_lists_rows_for_the_same_filters(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    for _ in range(3):
        await _record(client, headers)
    await _record(client, headers, "advertising_violation")
    listed = (await client.get("/api/incidents", params={"kind": "seizure"})).json()["items"]
    response = await client.get("/api/incidents/export", params={"format": "csv", "kind": "seizure"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = read_csv(response.content)
    assert rows[0][:3] == ["Mã vụ việc", "Loại vụ việc", "Trạng thái"]
    assert [row[0] for row in rows[1:]] == [item["id"] for item in listed] and len(listed) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Loại vụ việc"] == "Kiểm tra, thu giữ hàng hóa vi phạm"
    assert first["Ngày xảy ra"] == "02/03/2026" and first["Giá trị hàng vi phạm (đồng)"] == "32000000"
    assert first["Đơn vị cấp xã 2025"] == "Phường Đoàn Kết" and first["Người vi phạm"] == "Hộ kinh doanh Lò Văn A"
    assert first["Số giấy tờ tùy thân của người vi phạm"] == "012345678901"


async def test_export_file_is_named_with_todays_date(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    response = await client.get("/api/incidents/export", params={"format": "xlsx"})
    today = local_day(now()).isoformat()
    assert response.headers["content-disposition"] == f'attachment; filename="vu-viec_{today}.xlsx"'
    assert response.headers["cache-control"] == "no-store"


async def test_xlsx_export_has_the_same_rows_with_real_dates_and_numbers(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    for _ in range(2):
        await _record(client, headers)
    listed = (await client.get("/api/incidents")).json()["items"]
    response = await client.get("/api/incidents/export", params={"format": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response.headers["content-type"]
    rows = read_xlsx(response.content)
    header = rows[0]
    assert header[0] == "Mã vụ việc" and [row[0] for row in rows[1:]] == [item["id"] for item in listed]
    first = dict(zip(header, rows[1], strict=False))
    assert first["Giá trị hàng vi phạm (đồng)"] == 32_000_000.0  # a number cell, not text
    assert excel_day(first["Ngày xảy ra"]) == date(2026, 3, 2)
    assert first["Kinh độ"] == 103.458 and first["Người vi phạm"] == "Hộ kinh doanh Lò Văn A"


async def test_agency_staff_export_only_what_their_list_shows(settings: Settings, client: Client, db: AsyncSession):
    _, qltt_headers = await logged_in(client, db, agency="QLTT")
    own = await _record(client, qltt_headers)
    async with AsyncTestClient(app=create_app(settings)) as culture:
        _, culture_headers = await logged_in(culture, db, agency="SVHTTDL", role="agency_staff")
        other = await _record(culture, culture_headers, "advertising_violation")
        culture_rows = read_csv((await culture.get("/api/incidents/export")).content)
    async with AsyncTestClient(app=create_app(settings)) as skhcn:
        await logged_in(skhcn, db, agency="SKHCN", role="coordinator")
        all_rows = read_csv((await skhcn.get("/api/incidents/export", params={"format": "csv"})).content)
    qltt_rows = read_csv((await client.get("/api/incidents/export")).content)
    assert [row[0] for row in qltt_rows[1:]] == [own["id"]]
    assert [row[0] for row in culture_rows[1:]] == [other["id"]]
    assert {row[0] for row in all_rows[1:]} == {own["id"], other["id"]}


async def test_a_referred_incident_is_exported_to_the_receiver_without_id_numbers(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _record(client, headers)
    sent = {"incident_id": incident["id"], "to_agency": "CA", "type": "CHUYEN_HO_SO_HINH_SU", "message": "Dấu hiệu"}
    assert (await client.post("/api/referrals", json=sent, headers=headers)).status_code == 201
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        api_view = (await police.get((await police.get("/api/incidents")).json()["items"][0]["links"]["self"])).json()
        csv_rows = read_csv((await police.get("/api/incidents/export")).content)
        xlsx_rows = read_xlsx((await police.get("/api/incidents/export", params={"format": "xlsx"})).content)
    assert "id_number" not in api_view["data"]["violator"]
    column = csv_rows[0].index("Số giấy tờ tùy thân của người vi phạm")
    assert csv_rows[1][0] == incident["id"] and csv_rows[1][column] == ""
    assert xlsx_rows[1][0] == incident["id"] and (xlsx_rows[1] + [None] * 30)[column] is None
    assert "012345678901" not in (await _raw(settings, db)).decode("utf-8")


async def _raw(settings: Settings, db: AsyncSession) -> bytes:
    """Every byte the police get from both formats."""
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        parts = [(await police.get("/api/incidents/export", params={"format": f})).content for f in ("csv", "xlsx")]
    with zipfile.ZipFile(io.BytesIO(parts[1])) as book:
        return parts[0] + b"".join(book.read(name) for name in book.namelist())


async def test_a_cell_that_would_run_as_a_formula_is_written_as_text(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    await _record(client, headers, summary='=HYPERLINK("http://evil.example","Bấm")')
    rows = read_csv((await client.get("/api/incidents/export")).content)
    assert rows[1][rows[0].index("Tóm tắt")] == '\'=HYPERLINK("http://evil.example","Bấm")'


async def test_an_unknown_format_is_refused_naming_format(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    for path in ("/api/incidents/export", "/api/referrals/export"):
        response = await client.get(path, params={"format": "pdf"})
        assert response.status_code == 400 and response.json()["field"] == "format", response.text


async def test_a_bad_list_filter_is_refused_before_anything_is_sent(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    response = await client.get("/api/incidents/export", params={"unit": "nowhere"})
    assert response.status_code == 400 and response.json()["field"] == "unit"


async def _referrals(client: Client, headers: dict[str, str], count: int) -> list[str]:
    ids = []
    for _ in range(count):
        incident = await _record(client, headers)
        sent = {"incident_id": incident["id"], "to_agency": "CA", "type": "PHOI_HOP_XAC_MINH"}
        response = await client.post("/api/referrals", json=sent, headers=headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


async def test_referral_exports_have_the_queue_rows(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    await _referrals(client, headers, 3)
    outbox = (await client.get("/api/referrals/outbox")).json()
    rows = read_csv((await client.get("/api/referrals/export", params={"box": "outbox"})).content)
    assert [row[0] for row in rows[1:]] == [r["id"] for r in outbox] and len(outbox) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Cơ quan nhận"] == "CA" and first["Loại chuyển giao"] == "Phối hợp xác minh"
    assert first["Trạng thái"] == "Đã gửi" and first["Ngày chuyển"] == local_day(now()).strftime("%d/%m/%Y")
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        inbox = (await police.get("/api/referrals/inbox")).json()
        xlsx = read_xlsx((await police.get("/api/referrals/export", params={"format": "xlsx"})).content)
        empty_outbox = read_csv((await police.get("/api/referrals/export", params={"box": "outbox"})).content)
    assert [row[0] for row in xlsx[1:]] == [r["id"] for r in inbox]
    assert empty_outbox == [rows[0]]


async def test_overdue_referrals_export_is_for_coordinators(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    ids = await _referrals(client, headers, 2)
    await db.execute(
        text("UPDATE referrals SET ack_due_on = :d WHERE id = :id"),
        {"d": local_day(now()) - timedelta(days=2), "id": ids[0]},
    )
    await db.commit()
    refused = await client.get("/api/referrals/export", params={"box": "overdue"})
    assert refused.status_code == 403 and refused.json()["field"] == "box"
    other = await client.get("/api/referrals/export", params={"agency": "CA"})
    assert other.status_code == 403 and other.json()["field"] == "agency"
    async with AsyncTestClient(app=create_app(settings)) as skhcn:
        await logged_in(skhcn, db, agency="SKHCN", role="coordinator")
        listed = (await skhcn.get("/api/referrals/overdue")).json()
        rows = read_csv((await skhcn.get("/api/referrals/export", params={"box": "overdue"})).content)
    assert [row[0] for row in rows[1:]] == [r["id"] for r in listed] == [ids[0]]
    assert dict(zip(rows[0], rows[1], strict=True))["Quá hạn"] == "Có"


async def test_every_kind_of_list_filter_selects_the_same_rows_in_the_export(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    await _record(client, headers)
    await _record(client, headers, "copyright_infringement", occurred_at="2024-11-05T09:00:00+07:00")
    await _record(client, headers, "plant_variety_infringement")
    queries = [
        {"subject_matter": "QUYEN_TAC_GIA"},  # an array containment
        {"act": "XAM_PHAM_GIONG"},
        {"unit": "2025:03388"},
        {"occurred_from": "2025-01-01", "kind": "seizure"},
        {"status": "recorded", "agency": "QLTT"},
        {"q": "Lò Văn"},
    ]
    for params in queries:
        listed = (await client.get("/api/incidents", params=params)).json()["items"]
        exported = await client.get("/api/incidents/export", params=params | {"format": "csv"})
        assert exported.status_code == 200, (params, exported.text)
        assert [row[0] for row in read_csv(exported.content)[1:]] == [item["id"] for item in listed], params
    assert len((await client.get("/api/incidents", params=queries[0])).json()["items"]) == 1
