"""Recording incidents of every kind over HTTP, geotagged, scoped, searchable, retried safely."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.incidents.models import Incident, IncidentEvent
from service.settings import Settings
from tests.builders import logged_in, make_incident
from tests.incident_bodies import KIND_FIELDS, body, mediation_body

Client = AsyncTestClient[Litestar]


async def _count(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(Incident)) or 0


@pytest.mark.parametrize("kind", sorted(KIND_FIELDS))
async def test_each_kind_round_trips(client: Client, db: AsyncSession, kind: str):
    _, headers = await logged_in(client, db)
    sent = body(kind)
    created = await client.post("/api/incidents", json=sent, headers=headers)
    assert created.status_code == 201, created.text
    read = (await client.get(f"/api/incidents/{created.json()['id']}")).json()
    assert read["kind"] == kind and read["agency_code"] == "QLTT" and read["version"] == 1
    for field, value in KIND_FIELDS[kind].items():
        assert read["data"][field] == value, field
    assert read["data"]["violator"]["id_number"] == "012345678901"
    assert read["place"]["unit_2025"] == "03388" and read["place"]["district_2024"] == "105"
    assert read["occurred_at"] == "2026-03-02T09:30:00+07:00"


async def test_mediation_outcome_settles_a_dispute(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="HOA_GIAI", role="agency_staff")
    dispute = (await client.post("/api/incidents", json=body("dispute"), headers=headers)).json()
    outcome = await client.post("/api/incidents", json=mediation_body(dispute["id"]), headers=headers)
    assert outcome.status_code == 201, outcome.text
    assert outcome.json()["data"]["outcome"] == "THANH"


async def test_mediation_of_something_that_is_not_a_dispute_is_422(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    seizure = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    response = await client.post("/api/incidents", json=mediation_body(seizure["id"]), headers=headers)
    assert response.status_code == 422 and response.json()["field"] == "settles_incident_id"


async def test_seizure_value_is_summed_from_goods_lines(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    assert created["goods_value_vnd"] == 20 * 1_250_000 + 15 * 300_000 + 10 * 250_000


async def test_retried_post_with_the_same_key_stores_one_incident(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/api/incidents", json=body("seizure"), headers=headers | key)
    again = await client.post("/api/incidents", json=body("seizure"), headers=headers | key)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await _count(db) == 1


async def test_key_reused_with_another_body_is_422_and_stores_nothing(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    key = {"Idempotency-Key": "phone-draft-42"}
    await client.post("/api/incidents", json=body("seizure"), headers=headers | key)
    other = await client.post("/api/incidents", json=body("seizure", record_number="99/BB"), headers=headers | key)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency.key_reused" and other.json()["field"] == "Idempotency-Key"
    assert await _count(db) == 1


async def test_inspector_cannot_read_another_agencys_incident(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="SVHTTDL", role="agency_staff")
    advert = (await client.post("/api/incidents", json=body("advertising_violation"), headers=headers)).json()
    async with AsyncTestClient(app=create_app(settings)) as qltt:
        await logged_in(qltt, db, agency="QLTT", role="inspector")
        single = await qltt.get(f"/api/incidents/{advert['id']}")
        listing = (await qltt.get("/api/incidents")).json()
        history = await qltt.get(f"/api/incidents/{advert['id']}/history")
    assert single.status_code == 404 and history.status_code == 404
    assert listing["items"] == []


async def test_coordinator_sees_every_agency(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="SVHTTDL", role="agency_staff")
    await client.post("/api/incidents", json=body("advertising_violation"), headers=headers)
    async with AsyncTestClient(app=create_app(settings)) as skhcn:
        await logged_in(skhcn, db, agency="SKHCN", role="coordinator")
        items = (await skhcn.get("/api/incidents")).json()["items"]
        detail = (await skhcn.get(items[0]["links"]["self"])).json()
    assert [i["agency_code"] for i in items] == ["SVHTTDL"]
    assert detail["data"]["violator"]["id_number"] == "012345678901"  # the full record is on the detail route


async def test_a_list_item_is_a_summary_and_links_to_the_full_record(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    seizure = body("seizure", record_number="7/BB-QLTT", summary="Thu giữ " + "túi xách giả " * 40)
    created = (await client.post("/api/incidents", json=seizure, headers=headers)).json()
    page = await client.get("/api/incidents")
    item = page.json()["items"][0]
    assert item["id"] == created["id"] and item["record_number"] == "7/BB-QLTT" and item["kind"] == "seizure"
    assert item["status"] == "recorded" and item["agency_code"] == "QLTT" and item["version"] == 1
    assert item["occurred_at"] == created["occurred_at"] and item["recorded_at"] == created["recorded_at"]
    assert item["place"] == {k: created["place"][k] for k in item["place"]}
    assert set(item["place"]) == {"unit_2025", "commune_2024", "district_2024", "district_2024_split"}
    assert item["goods_value_vnd"] == created["goods_value_vnd"]
    assert item["violator_name"] == seizure["violator"]["name"]
    assert item["clocks"] == created["clocks"] and item["clocks"]
    assert item["summary"] == seizure["summary"][:200]
    assert item["links"] == {
        "self": f"/api/incidents/{created['id']}",
        "history": f"/api/incidents/{created['id']}/history",
        "page": f"/incidents/{created['id']}",
    }
    assert "data" not in item and "012345678901" not in page.text  # no payload, no ID number in a list
    assert (await client.get(item["links"]["self"])).json() == created


async def test_correction_is_kept_in_history_with_reason(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    correction = {"version": 1, "reason": "Sai số biên bản", "changes": {"record_number": "02/BB-QLTT"}}
    corrected = await client.patch(f"/api/incidents/{created['id']}", json=correction, headers=headers)
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["version"] == 2 and corrected.json()["data"]["record_number"] == "02/BB-QLTT"
    history = (await client.get(f"/api/incidents/{created['id']}/history")).json()
    assert [h["action"] for h in history] == ["created", "corrected"]
    assert history[1]["reason"] == "Sai số biên bản"
    assert history[1]["changes"] == {"record_number": {"old": "01/BB-QLTT", "new": "02/BB-QLTT"}}


async def test_correction_without_reason_is_400_and_changes_nothing(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    response = await client.patch(
        f"/api/incidents/{created['id']}", json={"version": 1, "changes": {"record_number": "X"}}, headers=headers
    )
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert (await client.get(f"/api/incidents/{created['id']}")).json()["data"]["record_number"] == "01/BB-QLTT"


async def test_second_concurrent_correction_gets_409_with_current_version(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    url = f"/api/incidents/{created['id']}"
    first = {"version": 1, "reason": "Sửa lần một", "changes": {"storage_place": "Kho A"}}
    second = {"version": 1, "reason": "Sửa lần hai", "changes": {"storage_place": "Kho B"}}
    assert (await client.patch(url, json=first, headers=headers)).status_code == 200
    late = await client.patch(url, json=second, headers=headers)
    assert late.status_code == 409
    assert late.json()["code"] == "incident.version_conflict" and "2" in late.json()["message_en"]
    assert late.headers["etag"] == '"2"'
    assert (await client.get(url)).json()["data"]["storage_place"] == "Kho A"


async def test_invalid_correction_names_the_field_and_stores_nothing(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    bad_goods = [{"description": "x", "infringed_mark": "y", "quantity": 0, "unit": "c", "unit_price_vnd": 1}]
    response = await client.patch(
        f"/api/incidents/{created['id']}",
        json={"version": 1, "reason": "Sửa hàng hóa", "changes": {"goods": bad_goods}},
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "changes.goods[0].quantity"
    assert await db.scalar(select(func.count()).select_from(IncidentEvent)) == 1


async def test_withdrawn_incident_stays_on_record(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    withdrawn = await client.post(
        f"/api/incidents/{created['id']}/withdraw", json={"version": 1, "reason": "Ghi trùng"}, headers=headers
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert await _count(db) == 1
    history = (await client.get(f"/api/incidents/{created['id']}/history")).json()
    assert history[-1]["action"] == "withdrawn" and history[-1]["reason"] == "Ghi trùng"


async def test_search_without_diacritics_finds_vietnamese_text(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    await client.post("/api/incidents", json=body("seizure"), headers=headers)
    await client.post("/api/incidents", json=body("copyright_infringement", summary="Đĩa lậu"), headers=headers)
    found = (await client.get("/api/incidents", params={"q": "Sam Lai Chau"})).json()["items"]
    also = (await client.get("/api/incidents", params={"q": "sâm lai châu"})).json()["items"]
    assert [i["kind"] for i in found] == ["seizure"] == [i["kind"] for i in also]


async def test_pre_reform_incident_appears_under_both_generations(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    old = body("seizure", occurred_at="2024-11-05T09:00:00+07:00", detected_at=None, location=None)
    old["unit"] = {"generation": "2024", "code": "03391"}  # xã Lả Nhì Thàng, Phong Thổ (109) -> Đoàn Kết
    created = await client.post("/api/incidents", json=old, headers=headers)
    assert created.status_code == 201, created.text
    place = created.json()["place"]
    assert (place["commune_2024"], place["district_2024"], place["unit_2025"]) == ("03391", "109", "03388")
    assert place["source"] == "crosswalk"
    for unit in ("2024:109", "2024:03391", "2025:03388"):
        items = (await client.get("/api/incidents", params={"unit": unit})).json()["items"]
        assert [i["id"] for i in items] == [created.json()["id"]], unit
    assert (await client.get("/api/incidents", params={"unit": "2024:105"})).json()["items"] == []


async def test_point_outside_the_province_is_422_naming_lon_and_lat(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    response = await client.post(
        "/api/incidents", json=body("seizure", location={"lon": 104.9, "lat": 22.8}), headers=headers
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["location.lon", "location.lat"]
    assert await _count(db) == 0


async def test_point_contradicting_the_picked_unit_is_422_naming_both(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    sent = body("seizure", unit={"generation": "2025", "code": "03408"})  # Tân Phong, but GPS is in Đoàn Kết
    response = await client.post("/api/incidents", json=sent, headers=headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["location", "unit"]
    assert "03388" in response.json()["message_vi"] and "03408" in response.json()["message_en"]


async def test_crime_threshold_is_flagged_with_article(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    goods = [
        {"description": "Túi", "infringed_mark": "LV", "quantity": 100, "unit": "chiếc", "unit_price_vnd": 2_500_000}
    ]
    created = (await client.post("/api/incidents", json=body("seizure", goods=goods), headers=headers)).json()
    assert created["crime_signs"] == [
        {
            "article": "BLHS Điều 226",
            "measure": "goods_value",
            "threshold_vnd": 200_000_000,
            "value_vnd": 250_000_000,
            "legal_basis": "Bộ luật Hình sự 2015 (sửa đổi 2017), Điều 226 khoản 1",
        }
    ]


async def test_small_seizure_has_no_crime_signs(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    created = (await client.post("/api/incidents", json=body("seizure"), headers=headers)).json()
    assert created["crime_signs"] == []


LINE = KIND_FIELDS["seizure"]["goods"][0]
BAD_BODIES = [
    ("seizure without goods", body("seizure", goods=[]), "goods"),
    ("zero quantity", body("seizure", goods=[{**LINE, "quantity": 0}]), "goods[0].quantity"),
    ("negative quantity", body("seizure", goods=[{**LINE, "quantity": -3}]), "goods[0].quantity"),
    ("VND with decimals", body("seizure", goods=[{**LINE, "unit_price_vnd": 1500.5}]),
     "goods[0].unit_price_vnd"),
    ("VND over 10^15", body("customs_suspension", security_deposit_vnd=10**15 + 1), "security_deposit_vnd"),
    ("unknown act", body("seizure", infringement_acts=["BUON_LAU"]), "infringement_acts[0]"),
    ("unknown subject matter", body("seizure", subject_matter=["BAN_QUYEN"]), "subject_matter[0]"),
    ("naive datetime", body("seizure", occurred_at="2026-03-02T09:30:00"), "occurred_at"),
    ("unknown field", body("seizure", colour="red"), "colour"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "sent", "field"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
async def test_bad_input_is_400_naming_the_field(client: Client, db: AsyncSession, case: str, sent: dict, field: str):
    _, headers = await logged_in(client, db)
    response = await client.post("/api/incidents", json=sent, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field
    assert field.split(".")[-1].split("[")[0] in response.json()["message_en"]
    assert await _count(db) == 0


async def test_unknown_kind_is_400_naming_kind(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    response = await client.post("/api/incidents", json=body("seizure") | {"kind": "smuggling"}, headers=headers)
    assert response.status_code == 400 and response.json()["field"] == "kind"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": "2099-01-01T00:00:00+07:00", "detected_at": None}, "occurred_at"),
        ({"detected_at": "2026-03-01T09:00:00+07:00"}, "detected_at"),
    ],
)
async def test_impossible_times_are_422_naming_the_field(client: Client, db: AsyncSession, overrides: dict, field: str):
    _, headers = await logged_in(client, db)
    response = await client.post("/api/incidents", json=body("seizure", **overrides), headers=headers)
    assert response.status_code == 422 and response.json()["field"] == field
    assert await _count(db) == 0


async def test_list_pages_with_a_cursor(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    for n in range(5):
        await client.post("/api/incidents", json=body("seizure", record_number=f"{n}/BB"), headers=headers)
    first = (await client.get("/api/incidents", params={"limit": 3})).json()
    second = (await client.get("/api/incidents", params={"limit": 3, "cursor": first["next_cursor"]})).json()
    numbers = [i["record_number"] for i in first["items"] + second["items"]]
    assert numbers == ["4/BB", "3/BB", "2/BB", "1/BB", "0/BB"]
    assert second["next_cursor"] is None


async def test_filters_by_kind_act_and_period(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    await client.post("/api/incidents", json=body("seizure"), headers=headers)
    await client.post("/api/incidents", json=body("copyright_infringement"), headers=headers)
    by_act = (await client.get("/api/incidents", params={"act": "SAO_CHEP_LAU"})).json()["items"]
    by_kind = (await client.get("/api/incidents", params={"kind": "seizure"})).json()["items"]
    in_march = await client.get("/api/incidents", params={"occurred_from": "2026-03-02", "occurred_to": "2026-03-02"})
    before = (await client.get("/api/incidents", params={"occurred_to": "2026-03-01"})).json()["items"]
    assert [i["kind"] for i in by_act] == ["copyright_infringement"]
    assert [i["kind"] for i in by_kind] == ["seizure"]
    assert len(in_march.json()["items"]) == 2 and before == []


async def test_bad_cursor_and_unit_filter_are_400(client: Client, db: AsyncSession):
    await logged_in(client, db)
    cursor = await client.get("/api/incidents", params={"cursor": "not-a-cursor"})
    unit = await client.get("/api/incidents", params={"unit": "03388"})
    assert (cursor.status_code, cursor.json()["field"]) == (400, "cursor")
    assert (unit.status_code, unit.json()["field"]) == (400, "unit")


async def test_record_made_the_friday_before_tet_has_a_decision_deadline_after_tet(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    friday = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)  # 10:00 in Lai Châu; Tết 2026 is 16–20 February
    incident = await make_incident(db, user, recorded_at=friday, occurred_at=friday)
    clocks = {c["name"]: c for c in (await client.get(f"/api/incidents/{incident.id}")).json()["clocks"]}
    assert clocks["sanction_decision"]["due_on"] == "2026-03-03"  # 7 working days, Tết skipped
    assert clocks["sanction_decision"]["overdue"] is True
    assert clocks["limitation"]["due_on"] == "2028-02-14"  # 2 years; 13 Feb 2028 is a Sunday


async def test_sanctioned_incident_has_no_decision_clock(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db)
    incident = await make_incident(db, user, status="sanctioned")
    assert (await client.get(f"/api/incidents/{incident.id}")).json()["clocks"] == []
