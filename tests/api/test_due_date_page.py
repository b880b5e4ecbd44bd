"""The "Tính hạn" page over HTTP: server-rendered, dates dd/mm/yyyy, errors beside their fields, both languages."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.builders import logged_in

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_the_inbox_links_to_the_calculator_and_the_menu_lists_it(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="CA", role="agency_staff")
    inbox = await client.get("/referrals/inbox", headers=HTML)
    assert inbox.status_code == 200
    assert 'href="/referrals/due-date"' in inbox.text and "Tính hạn" in inbox.text
    empty = await client.get("/referrals/due-date", headers=HTML)
    assert empty.status_code == 200 and 'name="start"' in empty.text and "Hạn cuối" not in empty.text


async def test_five_working_days_from_21_august_2026_show_27_august_and_the_working_saturday(
    client: Client, db: AsyncSession
):
    await logged_in(client, db, agency="CA", role="agency_staff")
    params = {"start": "21/08/2026", "amount": "5", "unit": "working_days"}
    response = await client.get("/referrals/due-date", params=params, headers=HTML)
    assert response.status_code == 200, response.text
    shown = _text(response.text)
    assert "Hạn cuối: Thứ Năm, 27/08/2026" in shown
    assert "22/08/2026" in shown and "Ngày làm bù" in shown and "Ngày làm việc bù cho ngày nghỉ 31/08/2026" in shown
    assert 'value="21/08/2026"' in response.text  # the form keeps what was typed


async def test_the_page_in_english_names_the_days_in_english(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="CA", role="agency_staff")
    params = {"start": "2026-08-21", "amount": "10", "unit": "working_days"}
    response = await client.get("/referrals/due-date", params=params, headers=HTML | {"Accept-Language": "en"})
    shown = _text(response.text)
    assert "Due date: Tuesday, 08/09/2026" in shown and "National Day" in shown and "Working weekend day" in shown


async def test_a_calendar_limit_moved_off_a_day_off_says_so(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="CA", role="agency_staff")
    params = {"start": "31/08/2026", "amount": "1", "unit": "calendar_days"}
    shown = _text((await client.get("/referrals/due-date", params=params, headers=HTML)).text)
    assert "Hạn cuối: Thứ Năm, 03/09/2026" in shown and "Điều 148 khoản 5" in shown


async def test_bad_input_is_shown_beside_each_field_with_a_400(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="CA", role="agency_staff")
    bad = {"start": "31/02/2026", "amount": "-3", "unit": "weeks"}
    response = await client.get("/referrals/due-date", params=bad, headers=HTML)
    assert response.status_code == 400
    for name in ("start", "amount", "unit"):
        assert f'id="f-{name}-error"' in response.text and f'aria-describedby="f-{name}-error"' in response.text
    outside = {"start": "01/01/2019", "amount": "5", "unit": "working_days"}
    response = await client.get("/referrals/due-date", params=outside, headers=HTML)
    assert response.status_code == 400 and 'id="f-start-error"' in response.text
    assert "2020–2030" in _text(response.text)


async def test_the_page_needs_a_login(client: Client):
    response = await client.get("/referrals/due-date", headers=HTML, follow_redirects=False)
    assert response.status_code in (302, 303, 401)
