"""The issue's check: a partner granted incidents only reads the catalogue, pages through incidents with OData
options, sees no personal field, and is refused sanctions; bad OData options are 400s naming the option."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.test_share_partners import register, token
from tests.builders import make_incident, make_user

PERSONAL = {"violator", "violators", "name", "id_number", "tax_code", "address", "payload", "search_text", "lon", "lat"}
SELECT = "id,kind,unit_2025,occurred_on,agency"


async def partner_headers(client: AsyncTestClient[Litestar], db: AsyncSession) -> dict[str, str]:
    created = await register(client, db)
    client.cookies.clear()  # the partner system has no login session
    answer = (await token(client, created["client_id"], created["client_secret"])).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


async def test_partner_granted_incidents_pages_them_and_is_refused_sanctions(
    client: AsyncTestClient[Litestar], db: AsyncSession
):
    inspector = await make_user(db, role="inspector", agency="QLTT")
    for _ in range(7):
        await make_incident(db, inspector)
    await make_incident(db, inspector, unit_2025="03390")
    headers = await partner_headers(client, db)

    catalogue = await client.get("/api/share/v1/datasets", headers=headers)
    assert catalogue.status_code == 200, catalogue.text
    incidents = next(d for d in catalogue.json()["value"] if d["name"] == "incidents")
    assert incidents["licence"] and incidents["legal_basis"] and incidents["update_frequency"] == "daily"
    assert all(f["description_vi"] and f["description_en"] for f in incidents["fields"])
    assert not PERSONAL & {f["name"] for f in incidents["fields"]}

    query: dict[str, Any] = {
        "$filter": "kind eq 'seizure' and unit_2025 eq '03388'",
        "$select": SELECT,
        "$top": 5,
        "$count": "true",
    }
    first = (await client.get("/api/share/v1/datasets/incidents", params=query, headers=headers)).json()
    assert first["@odata.count"] == 7 and len(first["value"]) == 5
    assert all(set(row) == set(SELECT.split(",")) and row["unit_2025"] == "03388" for row in first["value"])
    assert "%24skip=5" in first["@odata.nextLink"] or "$skip=5" in first["@odata.nextLink"]
    second = (await client.get(first["@odata.nextLink"], headers=headers)).json()
    assert len(second["value"]) == 2 and "@odata.nextLink" not in second
    assert {r["id"] for r in first["value"]}.isdisjoint({r["id"] for r in second["value"]})

    refused = await client.get("/api/share/v1/datasets/sanctions", headers=headers)
    assert refused.status_code == 403 and refused.json()["code"] == "share.dataset_not_granted"
    assert (await client.get("/api/share/v1/datasets/violators", headers=headers)).status_code == 404


async def test_bad_odata_options_are_400s_naming_them(client: AsyncTestClient[Litestar], db: AsyncSession):
    headers = await partner_headers(client, db)
    url = "/api/share/v1/datasets/incidents"
    cases = {
        "$filter": ["payload eq 'x'", "violator_name eq 'x'", "nosuchfn(kind)", "kind eq eq"],
        "$select": ["id,payload", " , "],
        "$orderby": ["search_text"],
        "$top": ["5000"],
    }
    for option, values in cases.items():
        for value in values:
            response = await client.get(url, params={option: value}, headers=headers)
            assert response.status_code == 400, (option, value, response.text)
            body = response.json()
            assert body["field"] == option and body["message_vi"] and body["message_en"], body
    unshared = (await client.get(url, params={"$filter": "payload eq 'x'"}, headers=headers)).json()
    assert "payload" in unshared["message_en"] and "payload" in unshared["message_vi"]


async def test_partner_routes_refuse_users_and_missing_or_bad_tokens(client: AsyncTestClient[Litestar]):
    assert (await client.get("/api/share/v1/datasets")).status_code == 401
    bad = await client.get("/api/share/v1/datasets", headers={"Authorization": "Bearer not.a.token"})
    assert bad.status_code == 401 and bad.json()["code"] == "share.invalid_client"
