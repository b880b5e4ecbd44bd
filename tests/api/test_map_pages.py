"""The map pages over HTTP: a light page with local assets only, errors beside their field, scope kept."""

from __future__ import annotations

import gzip
import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.builders import logged_in, make_incident

Client = AsyncTestClient[Litestar]


async def test_choropleth_page_speaks_vietnamese_is_local_and_light(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await make_incident(db, user)
    response = await client.get("/maps/choropleth", params={"start": "2026-01-01", "end": "2026-12-31"})
    page = response.text
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "Số vụ theo đơn vị" in page and "Cases per unit" not in page and "Kỳ: 01/01/2026 – 31/12/2026" in page
    assert 'href="/lang?code=en' in page  # English one click away
    assert "Phường Đoàn Kết" in page and "sapnhap.bando.com.vn" in page
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"https://tile.openstreetmap.org/{z}/{x}/{y}.png"}, urls
    assert re.search(r'src="/static/vendor/leaflet/leaflet\.js\?v=[0-9a-f]{12}"', page)
    assert len(gzip.compress(response.content)) < 150_000


async def test_english_when_asked(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    switched = await client.get("/lang", params={"code": "en", "next": "/maps/hexbins"}, follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/maps/hexbins"
    page = (await client.get("/maps/hexbins")).text
    assert "Incident density" in page and "Mật độ vụ việc" not in page


async def test_bad_filters_are_shown_beside_their_field_with_what_was_typed(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    response = await client.get("/maps/hotspots", params={"start": "2026-05-01", "end": "2026-04-01", "alpha": "0.5"})
    page = response.text
    assert response.status_code == 400
    assert 'id="alpha-error"' in page and 'value="0.5"' in page and 'value="01/05/2026"' in page
    assert "phải nằm trong" in page and "ipc-map" not in page
    period = await client.get("/maps/hotspots", params={"start": "2026-05-01", "end": "2026-04-01"})
    assert period.status_code == 400 and 'id="end-error"' in period.text and "trước ngày bắt đầu" in period.text


async def test_agency_staff_get_their_own_map_and_no_other_agency(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT", role="inspector")
    own = await client.get("/maps/choropleth")
    other = await client.get("/maps/choropleth", params={"agency": "CA"})
    assert own.status_code == 200 and "Cơ quan: QLTT" in own.text and '<option value="CA"' not in own.text
    assert other.status_code == 403 and 'id="agency-error"' in other.text


async def test_pages_need_a_login(client: Client):
    for page in ("choropleth", "hotspots", "hexbins"):
        assert (await client.get(f"/maps/{page}")).status_code == 401
