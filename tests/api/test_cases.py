"""One case counted once over HTTP: likely duplicates flagged, linked by the coordinator, counted once in reports;
external numbers stored, searchable and flagged when shared."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.settings import Settings
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]
SEIZED_VALUE = 20 * 1_250_000 + 15 * 300_000 + 10 * 250_000
POLICE_REPORT = {
    "occurred_at": "2026-03-03T08:00:00+07:00",
    "detected_at": None,
    "team": "Phòng Cảnh sát kinh tế",
    "record_number": "12/BB-CSKT",
    "location": {"lon": 103.462, "lat": 22.399},
    "external_refs": [{"kind": "qltt_ins_case", "number": "ins 2026-015"}],
}


async def _record(client: Client, headers: dict[str, str], kind: str, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/incidents", json=body(kind, **overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _one_seizure_twice(settings: Settings, db: AsyncSession) -> tuple[dict[str, Any], dict[str, Any]]:
    """QLTT records a seizure; the economic police record the same one a day later with QLTT's INS number."""
    async with AsyncTestClient(app=create_app(settings)) as qltt, AsyncTestClient(app=create_app(settings)) as ca:
        _, headers = await logged_in(qltt, db, agency="QLTT")
        refs = [{"kind": "qltt_ins_case", "number": "INS-2026-015"}]
        first = await _record(qltt, headers, "seizure", external_refs=refs)
        _, police = await logged_in(ca, db, agency="CA", role="agency_staff")
        second = await _record(ca, police, "seizure", **POLICE_REPORT)
    return first, second


async def _summary(client: Client) -> dict[str, Any]:
    report = (await client.get("/api/reports/yearly", params={"year": "2026"})).json()
    table = next(t for t in report["tables"] if t["key"] == "summary")
    keys = [c["key"] for c in table["columns"]]
    return {row[keys.index("indicator")]: row[keys.index("value")] for row in table["rows"]}


async def test_two_agencies_reports_of_one_seizure_count_once_after_linking(
    settings: Settings, client: Client, db: AsyncSession
):
    first, second = await _one_seizure_twice(settings, db)
    _, headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
    flags = (await client.get("/api/duplicates")).json()["items"]
    assert len(flags) == 1
    flag = flags[0]
    assert {i["id"] for i in flag["incidents"]} == {first["id"], second["id"]}
    assert {"same_reference", "same_violator_id", "same_goods", "nearby_place", "close_dates"} <= set(flag["reasons"])
    assert {i["agency_code"] for i in flag["incidents"]} == {"QLTT", "CA"}

    before = await _summary(client)
    assert before["Số vụ (mỗi vụ tính một lần)"] == 2
    assert before["Giá trị hàng hóa thu giữ (đồng)"] == 2 * SEIZED_VALUE

    reason = "Cùng một vụ thu giữ, CA ghi lại theo hồ sơ QLTT chuyển"
    linked = await client.post("/api/cases", json={"incident_ids": [first["id"], second["id"]], "reason": reason},
                               headers=headers)  # fmt: skip
    assert linked.status_code == 201, linked.text
    case = linked.json()
    assert [i["id"] for i in case["incidents"]] == [first["id"], second["id"]]  # earliest first

    after = await _summary(client)
    assert after["Số vụ việc được ghi nhận"] == 2
    assert after["Số vụ (mỗi vụ tính một lần)"] == 1
    assert after["Bản ghi trùng đã gộp"] == 1
    assert after["Giá trị hàng hóa thu giữ (đồng)"] == SEIZED_VALUE
    assert (await client.get("/api/duplicates")).json()["items"] == []
    decided = (await client.get("/api/duplicates", params={"status": "linked"})).json()["items"]
    assert decided[0]["decision_reason"] == reason and decided[0]["decided_by"]

    history = (await client.get(f"/api/incidents/{second['id']}/history")).json()
    assert history[-1]["action"] == "linked" and history[-1]["reason"] == reason
    assert history[-1]["changes"]["case_id"] == {"old": None, "new": case["id"]}
    assert (await client.get(f"/api/incidents/{second['id']}")).json()["case_id"] == case["id"]


