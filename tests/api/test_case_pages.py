"""The coordinator's duplicate and case pages over HTTP: the pair side by side, link or dismiss with a reason."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.settings import Settings
from tests.api.test_cases import _one_seizure_twice
from tests.builders import logged_in, page_token

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}


async def _flag_id(client: Client) -> str:
    flags = (await client.get("/api/duplicates")).json()["items"]
    return str(flags[0]["id"])


async def test_the_pair_is_shown_side_by_side_with_why(settings: Settings, client: Client, db: AsyncSession):
    await _one_seizure_twice(settings, db)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    page = await client.get("/duplicates", headers=HTML)
    assert page.status_code == 200
    html = page.text
    assert "Vụ việc nghi trùng" in html and 'href="/duplicates"' in html  # title and the menu entry
    for shown in ("Cùng số hiệu bên ngoài", "Cùng số giấy tờ người vi phạm", "Cùng hàng hóa, nhãn hiệu", "QLTT", "CA"):
        assert shown in html, shown
    assert html.count("Hộ kinh doanh Lò Văn A") == 2
    assert "Số vụ việc INS (QLTT): INS-2026-015" in html and "Số vụ việc INS (QLTT): ins 2026-015" in html
    dashboard = (await client.get("/dashboard", headers=HTML)).text
    assert "1 cặp vụ việc nghi trùng chờ xử lý" in dashboard and 'id="open-duplicates"' in dashboard
    english = await client.get("/duplicates", headers=HTML | {"Accept-Language": "en"})
    assert "Likely duplicate incidents" in english.text and "Same external number" in english.text


async def test_linking_from_the_page_needs_a_reason_then_shows_the_case(
    settings: Settings, client: Client, db: AsyncSession
):
    first, second = await _one_seizure_twice(settings, db)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    flag = await _flag_id(client)
    token = await page_token(client, "/duplicates", HTML)
    refused = await client.post(f"/duplicates/{flag}/link", data={"_csrf_token": token, "reason": " "}, headers=HTML)
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in refused.text and f'id="link-{flag}-error"' in refused.text
    assert (await client.get("/api/duplicates")).json()["items"], "nothing was decided"

    form = {"_csrf_token": token, "reason": "Cùng vụ thu giữ tại chợ Đoàn Kết"}
    linked = await client.post(f"/duplicates/{flag}/link", data=form, headers=HTML, follow_redirects=False)
    assert linked.status_code == 303
    case_page = await client.get(linked.headers["location"], headers=HTML)
    assert "Đã gộp: báo cáo tính các vụ việc này là một vụ." in case_page.text
    assert (
        f'href="/incidents/{first["id"]}"' in case_page.text and f'href="/incidents/{second["id"]}"' in case_page.text
    )
    linked_tab = (await client.get("/duplicates?status=linked", headers=HTML)).text
    assert "Cùng vụ thu giữ tại chợ Đoàn Kết" in linked_tab

    case_path = linked.headers["location"].split("?")[0]
    out = {"_csrf_token": token, "incident_id": second["id"], "reason": "Hai lô hàng khác nhau"}
    unlinked = await client.post(f"{case_path}/unlink", data=out, headers=HTML, follow_redirects=False)
    assert unlinked.status_code == 303
    assert "Vụ này không còn vụ việc nào" in (await client.get(unlinked.headers["location"], headers=HTML)).text


async def test_dismissing_from_the_page(settings: Settings, client: Client, db: AsyncSession):
    await _one_seizure_twice(settings, db)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    flag = await _flag_id(client)
    token = await page_token(client, "/duplicates", HTML)
    form = {"_csrf_token": token, "reason": "Khác người vi phạm"}
    done = await client.post(f"/duplicates/{flag}/dismiss", data=form, headers=HTML, follow_redirects=False)
    assert done.status_code == 303
    assert "Đã ghi nhận: không phải một vụ." in (await client.get(done.headers["location"], headers=HTML)).text
    again = await client.post(f"/duplicates/{flag}/dismiss", data=form, headers=HTML)
    assert again.status_code == 409 and "đã được xử lý" in again.text


async def test_agency_staff_cannot_open_the_pages(settings: Settings, client: Client, db: AsyncSession):
    await logged_in(client, db, agency="QLTT", role="agency_head")
    page = await client.get("/duplicates", headers=HTML)
    assert page.status_code == 403 and "text/html" in page.headers["content-type"]


async def test_the_incident_page_shows_its_numbers_its_case_and_a_shared_number(
    settings: Settings, client: Client, db: AsyncSession
):
    first, second = await _one_seizure_twice(settings, db)
    _, headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
    before = (await client.get(f"/incidents/{first['id']}", headers=HTML)).text
    assert "Số vụ việc INS (QLTT)" in before and "INS-2026-015" in before
    assert "Số hiệu INS-2026-015 cũng có ở vụ việc khác" in before and 'id="linked-case"' not in before
    link = {"incident_ids": [first["id"], second["id"]], "reason": "cùng vụ"}
    case = (await client.post("/api/cases", json=link, headers=headers)).json()
    after = (await client.get(f"/incidents/{first['id']}", headers=HTML)).text
    assert "Được tính chung một vụ với" in after and f'href="/incidents/{second["id"]}"' in after
    assert f'href="/cases/{case["id"]}"' in after
