"""The /sanctions page over HTTP, as a browser without JavaScript uses it: the list, its filters with errors beside
them, its pages and downloads; the menu entry and the dashboard's links."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.clock import local_day, now
from service.dashboard.figures import periods
from service.sanctions import pages
from tests.api.test_exports import read_csv
from tests.api.test_sanction_list import decide, listed, violator
from tests.builders import logged_in, make_incident, make_user

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html,application/xhtml+xml"}


def rows(page: str) -> list[str]:
    """The decision numbers in the page's table, in order."""
    return [html.unescape(n) for n in re.findall(r'<th scope="row"><a href="/incidents/[^"]+"[^>]*>([^<]+)</a>', page)]


def downloads(page: str) -> dict[str, dict[str, list[str]]]:
    """The page's export links: {format: query}."""
    links = re.findall(r'<a href="(/api/sanctions/export\?[^"]+)" download', page)
    queries = [parse_qs(urlsplit(html.unescape(link)).query) for link in links]
    return {query.pop("format")[0]: query for query in queries}


def error_beside(page: str, name: str) -> str:
    """The error shown beside a filter, checking the field points to it."""
    assert re.search(rf'id="f-{name}"[^>]*aria-describedby="f-{name}-error"', page, re.DOTALL), name
    match = re.search(rf'<p class="field-error" id="f-{name}-error">([^<]*)</p>', page)
    assert match, f"no error beside {name}"
    return html.unescape(match.group(1))


async def test_the_page_lists_the_decisions_the_api_lists_with_filters_kept_and_downloads(
    client: Client, db: AsyncSession
):
    user, _ = await logged_in(client, db, agency="QLTT", role="agency_staff")
    incident = await make_incident(db, user, **violator())
    paid = await decide(db, incident, user, decided_on=date(2026, 3, 9), payment_status="paid", fine_vnd=1_250_000)
    await decide(db, incident, user, decided_on=date(2026, 3, 10))
    await decide(db, incident, user, decided_on=date(2026, 3, 1), payment_status="paid")
    query = {"payment_status": "paid", "decided_from": "2026-03-05", "q": "túi"}
    response = await client.get("/sanctions", params=query, headers=HTML)
    assert response.status_code == 200, response.text
    page = response.text
    assert rows(page) == [item["number"] for item in await listed(client, **query)] == [paid.number]
    assert '<option value="paid" selected>Đã nộp phạt</option>' in page
    assert 'value="05/03/2026"' in page and 'value="túi"' in page  # the day typed ISO is shown dd/mm/yyyy
    assert "1.250.000 ₫" in page and "01/03/2026" not in page and "09/03/2026" in page
    assert "Hộ kinh doanh Lò Văn A" in page and "Phường Đoàn Kết" in page and "012345678901" not in page
    links = downloads(page)
    assert set(links) == {"csv", "xlsx"}
    assert links["csv"] == links["xlsx"] == {k: [v] for k, v in query.items()}  # days as ISO in the downloads
    exported = read_csv((await client.get(f"/api/sanctions/export?{urlsplit(_link(page, 'csv')).query}")).content)
    assert [row[1] for row in exported[1:]] == [paid.number]


def _link(page: str, fmt: str) -> str:
    match = re.search(rf'<a href="(/api/sanctions/export\?[^"]*format={fmt}[^"]*)" download', page)
    assert match
    return html.unescape(match.group(1))


async def test_bad_filters_are_shown_beside_their_fields_with_what_was_typed(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    query = {"unit": "Mường Tè", "decided_from": "5/13/2026", "kind": "theft", "q": "15/QĐ"}
    response = await client.get("/sanctions", params=query, headers=HTML)
    assert response.status_code == 400
    page = response.text
    assert "2025:03388" in error_beside(page, "unit")
    assert "dd/mm/yyyy" in error_beside(page, "decided_from") and "Quyết định từ ngày" in page
    assert "Loại vụ việc" in error_beside(page, "kind")
    assert 'value="Mường Tè"' in page and 'value="5/13/2026"' in page and 'value="15/QĐ"' in page
    assert not downloads(page) and "sanction-table" not in page


async def test_an_end_before_the_start_is_shown_beside_the_end(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT")
    query = {"decided_from": "2026-03-10", "decided_to": "2026-03-01"}
    response = await client.get("/sanctions", params=query, headers={**HTML, "Accept-Language": "en"})
    assert response.status_code == 400
    message = error_beside(response.text, "decided_to")
    assert message == "The day in `Decided until` must not be before the day in `Decided from`."


async def test_pages_follow_the_cursor_with_the_same_filters(
    client: Client, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    user, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, user)
    made = [await decide(db, incident, user, decided_on=date(2026, 3, day)) for day in (1, 2, 3, 4, 5)]
    await decide(db, incident, user, decided_on=date(2026, 3, 6), payment_status="paid")
    first = (await client.get("/sanctions", params={"payment_status": "unpaid"}, headers=HTML)).text
    assert rows(first) == [made[4].number, made[3].number]
    following = re.search(r'<a href="(/sanctions\?[^"]+)">Trang sau</a>', first)
    assert following and "payment_status=unpaid" in following.group(1)
    second = (await client.get(html.unescape(following.group(1)), headers=HTML)).text
    assert rows(second) == [made[2].number, made[1].number]
    assert '<a href="/sanctions?payment_status=unpaid">Trang đầu</a>' in second
    assert set(downloads(second)["csv"]) == {"payment_status"}  # the downloads are the whole filtered list


async def test_the_page_shows_only_what_the_readers_agency_may_see(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SVHTTDL", role="agency_staff")
    qltt = await make_user(db, agency="QLTT")
    hidden = await decide(db, await make_incident(db, qltt), qltt)
    page = (await client.get("/sanctions", headers=HTML)).text
    assert rows(page) == [] and hidden.number not in page and "Không có quyết định nào phù hợp." in page


async def test_the_menu_of_every_role_links_to_the_page(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT", role="agency_head")
    page = (await client.get("/referrals/inbox", headers=HTML)).text
    assert re.search(r'<nav [^>]*class="site-menu">.*<a href="/sanctions">Quyết định xử phạt</a>', page, re.DOTALL)


async def test_a_browser_without_a_session_is_sent_to_login(client: Client):
    response = await client.get("/sanctions?kind=seizure", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=%2Fsanctions")


async def test_the_dashboard_links_to_the_page_and_its_downloads(client: Client, db: AsyncSession):
    await logged_in(client, db, role="coordinator", agency="SKHCN")
    span = periods(local_day(now()))
    page = (await client.get("/dashboard", headers=HTML)).text
    year = f"decided_from={span.year_start.isoformat()}&amp;decided_to={span.year_end.isoformat()}"
    assert f'<a href="/sanctions?{year}">Quyết định xử phạt năm {span.year_start.year}</a>' in page
    assert f'href="/api/sanctions/export?{year}&amp;format=xlsx"' in page
    assert '<a href="/sanctions">Tất cả quyết định xử phạt</a>' in page
    assert 'href="/api/sanctions/export?format=csv"' in page
