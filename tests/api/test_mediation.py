"""Mediation cases over HTTP: sessions, the 20/30-day clock and its extension, and the recorded outcome."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.calendar.repository import load_calendar
from service.calendar.workdays import WorkCalendar, add_months, next_working_day
from service.clock import local_day, now
from service.notifications.models import OutboxMessage
from service.referrals.mediation import MEDIATION_TYPES, outcome_fields
from service.referrals.models import Referral, ReferralEvent
from service.referrals.transitions import outcomes_for
from service.settings import Settings
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]


async def _refer(
    client: Client, headers: dict[str, str], kind: str = "dispute", to: str = "HOA_GIAI", type_: str = "CHUYEN_HOA_GIAI"
) -> Any:
    incident = (await client.post("/api/incidents", json=body(kind), headers=headers)).json()
    sent = {"incident_id": incident["id"], "to_agency": to, "type": type_, "message": "Đề nghị hòa giải"}
    return await client.post("/api/referrals", json=sent, headers=headers)


async def _act(client: Client, headers: dict[str, str], referral_id: str, *actions: dict[str, Any]) -> Any:
    for action in actions:
        response = await client.post(f"/api/referrals/{referral_id}/actions", json=action, headers=headers)
        assert response.status_code == 200, response.text
    return response


async def _days_off(db: AsyncSession) -> WorkCalendar:
    return await load_calendar(db)


def _decision(referral: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in referral["clocks"] if c["name"] == "decision")


async def test_sessions_round_trip_and_the_sender_reads_them(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="SKHCN", role="agency_staff")
    referral = (await _refer(client, headers)).json()
    url = f"/api/referrals/{referral['id']}/mediation/sessions"
    today = local_day(now())
    session = {"held_on": today.isoformat(), "place": "Nhà văn hóa phường Đoàn Kết", "minutes": "Các bên trình bày"}
    async with AsyncTestClient(app=create_app(settings)) as mediator:
        user, mediator_headers = await logged_in(mediator, db, agency="HOA_GIAI", role="agency_staff")
        early = await mediator.post(url, json=session, headers=mediator_headers)
        await _act(mediator, mediator_headers, referral["id"], {"action": "acknowledge"})
        recorded = await mediator.post(url, json=session, headers=mediator_headers)
        future = await mediator.post(
            url, json=session | {"held_on": (today + timedelta(days=1)).isoformat()}, headers=mediator_headers
        )
    by_sender = await client.post(url, json=session, headers=headers)
    listed = (await client.get(url)).json()
    assert early.status_code == 409 and early.json()["code"] == "mediation.not_under_way"  # not yet acknowledged
    assert recorded.status_code == 201, recorded.text
    assert future.status_code == 422 and future.json()["field"] == "held_on"
    assert by_sender.status_code == 403 and by_sender.json()["code"] == "referral.not_receiver"
    assert [{k: s[k] for k in ("held_on", "place", "minutes", "recorded_by")} for s in listed] == [
        session | {"recorded_by": user.username}
    ]


async def test_extension_moves_the_due_date_from_20_to_30_days_then_2_months(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="SKHCN", role="agency_staff")
    referral = (await _refer(client, headers)).json()
    url = f"/api/referrals/{referral['id']}/mediation/extend"
    async with AsyncTestClient(app=create_app(settings)) as mediator:
        _, mediator_headers = await logged_in(mediator, db, agency="HOA_GIAI", role="agency_staff")
        acknowledged = (await _act(mediator, mediator_headers, referral["id"], {"action": "acknowledge"})).json()
        complex_case = await mediator.post(
            url, json={"rule": "court_mediation_complex", "note": "Vụ việc phức tạp"}, headers=mediator_headers
        )
        agreed = await mediator.post(
            url, json={"rule": "court_mediation_agreed", "note": "Các bên thỏa thuận"}, headers=mediator_headers
        )
        shorter = await mediator.post(
            url, json={"rule": "court_mediation_complex", "note": "Rút ngắn"}, headers=mediator_headers
        )
        timeline = (await mediator.get(f"/api/referrals/{referral['id']}/events")).json()
    day, days_off = local_day(now()), await _days_off(db)  # acknowledged today: the clock starts today
    assert _decision(acknowledged)["due_on"] == next_working_day(day + timedelta(days=20), days_off).isoformat()
    assert complex_case.status_code == 200, complex_case.text
    assert _decision(complex_case.json())["rule"] == "court_mediation_complex"
    assert _decision(complex_case.json())["due_on"] == next_working_day(day + timedelta(days=30), days_off).isoformat()
    assert _decision(agreed.json())["due_on"] == next_working_day(add_months(day, 2), days_off).isoformat()
    assert shorter.status_code == 409 and shorter.json()["field"] == "rule"
    assert [(e["action"], e["note"]) for e in timeline if e["action"] == "clock_extended"] == [
        ("clock_extended", "Vụ việc phức tạp"),
        ("clock_extended", "Các bên thỏa thuận"),
    ]
    announced = await db.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "referral.clock_extended")
    )
    assert announced == 2  # the sending agency is told each time


async def test_extension_of_a_criminal_referral_is_422(settings: Settings, client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    referral = (await _refer(client, headers, kind="seizure", to="CA", type_="CHUYEN_HO_SO_HINH_SU")).json()
    async with AsyncTestClient(app=create_app(settings)) as police:
        _, police_headers = await logged_in(police, db, agency="CA", role="agency_staff")
        await _act(police, police_headers, referral["id"], {"action": "acknowledge"})
        response = await police.post(
            f"/api/referrals/{referral['id']}/mediation/extend",
            json={"rule": "court_mediation_complex", "note": "Phức tạp"},
            headers=police_headers,
        )
    assert response.status_code == 422 and response.json()["code"] == "mediation.wrong_type"
    assert "CHUYEN_HO_SO_HINH_SU" in response.json()["message_en"]


async def test_referring_something_other_than_a_dispute_to_mediation_is_422(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    response = await _refer(client, headers, kind="seizure")
    assert response.status_code == 422 and response.json()["code"] == "mediation.not_a_dispute"
    assert response.json()["field"] == "incident_id" and "seizure" in response.json()["message_vi"]
    assert await db.scalar(select(func.count()).select_from(Referral)) == 0


async def test_closing_with_thanh_records_a_mediation_outcome_for_the_receiver(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="SKHCN", role="agency_staff")
    referral = (await _refer(client, headers)).json()
    close = {"action": "close", "outcome": "THANH", "note": "Các bên thỏa thuận bồi thường"}
    async with AsyncTestClient(app=create_app(settings)) as mediator:
        _, mediator_headers = await logged_in(mediator, db, agency="HOA_GIAI", role="agency_staff")
        await _act(mediator, mediator_headers, referral["id"], {"action": "acknowledge"}, {"action": "start"}, close)
        outcomes = (await mediator.get("/api/incidents", params={"kind": "mediation_outcome"})).json()["items"]
    [outcome] = outcomes
    assert outcome["agency_code"] == "HOA_GIAI" and outcome["place"]["unit_2025"] == "03388"
    assert outcome["data"]["settles_incident_id"] == referral["incident_id"]
    assert outcome["data"]["outcome"] == "THANH" and outcome["data"]["recognition"] is None
    assert outcome["data"]["mediator"] == "Hòa giải viên" and outcome["data"]["outcome_date"] == str(local_day(now()))
    closed = await db.scalar(select(ReferralEvent).where(ReferralEvent.action == "close"))
    assert closed is not None and closed.details == {"mediation_outcome_incident_id": outcome["id"]}


async def test_court_recognition_is_recorded_as_a_recognised_successful_mediation(
    settings: Settings, client: Client, db: AsyncSession
):
    _, headers = await logged_in(client, db, agency="SKHCN", role="agency_staff")
    referral = (await _refer(client, headers, to="TOA_AN", type_="CHUYEN_TOA_AN")).json()
    close = {"action": "close", "outcome": "CONG_NHAN"}
    async with AsyncTestClient(app=create_app(settings)) as court:
        _, court_headers = await logged_in(court, db, agency="TOA_AN", role="agency_staff")
        await _act(court, court_headers, referral["id"], {"action": "acknowledge"}, {"action": "start"}, close)
        [outcome] = (await court.get("/api/incidents", params={"kind": "mediation_outcome"})).json()["items"]
    assert (outcome["data"]["outcome"], outcome["data"]["recognition"]) == ("THANH", "CONG_NHAN")
    assert outcome["data"]["mediator"] == "Tòa án nhân dân tỉnh"


@pytest.mark.parametrize("referral_type", sorted(MEDIATION_TYPES))
def test_every_closing_outcome_of_a_mediation_type_maps_to_an_incident_outcome(referral_type: str):
    for closing in outcomes_for(referral_type):
        outcome, recognition = outcome_fields(closing)
        assert outcome in {"THANH", "THANH_MOT_PHAN", "KHONG_THANH", "CHAM_DUT"}
        assert recognition in {None, closing}


def test_an_award_is_an_unsuccessful_mediation_decided_by_arbitration():
    assert outcome_fields("PHAN_QUYET") == ("KHONG_THANH", "PHAN_QUYET")
