"""Sanction decisions over HTTP: fine ceilings by sector, violator and date; agency scope; payment history."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import User
from service.incidents.models import Incident, IncidentEvent
from service.sanctions.models import SanctionDecision
from tests.builders import logged_in, make_incident, make_user

Client = AsyncTestClient[Litestar]


def decision(**overrides: Any) -> dict[str, Any]:
    """A fine of 15,000,000 VND for selling counterfeit-mark goods, decided in March 2026."""
    body: dict[str, Any] = {
        "number": "15/QĐ-XPHC",
        "decided_on": "2026-03-05",
        "decider_name": "Lò Văn Minh",
        "decider_title": "Đội trưởng Đội QLTT số 1",
        "acts": ["HANG_GIA_MAO_NHAN_HIEU"],
        "principal_sanction": "PHAT_TIEN",
        "additional_sanctions": ["TICH_THU"],
        "remedial_measures": ["BUOC_TIEU_HUY"],
        "fine_vnd": 15_000_000,
    }
    return body | overrides


def with_violator(violator_type: str) -> dict[str, Any]:
    """make_incident overrides: the seizure's payload names a violator of this type."""
    payload = {"kind": "seizure", "violator": {"type": violator_type, "name": "Hộ kinh doanh Thử"}}
    return {"payload": payload}


async def _sanctions_url(db: AsyncSession, user: User, **incident: Any) -> tuple[Incident, str]:
    stored = await make_incident(db, user, **incident)
    return stored, f"/api/incidents/{stored.id}/sanctions"


async def _stored_decisions(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(SanctionDecision)) or 0


async def _incident_now(db: AsyncSession, incident: Incident) -> Incident:
    await db.refresh(incident)
    return incident


async def _events(db: AsyncSession, incident: Incident) -> list[IncidentEvent]:
    stmt = select(IncidentEvent).where(IncidentEvent.incident_id == incident.id).order_by(IncidentEvent.id)
    return list(await db.scalars(stmt))


def _names_fine(body: dict[str, Any]) -> None:
    assert body["field"] == "fine_vnd", body
    assert [e["field"] for e in body["errors"]] == ["fine_vnd"], body


