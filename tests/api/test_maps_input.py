"""Bad map filters get a 400 naming the field, in both languages."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.builders import logged_in

Client = AsyncTestClient[Litestar]

BAD = [
    ("/api/maps/choropleth", {"start": "2026-05-01", "end": "2026-04-30"}, "end"),
    ("/api/maps/choropleth", {"start": "2010-01-01", "end": "2026-01-01"}, "start"),
    ("/api/maps/hexbins", {"start": "2015-01-01"}, "start"),
    ("/api/maps/choropleth", {"start": "1 tháng 5"}, "start"),
    ("/api/maps/choropleth", {"generation": "2023"}, "generation"),
    ("/api/maps/choropleth", {"kind": "piracy"}, "kind"),
    ("/api/maps/hotspots", {"agency": "NOPE"}, "agency"),
    ("/api/maps/hexbins", {"resolution": "3"}, "resolution"),
    ("/api/maps/hexbins", {"resolution": "11"}, "resolution"),
    ("/api/maps/hotspots", {"areas": "h3", "resolution": "12"}, "resolution"),
    ("/api/maps/hotspots", {"permutations": "10000"}, "permutations"),
    ("/api/maps/hotspots", {"alpha": "0"}, "alpha"),
    ("/api/maps/hotspots", {"alpha": "0.25"}, "alpha"),
    ("/api/maps/hotspots", {"areas": "districts"}, "areas"),
    ("/api/maps/choropleth", {"format": "xml"}, "format"),
]


@pytest.mark.parametrize(("path", "params", "field"), BAD)
async def test_bad_filter_names_the_field(client: Client, db: AsyncSession, path: str, params: dict, field: str):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    response = await client.get(path, params=params)
    body = response.json()
    assert response.status_code == 400, body
    assert body["field"] == field or field in [e["field"] for e in body.get("errors", [])]
    assert body["message_vi"] and body["message_en"] and body["message_vi"] != body["message_en"]


async def test_a_period_of_exactly_ten_years_is_accepted(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    response = await client.get("/api/maps/choropleth", params={"start": "2016-01-01", "end": "2026-01-01"})
    assert response.status_code == 200


async def test_agency_staff_cannot_ask_for_another_agency_hexbins(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT", role="inspector")
    response = await client.get("/api/maps/hexbins", params={"agency": "CA"})
    assert response.status_code == 403 and response.json()["field"] == "agency"
