"""Yearly and period reports over HTTP: totals that match the lists, XLSX, CSV, PDF, bad input and access."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import openpyxl
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import local_day, now
from service.settings import Settings
from tests.builders import logged_in, make_incident, make_user
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]
BOM = b"\xef\xbb\xbf"
YEAR = "2026"  # the incident bodies occurred on 2 March 2026
NEXT_YEAR = str(local_day(now()).year + 1)
SHEETS_VI = [
    "Thông tin báo cáo",
    "Tổng hợp",
    "Theo loại vụ việc",
    "Theo cơ quan",
    "Theo nhóm đối tượng SHTT",
    "Theo hành vi vi phạm",
    "Theo đơn vị hành chính",
    "Hàng hóa thu giữ",
    "Quyết định xử phạt",
    "Chuyển giao hồ sơ",
    "Kết quả chuyển giao",
    "Kết quả hòa giải",
    "Điểm nóng",
    "Tham số kiểm định điểm nóng",
]


async def _record(client: Client, headers: dict[str, str], kind: str, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/incidents", json=body(kind, **overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _arrange(settings: Settings, db: AsyncSession) -> None:
    """QLTT's and customs' 2026: five incidents counted, one withdrawn, one of 2025, one decision paid."""
    async with AsyncTestClient(app=create_app(settings)) as qltt:
        _, headers = await logged_in(qltt, db, agency="QLTT")
        seizure = await _record(qltt, headers, "seizure")
        await _record(qltt, headers, "copyright_infringement")
        # Picked, not located: Tân Phong straddles two former districts, so the 2024 table splits it by area.
        await _record(
            qltt, headers, "advertising_violation", location=None, unit={"generation": "2025", "code": "03408"}
        )
        await _record(qltt, headers, "seizure", occurred_at="2025-12-31T23:30:00+07:00")  # last year, local time
        withdrawn = await _record(qltt, headers, "online_infringement")
        pulled = await qltt.post(
            f"/api/incidents/{withdrawn['id']}/withdraw",
            json={"reason": "Ghi trùng vụ khác", "version": withdrawn["version"]},
            headers=headers,
        )
        assert pulled.status_code == 200, pulled.text
        fine = {
            "number": "15/QĐ-XPHC",
            "decided_on": "2026-03-05",
            "decider_name": "Lò Văn Minh",
            "decider_title": "Đội trưởng Đội QLTT số 1",
            "acts": ["HANG_GIA_MAO_NHAN_HIEU"],
            "principal_sanction": "PHAT_TIEN",
            "fine_vnd": 15_000_000,
            "payment_status": "paid",
        }
        decided = await qltt.post(f"/api/incidents/{seizure['id']}/sanctions", json=fine, headers=headers)
        assert decided.status_code == 201, decided.text
    customs = await make_user(db, agency="HQ")
    await make_incident(
        db, customs, kind="customs_suspension", goods_value_vnd=None, payload={"kind": "customs_suspension"}
    )
    # An old record without a place, and without goods lines.
    unplaced = {"lon": None, "lat": None, "unit_2025": None, "district_2024": None, "goods_value_vnd": None}
    payload = {"kind": "plant_variety_infringement"}
    await make_incident(
        db, customs, kind="plant_variety_infringement", subject_matter=["GIONG_CAY_TRONG"], payload=payload, **unplaced
    )


async def _listed(client: Client, year: str) -> list[dict[str, Any]]:
    """Every incident GET /api/incidents lists for the year, page after page."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"occurred_from": f"{year}-01-01", "occurred_to": f"{year}-12-31", "limit": "100"}
        page = (await client.get("/api/incidents", params=params | ({"cursor": cursor} if cursor else {}))).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def _table(report: dict[str, Any], key: str) -> dict[str, Any]:
    return next(table for table in report["tables"] if table["key"] == key)


def _column(table: dict[str, Any], key: str) -> list[Any]:
    index = [column["key"] for column in table["columns"]].index(key)
    return [row[index] for row in table["rows"]]


def _total(table: dict[str, Any], key: str) -> Any:
    index = [column["key"] for column in table["columns"]].index(key)
    return table["total"][index]


async def _coordinator(client: Client, db: AsyncSession) -> None:
    await logged_in(client, db, agency="SKHCN", role="coordinator")


async def test_yearly_totals_equal_the_sum_of_the_incident_list(settings: Settings, client: Client, db: AsyncSession):
    await _arrange(settings, db)
    await _coordinator(client, db)
    listed = [item for item in await _listed(client, YEAR) if item["status"] != "withdrawn"]
    response = await client.get("/api/reports/yearly", params={"year": YEAR})
    assert response.status_code == 200, response.text
    report = response.json()
    summary = dict(zip(*(_column(_table(report, "summary"), k) for k in ("indicator", "value")), strict=True))
    assert summary["Số vụ (mỗi vụ tính một lần)"] == len(listed) == 5
    for key, column in (("by_kind", "cases"), ("by_agency", "cases"), ("by_unit", "cases")):
        table = _table(report, key)
        assert sum(_column(table, column)) == _total(table, column) == len(listed), key
    by_agency = _table(report, "by_agency")
    agencies = dict(zip(_column(by_agency, "agency"), _column(by_agency, "cases"), strict=True))
    assert agencies == {"QLTT": 3, "HQ": 2}
    assert summary["Tiền phạt đã quyết định (đồng)"] == summary["Tiền phạt đã thu (đồng)"] == 15_000_000
    assert summary["Giá trị hàng hóa thu giữ (đồng)"] == 20 * 1_250_000 + 15 * 300_000 + 10 * 250_000
    assert report["start"] == "2026-01-01" and report["end"] == "2026-12-31" and report["generation"] == "2025"


