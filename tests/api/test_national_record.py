"""The national record of administrative violations (Decree 20/2016/NĐ-CP, Art. 9): the sanction form's added
fields, checked against the violator; the export as JSON and XLSX, scoped to the deciding agency; redaction and
retention of the added personal data."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import openpyxl
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.auth.models import User
from service.incidents.models import Incident
from service.sanctions.models import SanctionDecision
from service.settings import Settings
from tests.api.test_sanction_list import decide
from tests.api.test_sanctions import decision
from tests.builders import logged_in, make_incident

Client = AsyncTestClient[Litestar]
ID_NUMBER = "012345678901"
RECORD = "/api/sanctions/national-record"


def person(violator_type: str = "individual", **more: Any) -> dict[str, Any]:
    """make_incident overrides: a seizure whose violator is named, with an ID number."""
    violator = {"type": violator_type, "name": "Lò Văn A", "id_number": ID_NUMBER} | more
    return {"payload": {"kind": "seizure", "violator": violator}}


async def _post(client: Client, headers: dict[str, str], incident: Incident, **body: Any) -> Any:
    return await client.post(f"/api/incidents/{incident.id}/sanctions", json=decision(**body), headers=headers)


async def _count(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(SanctionDecision)) or 0


async def test_the_form_keeps_a_persons_birth_date_sex_and_the_day_it_was_carried_out(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, user, **person())
    body = {"violator_birth_date": "1990-04-02", "violator_sex": "female", "payment_status": "paid"}
    response = await _post(client, headers, incident, **body, executed_on="2026-03-20")
    assert response.status_code == 201, response.text
    stored = response.json()
    assert (stored["violator_birth_date"], stored["violator_sex"], stored["executed_on"]) == (
        "1990-04-02",
        "female",
        "2026-03-20",
    )
    [listed] = (await client.get(f"/api/incidents/{incident.id}/sanctions")).json()
    assert listed["violator_birth_date"] == "1990-04-02"


async def test_fields_that_do_not_fit_the_violator_or_the_day_are_refused_naming_the_field(
    client: Client, db: AsyncSession
):
    user, headers = await logged_in(client, db, agency="QLTT")
    individual = await make_incident(db, user, **person())
    organisation = await make_incident(db, user, **person("organisation", name="Công ty TNHH Thử"))
    refusals = [
        (organisation, {"violator_birth_date": "1990-04-02"}, "violator_birth_date", "sanction.individual_only"),
        (organisation, {"violator_sex": "male"}, "violator_sex", "sanction.individual_only"),
        (individual, {"legal_representative": "Lò Văn B"}, "legal_representative", "sanction.organisation_only"),
        (individual, {"registration_number": "6200123456"}, "registration_number", "sanction.organisation_only"),
        (individual, {"violator_birth_date": "2026-03-06"}, "violator_birth_date", "sanction.birth_date_range"),
        (individual, {"violator_birth_date": "1899-12-31"}, "violator_birth_date", "sanction.birth_date_range"),
        (individual, {"executed_on": "2026-03-20"}, "executed_on", "sanction.executed_on_status"),
        (
            individual,
            {"executed_on": "2026-03-01", "payment_status": "paid"},
            "executed_on",
            "sanction.executed_on_range",
        ),
    ]
    for incident, body, field, code in refusals:
        response = await _post(client, headers, incident, **body)
        assert response.status_code == 400, (body, response.text)
        error = response.json()
        assert error["code"] == code and error["field"] == field, error
        assert f"`{field}`" in error["message_vi"] and f"`{field}`" in error["message_en"], error
    bad_sex = await _post(client, headers, individual, violator_sex="x")
    assert bad_sex.status_code == 400 and "violator_sex" in bad_sex.text
    assert await _count(db) == 0
    ok = await _post(client, headers, organisation, registration_number="6200123456", legal_representative="Lò Văn B")
    assert ok.status_code == 201, ok.text


async def test_payment_update_records_the_day_carried_out_in_the_history(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, user, **person())
    created = (await _post(client, headers, incident)).json()
    url = f"/api/incidents/{incident.id}/sanctions/{created['id']}/payment"
    early = {"payment_status": "paid", "reason": "Đã nộp phạt", "executed_on": "2026-03-04"}
    assert (await client.patch(url, json=early, headers=headers)).json()["field"] == "executed_on"
    paid = {"payment_status": "paid", "reason": "Đã nộp phạt tại kho bạc", "executed_on": "2026-03-12"}
    response = await client.patch(url, json=paid, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["executed_on"] == "2026-03-12"
    history = (await client.get(f"/api/incidents/{incident.id}/history")).json()
    last = history[-1] if isinstance(history, list) else history["items"][-1]
    assert last["changes"]["executed_on"] == {"old": None, "new": "2026-03-12"}
    undone = {"payment_status": "unpaid", "reason": "Nộp nhầm, hoàn lại"}
    assert (await client.patch(url, json=undone, headers=headers)).json()["executed_on"] is None


async def test_a_referred_agency_sees_no_birth_date_sex_or_representative(
    settings: Settings, client: Client, db: AsyncSession
):
    qltt, headers = await logged_in(client, db, agency="QLTT", role="agency_staff")
    incident = await make_incident(db, qltt, **person())
    await decide(db, incident, qltt, violator_birth_date=date(1990, 4, 2), violator_sex="male")
    sent = {"incident_id": str(incident.id), "to_agency": "CA", "type": "CHUYEN_HO_SO_HINH_SU", "message": "Dấu hiệu"}
    assert (await client.post("/api/referrals", json=sent, headers=headers)).status_code == 201
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA", role="agency_staff")
        [on_incident] = (await police.get(f"/api/incidents/{incident.id}/sanctions")).json()
        [in_list] = (await police.get("/api/sanctions")).json()["items"]
        record = await police.get(RECORD, params={"decided_from": "2026-01-01", "decided_to": "2026-12-31"})
    for item in (on_incident, in_list):
        assert item["violator_birth_date"] is None and item["violator_sex"] is None
    # The police did not decide it: the national record is the deciding agency's, and holds nothing for them.
    assert record.status_code == 200 and record.json()["items"] == []


async def _decided(db: AsyncSession, by: User, number: str, **incident: Any) -> SanctionDecision:
    stored = await make_incident(db, by, **incident)
    return await decide(db, stored, by, number=number, decided_on=date(2026, 3, 5))


async def test_the_record_holds_article_9s_fields_for_the_deciding_agency(client: Client, db: AsyncSession):
    qltt, _ = await logged_in(client, db, agency="QLTT")
    await _decided(db, qltt, "1/QĐ-XPHC", **person())
    person_incident = await make_incident(db, qltt, **person())
    await decide(
        db,
        person_incident,
        qltt,
        number="2/QĐ-XPHC",
        decided_on=date(2026, 4, 1),
        violator_birth_date=date(1990, 4, 2),
        violator_sex="female",
        payment_status="paid",
        executed_on=date(2026, 4, 10),
    )
    company = person("organisation", name="Công ty TNHH Thử", tax_code="6200123456", address="Phường Tân Phong")
    await _decided(db, qltt, "3/QĐ-XPHC", **company)
    response = await client.get(RECORD, params={"decided_from": "2026-01-01", "decided_to": "2026-12-31"})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    record = response.json()
    assert "20/2016" in record["field_set"]
    by_number = {item["decision_number"]: item for item in record["items"]}
    assert list(by_number) == ["1/QĐ-XPHC", "3/QĐ-XPHC", "2/QĐ-XPHC"]  # oldest decided first
    complete = by_number["2/QĐ-XPHC"]
    assert (complete["violator_name"], complete["violator_id_number"], complete["violator_sex"]) == (
        "Lò Văn A",
        ID_NUMBER,
        "female",
    )
    assert complete["violator_birth_date"] == "1990-04-02" and complete["executed_on"] == "2026-04-10"
    assert complete["execution_status"] == "paid" and complete["deciding_agency_code"] == "QLTT"
    assert complete["missing"] == []
    assert by_number["1/QĐ-XPHC"]["missing"] == ["violator_birth_date", "violator_sex"]
    organisation = by_number["3/QĐ-XPHC"]
    assert organisation["registration_number"] == "6200123456"  # the enterprise code is its tax code
    assert organisation["missing"] == ["legal_representative"]
    xlsx = await client.get(RECORD, params={"decided_from": "2026-01-01", "decided_to": "2026-12-31", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "csdl-xlvphc_2026-01-01_2026-12-31.xlsx" in xlsx.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    row = dict(zip(header, rows[3], strict=True))
    assert row["Số quyết định"] == "2/QĐ-XPHC" and row["Giới tính"] == "Nữ"
    assert row["Ngày, tháng, năm sinh"].date() == date(1990, 4, 2) and row["Mức phạt tiền (đồng)"] == 15_000_000
    assert row["Cơ quan của người ra quyết định"] == await db.scalar(
        text("SELECT name_vi FROM agencies WHERE code='QLTT'")
    )
    reads = await db.execute(
        text("SELECT detail FROM audit_events WHERE detail->>'view' = 'export.national_record' ORDER BY id")
    )
    assert [detail["format"] for (detail,) in reads] == ["json", "xlsx"]


async def test_scope_an_agency_its_own_decisions_a_coordinator_all_or_one(
    settings: Settings, client: Client, db: AsyncSession
):
    qltt, _ = await logged_in(client, db, agency="QLTT")
    await _decided(db, qltt, "1/QLTT", **person())
    period = {"decided_from": "2026-01-01", "decided_to": "2026-12-31"}
    async with AsyncTestClient(app=create_app(settings)) as skhcn:
        coordinator, _ = await logged_in(skhcn, db, agency="SKHCN", role="coordinator")
        await _decided(db, coordinator, "1/SKHCN", **person())
        everything = (await skhcn.get(RECORD, params=period)).json()["items"]
        only_qltt = (await skhcn.get(RECORD, params=period | {"agency": "QLTT"})).json()["items"]
        unknown = await skhcn.get(RECORD, params=period | {"agency": "NOPE"})
    assert sorted(item["decision_number"] for item in everything) == ["1/QLTT", "1/SKHCN"]
    assert [item["decision_number"] for item in only_qltt] == ["1/QLTT"]
    assert unknown.status_code == 400 and unknown.json()["field"] == "agency"
    own = (await client.get(RECORD, params=period)).json()["items"]
    assert [item["decision_number"] for item in own] == ["1/QLTT"]
    other = await client.get(RECORD, params=period | {"agency": "SKHCN"})
    assert other.status_code == 403 and other.json()["field"] == "agency"


async def test_a_period_reversed_or_longer_than_a_year_is_refused(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    reversed_ = await client.get(RECORD, params={"decided_from": "2026-05-01", "decided_to": "2026-04-01"})
    assert reversed_.status_code == 400 and reversed_.json()["field"] == "decided_to"
    too_long = await client.get(RECORD, params={"decided_from": "2025-01-01", "decided_to": "2026-03-01"})
    assert too_long.status_code == 400 and too_long.json()["field"] == "decided_from"
    assert "366" in too_long.json()["message_vi"]


async def test_retention_scrubs_the_decisions_personal_fields(db: AsyncSession, client: Client):
    from service.retention.rules import Due
    from service.retention.service import anonymise_incident

    qltt, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, qltt, **person())
    stored = await decide(db, incident, qltt, violator_birth_date=date(1990, 4, 2), violator_sex="male")
    due = Due(
        id=incident.id,
        record_class="administrative",
        rule_class="administrative",
        years=5,
        last_activity=datetime(2020, 1, 1, tzinfo=UTC),
        linked=False,
    )
    locked = await db.get(Incident, incident.id, with_for_update=True)
    assert locked is not None
    await anonymise_incident(db, locked, due, datetime(2026, 12, 6, tzinfo=UTC))
    await db.commit()
    await db.refresh(stored)
    assert (stored.violator_birth_date, stored.violator_sex, stored.number) == (None, None, stored.number)
    assert stored.fine_vnd == 15_000_000  # figures stay


async def test_the_pages_show_the_added_fields_and_link_the_record(client: Client, db: AsyncSession):
    qltt, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, qltt, **person())
    await decide(
        db, incident, qltt, violator_birth_date=date(1990, 4, 2), violator_sex="female", payment_status="paid",
        executed_on=date(2026, 3, 12),
    )  # fmt: skip
    view = await client.get(f"/incidents/{incident.id}")
    assert view.status_code == 200
    assert "02/04/1990" in view.text and "Nữ" in view.text and "12/03/2026" in view.text
    listing = await client.get("/sanctions", params={"decided_from": "2026-03-01"})
    assert f"{RECORD}?decided_from=2026-03-01&amp;format=xlsx" in listing.text
    reads = await db.execute(text("SELECT fields FROM audit_events WHERE detail->>'view' = 'page.incident'"))
    assert any("sanction.violator_birth_date" in fields for (fields,) in reads)