async def test_fine_within_the_ceiling_is_stored_and_the_incident_is_sanctioned(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident, url = await _sanctions_url(db, user)
    response = await client.post(url, json=decision(), headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["fine_vnd"] == 15_000_000 and created["agency_code"] == "QLTT"
    assert created["payment_status"] == "unpaid" and created["incident_id"] == str(incident.id)
    listed = (await client.get(url)).json()
    assert [d["id"] for d in listed] == [created["id"]]
    incident = await _incident_now(db, incident)
    assert incident.status == "sanctioned" and incident.version == 2
    [event] = await _events(db, incident)
    assert event.action == "sanction_added" and event.actor_id == user.id and event.version == 2
    assert event.changes == {
        "sanction": {"number": "15/QĐ-XPHC", "fine_vnd": 15_000_000, "principal_sanction": "PHAT_TIEN"},
        "status": {"old": "recorded", "new": "sanctioned"},
    }


async def test_fine_above_the_individual_ceiling_is_refused_quoting_the_ceiling(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident, url = await _sanctions_url(db, user, **with_violator("individual"))
    response = await client.post(url, json=decision(fine_vnd=300_000_000), headers=headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "sanction.fine_over_ceiling"
    _names_fine(body)
    assert "250,000,000" in body["message_vi"] and "250,000,000" in body["message_en"]
    assert "99/2013" in body["message_en"]
    assert await _stored_decisions(db) == 0
    assert (await _incident_now(db, incident)).status == "recorded"


async def test_same_fine_for_an_organisation_is_within_its_500_million_ceiling(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    _, url = await _sanctions_url(db, user, **with_violator("organisation"))
    response = await client.post(url, json=decision(fine_vnd=300_000_000), headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["fine_vnd"] == 300_000_000


@pytest.mark.parametrize(("fine_vnd", "status"), [(50_000_000, 201), (50_000_001, 422)])
async def test_plant_variety_fines_stop_at_50_million(client: Client, db: AsyncSession, fine_vnd: int, status: int):
    user, headers = await logged_in(client, db, agency="SNN")
    _, url = await _sanctions_url(db, user)
    body = decision(acts=["XAM_PHAM_GIONG"], fine_vnd=fine_vnd, remedial_measures=[])
    response = await client.post(url, json=body, headers=headers)
    assert response.status_code == status, response.text
    if status == 422:
        assert "50,000,000" in response.json()["message_en"]


async def test_fine_with_decimals_is_refused_naming_the_field(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    _, url = await _sanctions_url(db, user)
    response = await client.post(url, json=decision(fine_vnd=1_500_000.5), headers=headers)
    assert response.status_code == 400, response.text
    _names_fine(response.json())
    assert await _stored_decisions(db) == 0


async def test_unknown_act_code_is_refused(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    _, url = await _sanctions_url(db, user)
    response = await client.post(url, json=decision(acts=["BAN_HANG_RONG"]), headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "field.invalid_choice"
    assert response.json()["field"] == "acts[0]"
    assert await _stored_decisions(db) == 0


async def test_agency_that_cannot_see_the_incident_gets_404_and_nothing_is_stored(client: Client, db: AsyncSession):
    recorder = await make_user(db, agency="QLTT")
    incident, url = await _sanctions_url(db, recorder)
    _, headers = await logged_in(client, db, agency="CA")
    response = await client.post(url, json=decision(), headers=headers)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "incident.not_found"
    assert (await client.get(url)).status_code == 404
    assert await _stored_decisions(db) == 0
    assert (await _incident_now(db, incident)).status == "recorded"


async def test_coordinator_may_sanction_another_agencys_incident(client: Client, db: AsyncSession):
    recorder = await make_user(db, agency="QLTT")
    _, url = await _sanctions_url(db, recorder)
    _, headers = await logged_in(client, db, role="coordinator", agency="SKHCN")
    response = await client.post(url, json=decision(), headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["agency_code"] == "SKHCN"


async def test_warning_with_a_fine_is_refused(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    _, url = await _sanctions_url(db, user)
    response = await client.post(url, json=decision(principal_sanction="CANH_CAO"), headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "sanction.warning_with_fine"
    _names_fine(response.json())
    assert await _stored_decisions(db) == 0


async def test_fine_sanction_without_an_amount_is_refused(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    _, url = await _sanctions_url(db, user)
    response = await client.post(url, json=decision(fine_vnd=0), headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "sanction.fine_required"
    _names_fine(response.json())


async def test_warning_without_a_fine_is_recorded(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    _, url = await _sanctions_url(db, user)
    response = await client.post(url, json=decision(principal_sanction="CANH_CAO", fine_vnd=0), headers=headers)
    assert response.status_code == 201, response.text


async def test_withdrawn_incident_cannot_be_sanctioned(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident, url = await _sanctions_url(db, user, status="withdrawn")
    response = await client.post(url, json=decision(), headers=headers)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "sanction.incident_withdrawn"
    assert (await _incident_now(db, incident)).status == "withdrawn"


async def test_payment_update_is_kept_in_the_history_with_its_reason(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident, url = await _sanctions_url(db, user)
    created = (await client.post(url, json=decision(), headers=headers)).json()
    reason = "Biên lai nộp phạt số 0012345 ngày 10/3/2026"
    response = await client.patch(
        f"{url}/{created['id']}/payment", json={"payment_status": "paid", "reason": reason}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["payment_status"] == "paid"
    assert [d["payment_status"] for d in (await client.get(url)).json()] == ["paid"]
    event = (await _events(db, incident))[-1]
    assert event.action == "sanction_payment_updated" and event.reason == reason
    assert event.changes["payment_status"] == {"old": "unpaid", "new": "paid"}
    assert event.changes["sanction"]["number"] == "15/QĐ-XPHC"


async def test_payment_update_without_a_reason_is_refused(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident, url = await _sanctions_url(db, user)
    created = (await client.post(url, json=decision(), headers=headers)).json()
    response = await client.patch(
        f"{url}/{created['id']}/payment", json={"payment_status": "paid", "reason": "ok"}, headers=headers
    )
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "reason"
    assert [d["payment_status"] for d in (await client.get(url)).json()] == ["unpaid"]
    assert [e.action for e in await _events(db, incident)] == ["sanction_added"]


async def test_payment_update_of_an_unknown_decision_is_404(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    _, url = await _sanctions_url(db, user)
    response = await client.patch(
        f"{url}/01a21203-b638-7311-b137-b8e8d8a7f725/payment",
        json={"payment_status": "paid", "reason": "Đã nộp phạt"},
        headers=headers,
    )
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "sanction.not_found"
