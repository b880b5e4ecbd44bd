"""The incident page over HTTP: goods and total, place in both generations, history, scope and redaction."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.settings import Settings
from tests.api.test_sanctions import decision
from tests.builders import logged_in
from tests.incident_bodies import body
from tests.unit.test_content_check import photo

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}
ID_NUMBER = "012345678901"  # the violator's, in tests/incident_bodies.py


async def _seizure(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post("/api/incidents", json=body("seizure"), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_page_shows_each_goods_line_and_the_total_in_dong(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _seizure(client, headers)
    response = await client.get(f"/incidents/{incident['id']}", headers=HTML)
    page = response.text
    assert response.status_code == 200 and "<h1>Vụ việc 01/BB-QLTT</h1>" in page
    assert "Kiểm tra, thu giữ hàng hóa vi phạm" in page and "Sâm Lai Châu đóng hộp" in page
    assert "20 hộp" in page and "1.250.000 ₫" in page and "25.000.000 ₫" in page  # unit price, line value
    assert incident["goods_value_vnd"] == 32_000_000 and "32.000.000 ₫" in page
    assert "05/QĐ-TGTV, 02/03/2026" in page and "02/03/2026 09:30" in page  # decision ref, occurred_at local
    assert "Phường Đoàn Kết (03388)" in page and "Thành phố Lai Châu (105)" in page  # both generations
    assert "Nghị định 99/2013/NĐ-CP, Điều 12" in page and "Hộ kinh doanh" in page
    assert ID_NUMBER in page  # the recording agency sees the violator's ID number


async def test_the_history_says_who_changed_what_when_and_why(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db, agency="QLTT")
    incident = await _seizure(client, headers)
    correction = {"version": 1, "reason": "Sửa tên kho theo biên bản", "changes": {"storage_place": "Kho số 2"}}
    patched = await client.patch(f"/api/incidents/{incident['id']}", json=correction, headers=headers)
    assert patched.status_code == 200, patched.text
    page = (await client.get(f"/incidents/{incident['id']}", headers=HTML)).text
    history = page[page.index('id="history"') :]
    assert "Ghi nhận vụ việc" in history and "Sửa thông tin" in history
    assert "phiên bản" not in page.lower()  # internal version numbers are not shown to users
    assert f"{user.username}, lúc" in history and "Sửa tên kho theo biên bản" in history
    assert "<strong>Nơi bảo quản tang vật:</strong> Kho Đội QLTT số 1 → Kho số 2" in history


async def test_another_agency_reads_it_without_the_id_number_exactly_as_the_api_shows_it(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _seizure(client, headers)
    sent = {"incident_id": incident["id"], "to_agency": "CA", "type": "CHUYEN_HO_SO_HINH_SU"}
    referral = (await client.post("/api/referrals", json=sent, headers=headers)).json()
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        api = (await police.get(f"/api/incidents/{incident['id']}")).json()
        response = await police.get(f"/incidents/{incident['id']}", headers=HTML)
    assert response.status_code == 200 and "id_number" not in api["data"]["violator"]
    assert ID_NUMBER not in response.text and "Hộ kinh doanh Lò Văn A" in response.text
    assert "chỉ hiển thị cho cơ quan ghi nhận và điều phối viên" in response.text
    assert f'href="/referrals/{referral["id"]}"' in response.text  # the referral it is about


async def test_an_agency_without_a_referral_gets_the_same_404_as_the_api(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _seizure(client, headers)
    async with AsyncTestClient(app=create_app(settings)) as customs:
        await logged_in(customs, db, agency="HQ", role="agency_staff")
        api = await customs.get(f"/api/incidents/{incident['id']}")
        response = await customs.get(f"/incidents/{incident['id']}", headers=HTML)
    assert response.status_code == api.status_code == 404
    assert "Không tìm thấy vụ việc." in response.text and "Sâm Lai Châu" not in response.text


async def test_attachments_link_to_their_download_and_sanctions_are_listed(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _seizure(client, headers)
    files = {"file": ("hien_truong.jpg", photo(), "image/jpeg")}
    added = await client.post(f"/api/incidents/{incident['id']}/attachments", files=files, headers=headers)
    assert added.status_code == 201, added.text
    fined = await client.post(f"/api/incidents/{incident['id']}/sanctions", json=decision(), headers=headers)
    assert fined.status_code == 201, fined.text
    page = (await client.get(f"/incidents/{incident['id']}", headers=HTML)).text
    link = f"/api/incidents/{incident['id']}/attachments/{added.json()['id']}"
    assert f'href="{link}"' in page and (await client.get(link)).status_code == 200
    assert "Quyết định số 15/QĐ-XPHC" in page and "15.000.000 ₫" in page and "Phạt tiền" in page
    assert "Tịch thu tang vật, phương tiện" in page and "Buộc tiêu hủy" in page and "Chưa nộp phạt" in page
    assert "Thêm tệp đính kèm" in page and "Thêm quyết định xử phạt" in page  # in the history too


async def test_the_page_reads_in_english_when_asked(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    incident = await _seizure(client, headers)
    client.cookies.set("ipcoord_lang", "en")
    page = (await client.get(f"/incidents/{incident['id']}", headers=HTML)).text
    assert "Inspection and seizure of infringing goods" in page and "Total value of the goods" in page
    assert "32.000.000 ₫" in page and "Change history" in page


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        ("customs_suspension", "Khoản bảo đảm</dt><dd>20.000.000 ₫"),
        ("advertising_violation", "Phương tiện quảng cáo</dt><dd>Biển quảng cáo"),
        ("online_infringement", "Thời điểm ghi nhận trên mạng</dt><dd>02/03/2026 08:00"),
        ("copyright_infringement", "Số bản sao</dt><dd>150"),
        ("plant_variety_infringement", "Tên giống cây trồng</dt><dd>Séng Cù"),
        ("dispute", "Các bên</dt><dd>Bên yêu cầu: HTX demo; Bên bị yêu cầu: Công ty demo"),
    ],
)
async def test_every_kind_shows_its_own_details_with_labels(client: Client, db: AsyncSession, kind: str, shown: str):
    _, headers = await logged_in(client, db, agency="QLTT")
    recorded = await client.post("/api/incidents", json=body(kind), headers=headers)
    assert recorded.status_code == 201, recorded.text
    response = await client.get(f"/incidents/{recorded.json()['id']}", headers=HTML)
    assert response.status_code == 200 and shown in response.text
