"""A refused incident names every field at fault in one answer, each once (an empty seizure form is one round trip)."""

from __future__ import annotations

import copy

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.incidents.models import Incident
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]


async def test_an_empty_seizure_names_every_missing_field_once(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    response = await client.post("/api/incidents", json={"kind": "seizure"}, headers=headers)
    assert response.status_code == 400
    answer = response.json()
    fields = [e["field"] for e in answer["errors"]]
    assert fields == ["occurred_at", "subject_matter", "infringement_acts", "record_number", "goods", "location"]
    assert len(set(fields)) == len(fields)
    place = next(e for e in answer["errors"] if e["field"] == "location")
    assert place["code"] == "incident.place_required" and "GPS" in place["message_vi"]
    assert answer["field"] == "occurred_at" and answer["code"] == "field.required"
    assert await db.scalar(select(func.count()).select_from(Incident)) == 0


async def test_every_bad_value_is_named_with_its_rule(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    sent = copy.deepcopy(body("seizure"))
    sent["occurred_at"] = "02/03/2026 09:30"
    sent["goods"][0]["quantity"] = 0
    sent["goods"][2]["unit_price_vnd"] = "nhiều"
    sent["violator"]["type"] = "robot"
    sent["record_number"] = "x" * 201
    sent["colour"] = "red"
    response = await client.post("/api/incidents", json=sent, headers=headers)
    assert response.status_code == 400
    codes = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert codes == {
        "occurred_at": "field.format",
        "violator.type": "field.invalid_choice",
        "record_number": "field.too_long",
        "goods[0].quantity": "field.too_small",
        "goods[2].unit_price_vnd": "field.type",
        "colour": "field.unknown",
    }


async def test_a_body_without_a_place_only_is_refused_once(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    sent = copy.deepcopy(body("seizure"))
    del sent["location"]
    response = await client.post("/api/incidents", json=sent, headers=headers)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["location"]


async def test_a_body_with_trailing_bytes_after_a_wrong_value_is_still_a_400(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db)
    response = await client.post(
        "/api/incidents", content=b'{"kind": 1} x', headers=headers | {"content-type": "application/json"}
    )
    assert response.status_code == 400
