"""The inspector's pages over HTTP, as a browser without JavaScript uses them: the record form, its errors,
double taps, my incidents and the one-tap police referral."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.attachments.models import Attachment
from service.i18n import MESSAGES
from service.incident_pages.record_form import FORM_KINDS, GOODS_FIELDS, fields_of, label_key
from service.incidents.models import Incident
from service.referrals.models import Referral
from tests.builders import logged_in, make_incident, make_user

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html,application/xhtml+xml"}
SIGN = {
    "article": "BLHS Điều 226",
    "measure": "goods_value",
    "threshold_vnd": 200_000_000,
    "value_vnd": 250_000_000,
    "legal_basis": "Bộ luật Hình sự 2015, Điều 226 khoản 1",
}


def _seizure(**changes: Any) -> dict[str, Any]:
    """A seizure with two goods lines as the form posts it: 20 × 1.250.000 + 15 × 300.000 = 29.500.000 ₫."""
    form: dict[str, Any] = {
        "kind": "seizure",
        "occurred_at": "2026-03-02T09:30",
        "unit.code": "03445",
        "subject_matter": ["NHAN_HIEU"],
        "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
        "is_ip_infringement": "on",
        "record_number": "01/BB-QLTT",
        "goods.0.description": "Sâm Lai Châu đóng hộp",
        "goods.0.infringed_mark": "Sâm Lai Châu",
        "goods.0.quantity": "20",
        "goods.0.unit": "hộp",
        "goods.0.unit_price_vnd": "1.250.000",
        "goods.1.description": "Chè Đông phương mỹ nhân",
        "goods.1.infringed_mark": "Chè Tam Đường",
        "goods.1.quantity": "15",
        "goods.1.unit": "gói",
        "goods.1.unit_price_vnd": "300000",
    }
    return form | changes


async def _blank_form(client: Client) -> tuple[str, dict[str, str]]:
    """The form page and its hidden fields (CSRF token, idempotency key)."""
    response = await client.get("/incidents/new", headers=HTML)
    assert response.status_code == 200, response.text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', response.text)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', response.text)
    assert token and key
    return response.text, {"_csrf_token": token.group(1), "idempotency_key": key.group(1)}


async def _post(client: Client, form: dict[str, Any], **kw: Any) -> Any:
    return await client.post("/incidents/new", data=form, headers=HTML, follow_redirects=False, **kw)


async def _stored(db: AsyncSession, user_id: uuid.UUID) -> list[Incident]:
    db.expire_all()
    return list(await db.scalars(select(Incident).where(Incident.recorded_by_id == user_id)))


def _error(page: str, input_id: str) -> str:
    """The text of the error beside an input, checking the input points to it."""
    assert re.search(rf'id="{input_id}"[^>]*aria-describedby="[^"]*{input_id}-error"', page), input_id
    match = re.search(rf'<p class="field-error" id="{input_id}-error">([^<]*)</p>', page)
    assert match, f"no error beside {input_id}"
    return match.group(1)


async def test_record_form_carries_csrf_token_idempotency_key_and_the_38_units(client: Client, db: AsyncSession):
    await logged_in(client, db)
    page, hidden = await _blank_form(client)
    assert uuid.UUID(hidden["idempotency_key"])
    assert "Số biên bản" in page and "Thêm dòng hàng" in page and 'lang="vi"' in page
    assert len(re.findall(r'<option value="0\d{4}"', page)) == 38 and "Xã Mường Tè" in page
    assert 'capture="environment"' in page and 'data-max-bytes="20971520"' in page
    _, again = await _blank_form(client)
    assert again["idempotency_key"] != hidden["idempotency_key"]


async def test_form_without_javascript_stores_one_seizure_with_the_summed_value(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    _, hidden = await _blank_form(client)
    response = await _post(client, _seizure() | hidden)
    assert response.status_code == 303, response.text
    [incident] = await _stored(db, user.id)
    assert response.headers["location"] == f"/incidents/mine?recorded={incident.id}"
    assert incident.goods_value_vnd == 29_500_000 and incident.unit_2025 == "03445"
    assert incident.payload["occurred_at"] == "2026-03-02T09:30:00+07:00"
    assert [line["quantity"] for line in incident.payload["goods"]] == [20, 15]
    mine = await client.get(response.headers["location"], headers=HTML)
    assert "Đã lưu vụ việc." in mine.text and "29.500.000 ₫" in mine.text and "Xã Mường Tè" in mine.text


async def test_an_external_number_typed_in_the_form_is_stored_and_half_a_pair_is_refused(
    client: Client, db: AsyncSession
):
    user, _ = await logged_in(client, db)
    user_id = user.id
    _, hidden = await _blank_form(client)
    half = await _post(client, _seizure(**{"external_ref.number": "INS-2026-015"}) | hidden)
    assert half.status_code == 400
    assert _error(half.text, "f-external_ref-kind") == "Thiếu trường bắt buộc “Loại số hiệu”."
    assert 'value="INS-2026-015"' in half.text and await _stored(db, user_id) == []
    ref = {"external_ref.kind": "qltt_ins_case", "external_ref.number": "INS-2026-015"}
    response = await _post(client, _seizure(**ref) | hidden)
    assert response.status_code == 303, response.text
    [incident] = await _stored(db, user_id)
    assert incident.payload["external_refs"] == [{"kind": "qltt_ins_case", "number": "INS-2026-015"}]
    found = (await client.get("/api/incidents", params={"ref": "ins 2026 015"})).json()["items"]
    assert [item["id"] for item in found] == [str(incident.id)]


async def test_a_double_tap_on_submit_stores_one_incident(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    _, hidden = await _blank_form(client)
    first = await _post(client, _seizure() | hidden)
    second = await _post(client, _seizure() | hidden)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(await _stored(db, user.id)) == 1


async def test_the_same_key_with_other_content_is_refused_and_the_form_gets_a_new_key(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    _, hidden = await _blank_form(client)
    await _post(client, _seizure() | hidden)
    other = await _post(client, _seizure(record_number="02/BB-QLTT") | hidden)
    assert other.status_code == 422 and "đã được gửi với nội dung khác" in other.text
    assert hidden["idempotency_key"] not in other.text and 'value="02/BB-QLTT"' in other.text
    assert len(await _stored(db, user.id)) == 1


async def test_bad_input_is_shown_beside_its_field_in_vietnamese_and_the_typed_values_are_kept(
    client: Client, db: AsyncSession
):
    user, _ = await logged_in(client, db)
    _, hidden = await _blank_form(client)
    response = await _post(client, _seizure(record_number="", **{"goods.1.quantity": "0"}) | hidden)
    assert response.status_code == 400
    page = response.text
    assert _error(page, "f-seizure-record_number") == "Thiếu trường bắt buộc “Số biên bản”."
    assert _error(page, "f-goods-1-quantity") == "Trường “Số lượng (dòng 2)” phải ≥ 1."
    assert "Vui lòng sửa các lỗi sau" in page and 'href="#f-goods-1-quantity"' in page
    assert 'value="Sâm Lai Châu đóng hộp"' in page and 'value="1.250.000"' in page and 'value="0"' in page
    assert 'value="02/03/2026 09:30"' in page and 'value="NHAN_HIEU" selected' in page
    assert 'value="03445" selected' in page and hidden["idempotency_key"] in page
    assert await _stored(db, user.id) == []


async def test_a_date_in_the_future_is_refused_beside_its_field(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    _, hidden = await _blank_form(client)
    response = await _post(client, _seizure(occurred_at="2099-01-01T08:00") | hidden)
    assert response.status_code == 422
    assert _error(response.text, "f-occurred_at") == "Thời điểm “Thời điểm xảy ra” không được ở tương lai."
    assert 'value="01/01/2099 08:00"' in response.text
    assert await _stored(db, user.id) == []


async def test_errors_are_in_english_for_an_english_reader(client: Client, db: AsyncSession):
    await logged_in(client, db)
    client.cookies.set("ipcoord_lang", "en")
    _, hidden = await _blank_form(client)
    response = await _post(client, _seizure(**{"goods.0.unit_price_vnd": "1,5"}) | hidden)
    assert _error(response.text, "f-goods-0-unit_price_vnd") == (
        "Field “Unit price (VND) (line 1)” must be a whole number, e.g. 1250000."
    )


async def test_a_place_is_required_and_shown_at_the_place_block(client: Client, db: AsyncSession):
    await logged_in(client, db)
    _, hidden = await _blank_form(client)
    response = await _post(client, _seizure(**{"unit.code": ""}) | hidden)
    assert response.status_code == 400
    assert '<p class="field-error block-error" id="place-error">Cần vị trí GPS' in response.text


async def test_adding_a_goods_line_without_javascript_keeps_everything_and_stores_nothing(
    client: Client, db: AsyncSession
):
    user, _ = await logged_in(client, db)
    _, hidden = await _blank_form(client)
    response = await _post(client, _seizure(action="add_line") | hidden)
    assert response.status_code == 200
    assert 'name="goods.2.quantity"' in response.text and 'value="Chè Tam Đường"' in response.text
    assert "29.500.000 ₫" in response.text and 'field-error" id=' not in response.text
    assert await _stored(db, user.id) == []


async def test_photos_sent_with_the_form_are_attached(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    _, hidden = await _blank_form(client)
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(jpeg, "JPEG")
    files = {"photos": ("hien-truong.jpg", jpeg.getvalue(), "image/jpeg")}
    response = await _post(client, _seizure() | hidden, files=files)
    assert response.status_code == 303, response.text
    [incident] = await _stored(db, user.id)
    names = await db.scalars(select(Attachment.file_name).where(Attachment.incident_id == incident.id))
    assert list(names) == ["hien-truong.jpg"]


async def test_my_incidents_lists_only_the_callers_own_newest_first(client: Client, db: AsyncSession):
    me, _ = await logged_in(client, db)
    colleague = await make_user(db)  # same agency: sees my incidents through the API, but they are not mine
    mine = await make_incident(db, me)
    theirs = await make_incident(db, colleague)
    page = (await client.get("/incidents/mine", headers=HTML)).text
    assert f'href="/incidents/{mine.id}"' in page and str(theirs.id) not in page
    assert "02/03/2026" in page and "1.350.000 ₫" in page and "Phường Đoàn Kết" in page
    assert "Kiểm tra, thu giữ hàng hóa vi phạm" in page and "Đã ghi nhận" in page


async def test_my_incidents_pages_with_a_cursor(client: Client, db: AsyncSession):
    me, _ = await logged_in(client, db)
    for _ in range(21):
        await make_incident(db, me)
    first = (await client.get("/incidents/mine", headers=HTML)).text
    assert first.count('class="incident-card') == 20
    cursor = re.search(r'href="/incidents/mine\?cursor=([^"]+)"', first)
    assert cursor
    second = (await client.get(f"/incidents/mine?cursor={cursor.group(1)}", headers=HTML)).text
    assert second.count('class="incident-card') == 1 and "Trang đầu" in second


async def test_one_tap_police_referral_without_javascript_is_sent_once(client: Client, db: AsyncSession):
    me, _ = await logged_in(client, db)
    incident = await make_incident(db, me, crime_signs=[SIGN], goods_value_vnd=250_000_000)
    page = (await client.get("/incidents/mine", headers=HTML)).text
    assert "Có dấu hiệu tội phạm (BLHS Điều 226)" in page and "Chuyển hồ sơ cho Công an" in page
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert token
    form = {"_csrf_token": token.group(1), "incident_id": str(incident.id)}
    for _ in range(2):
        response = await client.post("/incidents/refer-police", data=form, headers=HTML, follow_redirects=False)
        assert response.headers["location"] == f"/incidents/mine?referred={incident.id}"
    count = await db.scalar(
        select(func.count()).where(Referral.incident_id == incident.id, Referral.type == "CHUYEN_HO_SO_HINH_SU")
    )
    assert count == 1
    after = (await client.get(f"/incidents/mine?referred={incident.id}", headers=HTML)).text
    assert "Đã chuyển hồ sơ cho Công an." in after and 'action="/incidents/refer-police"' not in after


@pytest.mark.parametrize("path", ["/incidents/new", "/incidents/mine"])
async def test_an_anonymous_browser_is_sent_to_the_login_page(client: Client, path: str):
    response = await client.get(path, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + path.replace("/", "%2F")


def test_every_field_of_the_form_has_a_label_in_both_languages():
    names = {f.name for kind in FORM_KINDS for f in fields_of(kind)} | {f"goods.0.{f.name}" for f in GOODS_FIELDS}
    assert [name for name in names if label_key(name) not in MESSAGES] == []