async def test_the_2024_districts_add_up_to_the_same_cases(settings: Settings, client: Client, db: AsyncSession):
    await _arrange(settings, db)
    await _coordinator(client, db)
    units = (await client.get("/api/reports/yearly", params={"year": YEAR})).json()
    districts = (await client.get("/api/reports/yearly", params={"year": YEAR, "generation": "2024"})).json()
    by_district = _table(districts, "by_unit")
    assert _total(by_district, "cases") == _total(_table(units, "by_unit"), "cases") == 5
    assert len(_column(by_district, "code")) == 8 + 1  # the former districts and the unplaced advertisement
    assert _column(by_district, "name")[-1] == "Chưa xác định đơn vị hành chính"


async def test_xlsx_has_one_sheet_per_table_with_vietnamese_headers_and_numbers(
    settings: Settings, client: Client, db: AsyncSession
):
    await _arrange(settings, db)
    await _coordinator(client, db)
    response = await client.get("/api/reports/yearly", params={"year": YEAR, "format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert 'filename="bao-cao_2026-01-01_2026-12-31_dvhc-2025.xlsx"' in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == SHEETS_VI
    by_kind = [[cell.value for cell in row] for row in book["Theo loại vụ việc"].iter_rows()]
    assert by_kind[0] == ["Mã loại", "Loại vụ việc", "Số vụ"]
    assert by_kind[1] == ["seizure", "Kiểm tra, thu giữ hàng hóa vi phạm", 1]
    assert by_kind[9][0] == "Tổng cộng" and by_kind[9][2] == 5
    assert book["Theo loại vụ việc"]["A1"].font.bold
    formulas = [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


async def test_csv_is_a_zip_of_one_file_per_table_with_a_bom(settings: Settings, client: Client, db: AsyncSession):
    await _arrange(settings, db)
    await _coordinator(client, db)
    response = await client.get("/api/reports/yearly", params={"year": YEAR, "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        by_kind = archive.read("03_by_kind.csv")
    assert len(names) == len(SHEETS_VI) and names[0] == "01_info.csv"
    assert by_kind.startswith(BOM)
    lines = by_kind[len(BOM) :].decode("utf-8").split("\r\n")
    assert lines[0] == "Mã loại,Loại vụ việc,Số vụ" and lines[-2] == "Tổng cộng,,5"


async def test_pdf_has_the_vietnamese_title_the_tables_and_two_map_images(
    settings: Settings, client: Client, db: AsyncSession
):
    await _arrange(settings, db)
    await _coordinator(client, db)
    response = await client.get("/api/reports/yearly", params={"year": YEAR, "format": "pdf"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) == 2  # the choropleth and the hot-spot map
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 4  # title page, tables, two maps
    assert b"DejaVuSans" in pdf  # the embedded font that has the Vietnamese letters
    title = "Báo cáo công tác thực thi quyền sở hữu trí tuệ năm 2026"
    assert _pdf_title(pdf) == title


def _pdf_title(pdf: bytes) -> str:
    """The document title of the PDF's information dictionary (reportlab writes it as UTF-16 with a BOM)."""
    match = re.search(rb"/Title\s*\((.*?)(?<!\\)\)", pdf, flags=re.DOTALL)
    assert match is not None
    raw = re.sub(rb"\\([()\\])", rb"\1", match.group(1))
    raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw)
    return raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


async def test_the_report_is_in_english_when_asked(settings: Settings, client: Client, db: AsyncSession):
    await _arrange(settings, db)
    await _coordinator(client, db)
    report = (await client.get("/api/reports/yearly", params={"year": YEAR, "lang": "en"})).json()
    by_kind = _table(report, "by_kind")
    assert by_kind["title"] == "Cases by kind" and by_kind["columns"][2]["header"] == "Cases"
    assert by_kind["total"][0] == "Total"


async def test_a_period_report_counts_only_its_days(settings: Settings, client: Client, db: AsyncSession):
    await _arrange(settings, db)
    await _coordinator(client, db)
    params = {"start": "2025-12-31", "end": "2025-12-31"}
    report = (await client.get("/api/reports/period", params=params)).json()
    assert _total(_table(report, "by_kind"), "cases") == 1  # the seizure of 31 December, 23:30 local time


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/reports/yearly", {"year": NEXT_YEAR}, "year"),
        ("/api/reports/yearly", {"year": "1999"}, "year"),
        ("/api/reports/yearly", {"year": "abc"}, "year"),
        ("/api/reports/yearly", {"year": "2025", "generation": "2023"}, "generation"),
        ("/api/reports/yearly", {"year": "2025", "format": "docx"}, "format"),
        ("/api/reports/yearly", {"year": "2025", "lang": "fr"}, "lang"),
        ("/api/reports/period", {"start": "2025-06-30", "end": "2025-01-01"}, "end"),
        ("/api/reports/period", {"start": "2010-01-01", "end": "2025-01-01"}, "start"),
        ("/api/reports/period", {"start": "2025-01-01"}, "end"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field(
    client: Client, db: AsyncSession, path: str, params: dict[str, str], field: str
):
    await _coordinator(client, db)
    response = await client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field


@pytest.mark.parametrize(("role", "agency"), [("agency_staff", "QLTT"), ("inspector", "HQ"), ("agency_head", "CA")])
async def test_agency_staff_get_a_403(client: Client, db: AsyncSession, role: str, agency: str):
    await logged_in(client, db, agency=agency, role=role)
    response = await client.get("/api/reports/yearly", params={"year": YEAR})
    assert response.status_code == 403


async def test_administrators_get_the_report(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="admin")
    assert (await client.get("/api/reports/yearly", params={"year": YEAR})).status_code == 200
