"""/incidents: the list page the maps lead to, filtered by unit (either generation), period and kind, scoped."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.builders import logged_in, make_incident, make_user

Client = AsyncTestClient[Litestar]


def listed(page: str) -> list[str]:
    """The ids of the incidents the page lists."""
    return re.findall(r'<td><a href="/incidents/([0-9a-f-]{36})">', page)


async def test_the_list_shows_one_units_incidents_in_the_period_with_days_dd_mm_yyyy(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    in_unit = await make_incident(db, user)
    await make_incident(db, user, unit_2025="03595", district_2024="110", lon=103.892, lat=21.956)
    await make_incident(db, user, occurred_at=datetime(2025, 12, 30, 3, 0, tzinfo=UTC))
    query = {"unit": "2025:03388", "occurred_from": "01/01/2026", "occurred_to": "2026-12-31"}
    page = (await client.get("/incidents", params=query)).text
    assert listed(page) == [str(in_unit.id)]
    assert "Phường Đoàn Kết" in page and 'value="01/01/2026"' in page and 'value="31/12/2026"' in page
    district = (await client.get("/incidents", params={"unit": "2024:105"})).text
    assert len(listed(district)) == 2


async def test_bad_filters_are_shown_beside_their_field_in_the_readers_language(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    response = await client.get("/incidents", params={"occurred_from": "31/02/2026", "kind": "theft"})
    assert response.status_code == 400
    page = html.unescape(response.text)
    assert 'id="f-occurred_from-error"' in page and "dd/mm/yyyy" in page and 'value="31/02/2026"' in page
    assert 'id="f-kind-error"' in page
    bad_unit = await client.get("/incidents", params={"unit": "Mường Tè"})
    assert bad_unit.status_code == 400 and 'id="f-unit-error"' in bad_unit.text


async def test_an_inspector_sees_only_what_the_api_shows_them(client: Client, db: AsyncSession):
    other = await make_user(db, agency="CA")
    await make_incident(db, other)
    inspector, _ = await logged_in(client, db, agency="QLTT", role="inspector")
    own = await make_incident(db, inspector)
    page = (await client.get("/incidents", params={"unit": "2025:03388"})).text
    api = (await client.get("/api/incidents", params={"unit": "2025:03388"})).json()
    assert listed(page) == [item["id"] for item in api["items"]] == [str(own.id)]


async def test_every_unit_on_a_map_links_to_its_incidents_with_the_maps_filters(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await make_incident(db, user)
    query = {"start": "01/01/2026", "end": "31/12/2026", "kind": "seizure"}
    page = html.unescape((await client.get("/maps/choropleth", params=query)).text)
    link = "/incidents?unit=2025%3A03388&occurred_from=2026-01-01&occurred_to=2026-12-31&kind=seizure"
    assert f'href="{link}"' in page and f'"_href":"{link}"' in page.replace("\\u0026", "&")
    districts = html.unescape((await client.get("/maps/choropleth", params={"generation": "2024"})).text)
    assert 'href="/incidents?unit=2024%3A105"' in districts
    for _ in range(5):  # a hexagon is drawn once it holds a few incidents; a small one (res. 9) lies in the unit
        await make_incident(db, user)
    hexes = html.unescape((await client.get("/maps/hexbins", params={"resolution": "9"})).text)
    assert "/incidents?unit=2025%3A03388" in hexes.replace("\\u0026", "&")


async def test_status_text_agency_and_duplicate_filters_and_the_downloads_give_exactly_the_filtered_rows(
    client: Client, db: AsyncSession
):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    police = await make_user(db, agency="CA")
    shoes = await make_incident(db, police, status="under_verification", search_text="giay the thao nike")
    await make_incident(db, police, search_text="giay the thao nike")  # another status
    await make_incident(db, user, status="under_verification", search_text="giay the thao nike")  # another agency
    query = {"status": "under_verification", "q": "Giày thể thao", "agency": "CA"}
    page = (await client.get("/incidents", params=query)).text
    assert listed(page) == [str(shoes.id)]
    links = re.findall(r'href="(/api/incidents/export\?[^"]+)"', page)
    assert len(links) == 2 and "format=csv" in links[0] and "format=xlsx" in links[1]
    csv = (await client.get(html.unescape(links[0]))).content.decode("utf-8-sig")
    rows = [line for line in csv.splitlines()[1:] if line]
    assert len(rows) == 1 and str(shoes.id) in rows[0]
    other = await make_incident(db, police)
    a, b = sorted([shoes.id, other.id])
    await db.execute(
        text(
            "INSERT INTO duplicate_flags (incident_a_id, incident_b_id, reasons, days_apart, status)"
            " VALUES (:a, :b, ARRAY['same_reference'], 0, 'open')"
        ),
        {"a": a, "b": b},
    )
    await db.commit()
    flagged = (await client.get("/incidents", params={"duplicates": "flagged"})).text
    assert sorted(listed(flagged)) == sorted([str(a), str(b)]) and 'value="flagged" selected' in flagged
    bad = await client.get("/incidents", params={"duplicates": "maybe", "status": "lost"})
    assert bad.status_code == 400 and 'id="f-duplicates-error"' in bad.text and 'id="f-status-error"' in bad.text


async def test_the_list_pages_with_a_cursor_keeping_its_filters(client: Client, db: AsyncSession, monkeypatch):
    from service.incidents import list_page

    monkeypatch.setattr(list_page, "PAGE_SIZE", 2)
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    made = [await make_incident(db, user) for _ in range(3)]
    first = (await client.get("/incidents", params={"kind": "seizure"})).text
    assert len(listed(first)) == 2
    next_link = html.unescape(re.search(r'href="(/incidents\?[^"]*cursor=[^"]+)"', first).group(1))
    assert "kind=seizure" in next_link
    second = (await client.get(next_link)).text
    assert sorted(listed(first) + listed(second)) == sorted(str(i.id) for i in made)
