"""The province-wide sanction list (GET /api/sanctions) and its export: filters, order, scope, redaction, 400s."""

from __future__ import annotations

import io
import itertools
import zipfile
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.auth.models import User
from service.incidents.models import Incident
from service.sanctions.models import SanctionDecision
from service.settings import Settings
from service.text import fold
from tests.api.test_exports import read_csv
from tests.builders import logged_in, make_incident, make_user

Client = AsyncTestClient[Litestar]
ID_NUMBER = "012345678901"
TAX_CODE = "6200123456"
_numbers = itertools.count(1)


def violator(name: str = "Hộ kinh doanh Lò Văn A") -> dict[str, Any]:
    """make_incident overrides: a seizure whose violator has a name, an ID number and a tax code."""
    person = {"type": "household_business", "name": name, "id_number": ID_NUMBER, "tax_code": TAX_CODE}
    payload = {"kind": "seizure", "violator": person, "summary": "Túi xách giả"}
    return {"payload": payload, "search_text": fold(f"Túi xách giả {name}")}


async def decide(db: AsyncSession, incident: Incident, by: User, **overrides: Any) -> SanctionDecision:
    """A stored decision on the incident, made by `by`'s agency (rows written directly, as the service would)."""
    fields: dict[str, Any] = {
        "incident_id": incident.id,
        "number": f"{next(_numbers)}/QĐ-XPHC",
        "decided_on": date(2026, 3, 5),
        "decider_name": "Lò Văn Minh",
        "decider_title": "Đội trưởng Đội QLTT số 1",
        "agency_id": by.agency_id,
        "acts": ["HANG_GIA_MAO_NHAN_HIEU"],
        "principal_sanction": "PHAT_TIEN",
        "additional_sanctions": ["TICH_THU"],
        "remedial_measures": ["BUOC_TIEU_HUY"],
        "fine_vnd": 15_000_000,
        "payment_status": "unpaid",
        "recorded_by_id": by.id,
    }
    decision = SanctionDecision(**(fields | overrides))
    db.add(decision)
    await db.commit()
    return decision


