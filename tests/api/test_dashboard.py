"""The coordinator's dashboard: this month's and this year's counts, overdue referrals, both maps, access."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.clock import LOCAL_TZ, local_day, now
from service.dashboard.figures import periods
from tests.builders import logged_in, make_incident, make_user
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html,application/xhtml+xml"}


def local(day: Any, hour: int, minute: int = 0) -> datetime:
    """A moment given in Lai Châu time, stored as UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC)


def figures(page: str, table: str) -> dict[str, tuple[str, ...]]:
    """{row code: (cells...)} of one dashboard table, by the section's id."""
    section = re.search(rf'<section class="dash-card" id="{table}">(.*?)</section>', page, re.DOTALL)
    assert section, table
    rows = re.findall(r'<tr data-code="([^"]+)"[^>]*>(.*?)</tr>', section.group(1), re.DOTALL)
    return {code: tuple(re.findall(r'<td class="num"[^>]*>([^<]*)</td>', cells)) for code, cells in rows}


async def test_counts_are_this_months_and_this_years_incidents_by_kind_and_agency(client: Client, db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    qltt, police = await make_user(db, agency="QLTT"), await make_user(db, agency="CA", role="agency_staff")
    span = periods(local_day(now()))
    await make_incident(db, qltt, occurred_at=now())
    await make_incident(db, qltt, occurred_at=local(span.year_start, 0, 30))  # just inside the year, local time
    await make_incident(db, qltt, occurred_at=local(span.year_start - timedelta(days=1), 23, 30))  # last year
    await make_incident(db, qltt, occurred_at=now(), status="withdrawn")  # not counted
    await make_incident(db, police, kind="advertising_violation", occurred_at=now())
    response = await client.get("/dashboard", headers=HTML)
    assert response.status_code == 200, response.text
    january = span.month_start == span.year_start  # in January the year's first day is also this month's
    seizures = ("2" if january else "1", "2")
    assert figures(response.text, "by-kind")["seizure"] == seizures
    assert figures(response.text, "by-kind")["advertising_violation"] == ("1", "1")
    assert figures(response.text, "by-kind")["dispute"] == ("0", "0")
    assert figures(response.text, "by-agency") == {"QLTT": seizures, "CA": ("1", "1")}
    total = re.search(r'id="by-kind">.*?<tfoot>(.*?)</tfoot>', response.text, re.DOTALL)
    assert total and re.findall(r">(\d+)</td>", total.group(1)) == ["3" if january else "2", "3"]


async def test_counts_link_to_the_export_of_the_same_incidents(client: Client, db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    qltt = await make_user(db, agency="QLTT")
    await make_incident(db, qltt, occurred_at=now())
    page = (await client.get("/dashboard", headers=HTML)).text
    span = periods(local_day(now()))
    link = re.search(r'<tr data-code="QLTT".*?href="([^"]+format=csv)"', page, re.DOTALL)
    assert link, page
    url = link.group(1).replace("&amp;", "&")
    assert url.startswith("/api/incidents/export?") and f"occurred_from={span.year_start}" in url
    exported = (await client.get(url)).content.decode("utf-8-sig").strip().splitlines()
    assert len(exported) == 1 + 1


async def _refer(client: Client, headers: dict[str, str], to_agency: str) -> str:
    incident = await client.post("/api/incidents", json=body("seizure"), headers=headers)
    sent = {"incident_id": incident.json()["id"], "to_agency": to_agency, "type": "PHOI_HOP_XAC_MINH"}
    response = await client.post("/api/referrals", json=sent, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_overdue_referrals_are_counted_per_receiving_agency(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, agency="QLTT")
    to_police = [await _refer(client, headers, "CA") for _ in range(3)]
    to_customs = await _refer(client, headers, "HQ")
    yesterday = local_day(now()) - timedelta(days=1)
    for late in (*to_police[:2], to_customs):
        await db.execute(text("UPDATE referrals SET ack_due_on = :d WHERE id = :id"), {"d": yesterday, "id": late})
    await db.execute(text("UPDATE referrals SET status = 'closed' WHERE id = :id"), {"id": to_police[1]})
    await db.commit()
    await client.post("/api/auth/logout", headers=headers)
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    page = (await client.get("/dashboard", headers=HTML)).text
    listed = (await client.get("/api/referrals/overdue")).json()
    assert figures(page, "overdue") == {"CA": ("2", "1"), "HQ": ("1", "1")}
    assert sorted(r["to_agency"] for r in listed) == ["CA", "HQ"]
    queue = re.search(r'href="(/referrals/inbox\?queue_of=CA[^"]*)"', page)
    assert queue and (await client.get(queue.group(1).replace("&amp;", "&"), headers=HTML)).status_code == 200


async def test_the_numbers_come_without_any_map_and_each_map_is_a_frame_of_its_own(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, role="coordinator", agency="SKHCN")
    await make_incident(db, user, occurred_at=now())
    dashboard = await client.get("/dashboard", headers=HTML)
    page = dashboard.text
    assert "leaflet" not in page and 'class="ipc-map"' not in page  # nothing of the maps delays the numbers
    frames = re.findall(r'<iframe src="([^"]+)" title="([^"]+)" loading="lazy">', page)
    assert [src for src, _ in frames] == ["/dashboard/maps/hotspots", "/dashboard/maps/choropleth"]
    assert all(title for _, title in frames)
    assert page.count(">Mở bản đồ đầy đủ</a>") == 2  # the full map pages, for a browser without JavaScript too
    assert dashboard.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in dashboard.headers["content-security-policy"]
    for src, _ in frames:
        response = await client.get(src, headers=HTML)
        assert response.status_code == 200
        framed = response.text
        assert framed.count("vendor/leaflet/leaflet.js") == 1 and framed.count('class="ipc-map"') == 1
        nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"])
        assert nonce and framed.count(f'<script nonce="{nonce.group(1)}">') == 1
        assert re.findall(r"<script>", framed) == []
        # Only ipcoord's own pages may frame it; every other page refuses any frame.
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    hotspots = (await client.get("/dashboard/maps/hotspots", headers=HTML)).text
    choropleth = (await client.get("/dashboard/maps/choropleth", headers=HTML)).text
    assert "Điểm nóng Getis-Ord Gi*" in hotspots and "Số vụ theo đơn vị" in choropleth
    assert (await client.get("/dashboard/maps/hexbins", headers=HTML)).status_code == 404


@pytest.mark.parametrize(("role", "agency"), [("inspector", "QLTT"), ("agency_staff", "CA"), ("agency_head", "HQ")])
async def test_other_roles_get_a_403_page_and_the_api_its_json(
    client: Client, db: AsyncSession, role: str, agency: str
):
    await logged_in(client, db, role=role, agency=agency)
    page = await client.get("/dashboard", headers=HTML)
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "Bạn không có quyền thực hiện thao tác này." in page.text and "Tổng quan điều phối" not in page.text
    api = await client.get("/dashboard")
    assert api.status_code == 403 and api.json()["code"] == "auth.forbidden"


async def test_administrators_see_the_dashboard(client: Client, db: AsyncSession):
    await logged_in(client, db, role="admin", agency="SKHCN")
    assert (await client.get("/dashboard", headers=HTML)).status_code == 200


async def test_a_browser_without_a_session_is_sent_to_the_login_page(client: Client, db: AsyncSession):
    response = await client.get("/dashboard", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fdashboard"


async def test_the_page_is_in_english_when_asked(client: Client, db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    client.cookies.set("ipcoord_lang", "en")
    page = (await client.get("/dashboard", headers=HTML)).text
    assert "Coordination dashboard" in page and "Inspection and seizure of infringing goods" in page