async def test_the_map_counts_a_linked_case_once_at_its_first_record(
    settings: Settings, client: Client, db: AsyncSession
):
    first, second = await _one_seizure_twice(settings, db)
    _, headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
    period = {"start": "2026-01-01", "end": "2026-12-31"}

    async def counts() -> tuple[int, dict[str, int]]:
        out = (await client.get("/api/maps/choropleth", params=period)).json()
        return out["totals"]["count"], {u["code"]: u["count"] for u in out["units"] if u["count"]}

    assert (await counts())[0] == 2
    link = {"incident_ids": [first["id"], second["id"]], "reason": "cùng vụ"}
    assert (await client.post("/api/cases", json=link, headers=headers)).status_code == 201
    total, units = await counts()
    assert total == 1 and units == {first["place"]["unit_2025"]: 1}  # QLTT's record came first


async def test_unlinking_counts_both_again_and_keeps_every_step(settings: Settings, client: Client, db: AsyncSession):
    first, second = await _one_seizure_twice(settings, db)
    _, headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
    ids = [first["id"], second["id"]]
    case = (await client.post("/api/cases", json={"incident_ids": ids, "reason": "cùng vụ"}, headers=headers)).json()
    again = await client.post("/api/cases", json={"incident_ids": ids, "reason": "lần nữa"}, headers=headers)
    assert again.status_code == 409 and again.json()["field"] == "incident_ids"

    unlink = {"incident_id": second["id"], "reason": "Hai lô hàng khác nhau"}
    response = await client.post(f"/api/cases/{case['id']}/unlink", json=unlink, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["incidents"] == []  # a case of one is no case: both left it
    assert (await _summary(client))["Số vụ (mỗi vụ tính một lần)"] == 2
    for incident in ids:
        actions = [e["action"] for e in (await client.get(f"/api/incidents/{incident}/history")).json()]
        assert actions == ["created", "linked", "unlinked"]
    dismissed = (await client.get("/api/duplicates", params={"status": "dismissed"})).json()["items"]
    assert dismissed[0]["decision_reason"] == "Hai lô hàng khác nhau"


async def test_dismissed_flags_stay_dismissed_after_a_correction(settings: Settings, client: Client, db: AsyncSession):
    first, _ = await _one_seizure_twice(settings, db)
    _, headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
    flag = (await client.get("/api/duplicates")).json()["items"][0]
    url = f"/api/duplicates/{flag['id']}/dismiss"
    response = await client.post(url, json={"reason": "Khác người vi phạm"}, headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert (await client.post(url, json={"reason": "lần nữa"}, headers=headers)).status_code == 409
    correction = {"version": 1, "reason": "Sửa mô tả", "changes": {"summary": "Bán sâm giả (đã sửa)"}}
    assert (await client.patch(f"/api/incidents/{first['id']}", json=correction, headers=headers)).status_code == 200
    assert (await client.get("/api/duplicates")).json()["items"] == []


async def test_a_shared_customs_declaration_is_flagged_and_found_by_number(
    settings: Settings, client: Client, db: AsyncSession
):
    async with AsyncTestClient(app=create_app(settings)) as customs, AsyncTestClient(app=create_app(settings)) as qltt:
        _, hq = await logged_in(customs, db, agency="HQ", role="agency_staff")
        suspension = await _record(customs, hq, "customs_suspension")  # declaration 105123456789
        _, team = await logged_in(qltt, db, agency="QLTT")
        # Weeks later, elsewhere, another violator: only the declaration number ties them.
        seizure = await _record(
            qltt,
            team,
            "seizure",
            occurred_at="2026-04-20T09:00:00+07:00",
            detected_at=None,
            location={"lon": 103.73, "lat": 22.15},  # Tân Uyên, 40 km away
            violator={"type": "individual", "name": "Nguyễn Thị B"},
            external_refs=[{"kind": "customs_declaration", "number": "105-123-456-789"}],
        )
    _, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    flags = (await client.get("/api/duplicates")).json()["items"]
    assert [set(f["reasons"]) & {"same_reference", "nearby_place"} for f in flags] == [{"same_reference"}]
    found = (await client.get("/api/incidents", params={"ref": "105 123 456 789"})).json()["items"]
    assert {i["id"] for i in found} == {suspension["id"], seizure["id"]}
    assert (await client.get("/api/incidents", params={"ref": "105123456780"})).json()["items"] == []
    exported = await client.get("/api/incidents/export", params={"ref": "105-123-456-789"})
    assert exported.status_code == 200
    rows = exported.content.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 3 and all(i in exported.text for i in (suspension["id"], seizure["id"]))  # header + 2


async def test_withdrawing_one_clears_its_flag(settings: Settings, client: Client, db: AsyncSession):
    first, _ = await _one_seizure_twice(settings, db)
    async with AsyncTestClient(app=create_app(settings)) as qltt:
        _, headers = await logged_in(qltt, db, agency="QLTT", role="agency_head")
        withdrawal = {"version": 1, "reason": "Ghi nhầm"}
        response = await qltt.post(f"/api/incidents/{first['id']}/withdraw", json=withdrawal, headers=headers)
        assert response.status_code == 200, response.text
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    assert (await client.get("/api/duplicates")).json()["items"] == []
    assert len((await client.get("/api/duplicates", params={"status": "cleared"})).json()["items"]) == 1


async def test_only_coordinators_see_flags_and_link(settings: Settings, client: Client, db: AsyncSession):
    first, second = await _one_seizure_twice(settings, db)
    _, headers = await logged_in(client, db, agency="QLTT", role="agency_head")
    assert (await client.get("/api/duplicates")).status_code == 403
    link = {"incident_ids": [first["id"], second["id"]], "reason": "cùng vụ"}
    assert (await client.post("/api/cases", json=link, headers=headers)).status_code == 403


async def test_bad_link_requests_name_the_field(settings: Settings, client: Client, db: AsyncSession):
    first, second = await _one_seizure_twice(settings, db)
    _, headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
    unknown = "0190d6a0-0000-7000-8000-000000000000"
    cases = [
        ({"incident_ids": [first["id"]], "reason": "cùng vụ"}, 400, "incident_ids"),
        ({"incident_ids": [first["id"], first["id"]], "reason": "cùng vụ"}, 400, "incident_ids"),
        ({"incident_ids": [first["id"], unknown], "reason": "cùng vụ"}, 422, "incident_ids"),
        ({"incident_ids": [first["id"], second["id"]]}, 400, "reason"),
        ({"incident_ids": [first["id"], second["id"]], "reason": ""}, 400, "reason"),
    ]
    for payload, status, field in cases:
        response = await client.post("/api/cases", json=payload, headers=headers)
        assert response.status_code == status, (payload, response.text)
        error = response.json()
        assert error["field"] == field, error
        assert error["message_vi"] and error["message_en"], error
    assert (await client.get("/api/duplicates", params={"status": "maybe"})).status_code == 400
    assert (await client.get("/api/duplicates", params={"cursor": "abc"})).status_code == 400
    assert (await client.get(f"/api/cases/{unknown}")).status_code == 404


async def test_a_number_carried_by_many_incidents_stops_flagging(client: Client, db: AsyncSession):
    """ "01" typed as a court case number on every record identifies nothing: flags stop past MAX_SHARING."""
    from service.incidents.references import MAX_SHARING

    _, headers = await logged_in(client, db, agency="QLTT", role="agency_head")
    refs = [{"kind": "court_case", "number": "01"}]
    ids = [(await _record(client, headers, "seizure", external_refs=refs))["id"] for _ in range(MAX_SHARING + 3)]
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    pairs: list[set[str]] = []
    cursor = None
    while True:
        page = (
            await client.get("/api/duplicates", params={"limit": 100} | ({"cursor": cursor} if cursor else {}))
        ).json()
        pairs += [{i["id"] for i in f["incidents"]} for f in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    first = ids[: MAX_SHARING + 1]
    assert len(pairs) == len(first) * (len(first) - 1) // 2
    assert not any(ids[-1] in pair or ids[-2] in pair for pair in pairs)