async def listed(client: Client, **params: Any) -> list[dict[str, Any]]:
    """Every item of the list for these filters, following the cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {}) | {"limit": 100}
        response = await client.get("/api/sanctions", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if not (cursor := page["next_cursor"]):
            return items


def numbers(items: list[dict[str, Any]]) -> list[str]:
    return [item["number"] for item in items]


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """The first sheet's values as openpyxl reads them (dates as datetimes, amounts as numbers)."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def as_csv_text(value: Any) -> str:
    """An XLSX cell as the CSV export writes the same value."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


async def test_newest_decided_first_with_the_decision_and_its_incident(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, user, **violator())
    older = await decide(db, incident, user, decided_on=date(2026, 3, 1))
    newer = await decide(db, incident, user, decided_on=date(2026, 3, 9), payment_status="paid")
    items = await listed(client)
    assert [item["id"] for item in items] == [str(newer.id), str(older.id)]
    first = items[0]
    assert first["number"] == newer.number and first["decided_on"] == "2026-03-09"
    assert first["agency_code"] == "QLTT" and first["payment_status"] == "paid" and first["fine_vnd"] == 15_000_000
    assert first["acts"] == ["HANG_GIA_MAO_NHAN_HIEU"] and first["additional_sanctions"] == ["TICH_THU"]
    assert first["incident_id"] == str(incident.id) and first["incident_kind"] == "seizure"
    assert first["incident_agency_code"] == "QLTT" and first["unit_2025"] == "03388"
    assert first["incident_occurred_at"] == "2026-03-02T09:30:00+07:00"
    assert first["violator_name"] == "Hộ kinh doanh Lò Văn A"
    assert first["violator_id_number"] == ID_NUMBER and first["violator_tax_code"] == TAX_CODE
    # The same fields as the per-incident API returns for the decision.
    per_incident = (await client.get(f"/api/incidents/{incident.id}/sanctions")).json()
    by_id = {d["id"]: d for d in per_incident}
    for item in items:
        assert {k: v for k, v in item.items() if k in by_id[item["id"]] and k != "created_at"} == {
            k: v for k, v in by_id[item["id"]].items() if k != "created_at"
        }


async def test_the_cursor_walks_every_decision_once_in_order(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, user)
    made = [await decide(db, incident, user, decided_on=date(2026, 3, 1 + i % 3)) for i in range(7)]
    expected = [str(d.id) for d in sorted(made, key=lambda d: (d.decided_on, d.id), reverse=True)]
    seen, cursor = [], None
    for _ in range(4):
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/sanctions", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected and cursor is None


async def test_each_filter_narrows_the_list(client: Client, db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    qltt, skhcn = await make_user(db, agency="QLTT"), await make_user(db, agency="SKHCN", role="coordinator")
    seizure = await make_incident(db, qltt, **violator("Nguyễn Thị Bích"))
    advert = await make_incident(
        db, qltt, kind="advertising_violation", unit_2025="03445", district_2024="106", search_text="bien quang cao"
    )
    a = await decide(db, seizure, qltt, number="7/QĐ-XPHC", decided_on=date(2026, 1, 10))
    b = await decide(
        db, seizure, skhcn, number="8/QĐ-XPHC", decided_on=date(2026, 2, 10), payment_status="paid", acts=["KHAC"]
    )
    c = await decide(
        db, advert, qltt, number="9/QĐ-CC", decided_on=date(2026, 3, 10), principal_sanction="CANH_CAO", fine_vnd=0
    )
    cases: list[tuple[dict[str, str], list[SanctionDecision]]] = [
        ({}, [c, b, a]),
        ({"agency": "SKHCN"}, [b]),
        ({"agency": "QLTT"}, [c, a]),
        ({"decided_from": "2026-02-10"}, [c, b]),
        ({"decided_to": "2026-02-10"}, [b, a]),
        ({"decided_from": "2026-02-01", "decided_to": "2026-02-28"}, [b]),
        ({"payment_status": "paid"}, [b]),
        ({"payment_status": "unpaid"}, [c, a]),
        ({"principal_sanction": "CANH_CAO"}, [c]),
        ({"act": "KHAC"}, [b]),
        ({"kind": "advertising_violation"}, [c]),
        ({"kind": "seizure"}, [b, a]),
        ({"unit": "2025:03445"}, [c]),
        ({"unit": "2024:105"}, [b, a]),
        ({"q": "8/qđ-xphc"}, [b]),
        ({"q": "8/QD"}, [b]),
        ({"q": "xphc"}, [b, a]),
        ({"q": "nguyen thi bich"}, [b, a]),
        ({"q": "Quảng cáo"}, [c]),
        ({"q": "bich 7/qd"}, [a]),
        ({"q": "100%_"}, []),
        ({"agency": "QLTT", "kind": "seizure", "payment_status": "unpaid"}, [a]),
    ]
    for params, expected in cases:
        assert numbers(await listed(client, **params)) == [d.number for d in expected], params


async def test_agencies_see_the_decisions_of_incidents_they_see_and_coordinators_all(
    settings: Settings, client: Client, db: AsyncSession
):
    qltt, headers = await logged_in(client, db, agency="QLTT", role="agency_staff")
    culture = await make_user(db, agency="SVHTTDL", role="agency_staff")
    own = await decide(db, await make_incident(db, qltt, **violator()), qltt, number="1/QLTT")
    referred_incident = await make_incident(db, qltt, **violator())
    referred = await decide(db, referred_incident, qltt, number="2/QLTT")
    other = await decide(db, await make_incident(db, culture, **violator()), culture, number="3/SVHTTDL")
    sent = {"incident_id": str(referred_incident.id), "to_agency": "CA", "type": "PHOI_HOP_XAC_MINH"}
    assert (await client.post("/api/referrals", json=sent, headers=headers)).status_code == 201
    assert sorted(numbers(await listed(client))) == [own.number, referred.number]
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        assert numbers(await listed(police)) == [referred.number]
        assert await listed(police, q=other.number) == []
    async with AsyncTestClient(app=create_app(settings)) as skhcn:
        await logged_in(skhcn, db, agency="SKHCN", role="coordinator")
        everything = await listed(skhcn)
    assert sorted(numbers(everything)) == sorted([own.number, referred.number, other.number])
    assert {item["violator_id_number"] for item in everything} == {ID_NUMBER}


async def test_an_agency_the_incident_was_referred_to_gets_no_id_numbers(
    settings: Settings, client: Client, db: AsyncSession
):
    qltt, headers = await logged_in(client, db, agency="QLTT", role="agency_staff")
    incident = await make_incident(db, qltt, **violator())
    await decide(db, incident, qltt)
    sent = {"incident_id": str(incident.id), "to_agency": "CA", "type": "CHUYEN_HO_SO_HINH_SU", "message": "Dấu hiệu"}
    assert (await client.post("/api/referrals", json=sent, headers=headers)).status_code == 201
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        [item] = await listed(police)
        incident_view = (await police.get(f"/api/incidents/{incident.id}")).json()
        csv_bytes = (await police.get("/api/sanctions/export")).content
        xlsx_bytes = (await police.get("/api/sanctions/export", params={"format": "xlsx"})).content
    # Exactly what the incident API shows this reader: the name, not the ID number or the tax code.
    assert incident_view["data"]["violator"] == {"type": "household_business", "name": "Hộ kinh doanh Lò Văn A"}
    assert item["violator_name"] == "Hộ kinh doanh Lò Văn A"
    assert item["violator_id_number"] is None and item["violator_tax_code"] is None
    rows = read_csv(csv_bytes)
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["Người vi phạm"] == "Hộ kinh doanh Lò Văn A"
    assert cells["Số giấy tờ tùy thân của người vi phạm"] == "" and cells["Mã số thuế của người vi phạm"] == ""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as book:
        everything = csv_bytes + b"".join(book.read(name) for name in book.namelist())
    assert ID_NUMBER.encode() not in everything and TAX_CODE.encode() not in everything


async def test_csv_and_xlsx_exports_hold_the_lists_rows_for_the_same_filters(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, user, **violator())
    for day in (3, 9, 9, 12):
        await decide(db, incident, user, decided_on=date(2026, 3, day))
    await decide(db, incident, user, decided_on=date(2026, 3, 20), payment_status="paid")
    filters = {"payment_status": "unpaid", "decided_from": "2026-03-04"}
    items = await listed(client, **filters)
    assert len(items) == 3
    response = await client.get("/api/sanctions/export", params=filters | {"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    assert 'filename="quyet-dinh-xu-phat_' in response.headers["content-disposition"]
    rows = read_csv(response.content)
    assert rows[0][:4] == ["Mã quyết định", "Số quyết định", "Ngày quyết định", "Cơ quan ra quyết định"]
    assert [row[0] for row in rows[1:]] == [item["id"] for item in items]
    for row, item in zip(rows[1:], items, strict=True):
        cells = dict(zip(rows[0], row, strict=True))
        assert cells["Số quyết định"] == item["number"]
        assert cells["Ngày quyết định"] == date.fromisoformat(item["decided_on"]).strftime("%d/%m/%Y")
        assert cells["Tiền phạt (đồng)"] == str(item["fine_vnd"]) == "15000000"
        assert cells["Hình thức xử phạt chính"] == "Phạt tiền" and cells["Tình trạng thi hành"] == "Chưa nộp phạt"
        assert cells["Hình thức xử phạt bổ sung"] == "Tịch thu tang vật, phương tiện"
        assert cells["Loại vụ việc"] == "Kiểm tra, thu giữ hàng hóa vi phạm" and cells["Ngày xảy ra"] == "02/03/2026"
        assert cells["Đơn vị cấp xã 2025"] == "Phường Đoàn Kết" and cells["Mã vụ việc"] == item["incident_id"]
        assert cells["Người vi phạm"] == item["violator_name"]
        assert cells["Số giấy tờ tùy thân của người vi phạm"] == ID_NUMBER
    xlsx = await client.get("/api/sanctions/export", params=filters | {"format": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.headers["content-type"]
    sheet = xlsx_rows(xlsx.content)
    assert sheet[0] == rows[0]
    assert [[as_csv_text(value) for value in row] for row in sheet[1:]] == rows[1:]
    first = dict(zip(sheet[0], sheet[1], strict=True))
    assert isinstance(first["Ngày quyết định"], datetime) and first["Tiền phạt (đồng)"] == 15_000_000


async def test_an_empty_export_has_only_the_header(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    rows = read_csv((await client.get("/api/sanctions/export", params={"kind": "dispute"})).content)
    assert len(rows) == 1 and rows[0][-1] == "Mã số thuế của người vi phạm"


BAD_FILTERS = [
    ({"kind": "theft"}, "kind"),
    ({"payment_status": "forgiven"}, "payment_status"),
    ({"principal_sanction": "PHAT_TU"}, "principal_sanction"),
    ({"act": "TRUOT"}, "act"),
    ({"decided_from": "05/03/2026"}, "decided_from"),
    ({"decided_to": "2026-02-30"}, "decided_to"),
    ({"decided_from": "2026-03-10", "decided_to": "2026-03-01"}, "decided_to"),
    ({"unit": "03388"}, "unit"),
    ({"unit": "2023:03388"}, "unit"),
    ({"agency": "NOPE"}, "agency"),
    ({"agency": "A" * 41}, "agency"),
    ({"q": "x" * 201}, "q"),
]


@pytest.mark.parametrize(("path", "params", "field"), [
    *[("/api/sanctions", params, field) for params, field in BAD_FILTERS],
    *[("/api/sanctions/export", params, field) for params, field in BAD_FILTERS],
    ("/api/sanctions", {"cursor": "not-a-cursor"}, "cursor"),
    ("/api/sanctions", {"limit": "0"}, "limit"),
    ("/api/sanctions/export", {"format": "pdf"}, "format"),
])  # fmt: skip
async def test_a_bad_filter_is_a_400_naming_its_field_in_both_languages(
    client: Client, db: AsyncSession, path: str, params: dict[str, str], field: str
):
    await logged_in(client, db, agency="QLTT")
    response = await client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert not response.headers["content-type"].startswith(("text/csv", "application/vnd"))
    body = response.json()
    assert body["field"] == field and [e["field"] for e in body["errors"]][:1] == [field], body
    assert body["message_vi"] and body["message_en"] and body["message_vi"] != body["message_en"]


async def test_anonymous_callers_are_refused(client: Client):
    for path in ("/api/sanctions", "/api/sanctions/export"):
        response = await client.get(path)
        assert response.status_code == 401 and response.json()["code"] == "auth.required"


async def test_the_openapi_document_lists_the_filters_of_both_routes(client: Client):
    document = (await client.get("/schema/openapi.json")).json()
    for path in ("/api/sanctions", "/api/sanctions/export"):
        names = {p["name"] for p in document["paths"][path]["get"]["parameters"]}
        assert {"agency", "decided_from", "decided_to", "payment_status", "principal_sanction"} <= names, path
        assert {"act", "kind", "unit", "q"} <= names, path
