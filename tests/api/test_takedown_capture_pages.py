"""Evidence capture from the takedown request page over HTTP: the multipart form of each URL (no script), checked
by content as the API checks it, errors beside their fields in Vietnamese and English, nothing kept of a refusal,
the chain of custody updated; another agency's inspector cannot reach it, a coordinator cannot add to it."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import LOCAL_TZ
from service.settings import Settings
from tests.api.test_takedown_pages import HTML, _sent, _token
from tests.api.test_takedowns import LISTING, SHOP
from tests.builders import logged_in
from tests.unit.test_content_check import photo

Client = AsyncTestClient[Litestar]
PNG = photo(image_format="PNG", gps=None)


def _form(token: str, url: str, **fields: str) -> dict[str, str]:
    return {"_csrf_token": token, "url": url, "http_status": "200", "captured_at": "2026-01-05T09:30"} | fields


async def _custody(client: Client, incident_id: str) -> list[dict[str, Any]]:
    return list((await client.get(f"/api/incidents/{incident_id}/captures")).json())


def _error_beside(page: str, element_id: str) -> str:
    match = re.search(rf'<p class="field-error" id="{element_id}-error">([^<]*)</p>', page)
    assert match is not None, f"no error beside {element_id}"
    return match.group(1)


async def test_the_inspector_uploads_a_png_from_the_request_page_and_the_chain_of_custody_shows_it(
    settings: Settings, client: Client, db: AsyncSession
):
    takedown, token = await _sent(settings, client, db)
    form = await client.get(f"/takedowns/{takedown['id']}", headers=HTML)
    assert 'enctype="multipart/form-data"' in form.text and form.text.count('name="file"') == 2
    assert f'value="{SHOP}"' in form.text and f'value="{LISTING}"' in form.text

    files = {"file": ("man-hinh.png", PNG, "application/octet-stream")}
    data = _form(token, SHOP, http_status="404", seller_account="Shop.HangGia")
    done = await client.post(f"/takedowns/{takedown['id']}/captures", data=data, files=files, headers=HTML)
    assert done.status_code == 200, done.text
    assert "Đã lưu chứng cứ vào chuỗi lưu giữ." in done.text
    sha256 = hashlib.sha256(PNG).hexdigest()
    assert sha256 in done.text and "HTTP 404" in done.text and "man-hinh.png" in done.text

    custody = await _custody(client, takedown["incident_id"])
    assert [(c["url"], c["http_status"], c["sha256"]) for c in custody] == [(SHOP, 404, sha256)]
    typed = datetime(2026, 1, 5, 9, 30, tzinfo=LOCAL_TZ)  # typed on the phone as Lai Châu time
    assert datetime.fromisoformat(custody[0]["captured_at"]) == typed
    assert custody[0]["content_type"] == "image/png" and custody[0]["seller_account"] == "Shop.HangGia"
    incident_page = await client.get(f"/incidents/{takedown['incident_id']}", headers=HTML)
    assert sha256 in incident_page.text  # the incident's chain of custody, and the way to the forms
    assert f'href="/takedowns/{takedown["id"]}#custody-title"' in incident_page.text


async def test_a_file_that_is_no_capture_is_refused_beside_the_file_field_in_both_languages(
    settings: Settings, client: Client, db: AsyncSession
):
    takedown, token = await _sent(settings, client, db)
    # A WebP named .png and claiming image/png: judged by its content, not its name or type.
    webp = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24
    files = {"file": ("shot.png", webp, "image/png")}
    data = _form(token, LISTING, note="Ghi chú giữ lại")
    refused = await client.post(f"/takedowns/{takedown['id']}/captures", data=data, files=files, headers=HTML)
    assert refused.status_code == 415
    text = _error_beside(refused.text, "capture-2-file")
    assert "`file`" in text and "không phải ảnh PNG" in text
    assert 'aria-describedby="capture-2-file-error"' in refused.text
    assert "Ghi chú giữ lại" in refused.text  # what was typed is kept for a second try
    assert "capture-1-file-error" not in refused.text  # only the form that was posted shows an error

    english = HTML | {"Accept-Language": "en"}
    again = await client.post(f"/takedowns/{takedown['id']}/captures", data=data, files=files, headers=english)
    assert again.status_code == 415
    assert "is not a valid PNG or JPEG image" in _error_beside(again.text, "capture-2-file")
    assert await _custody(client, takedown["incident_id"]) == []
    attachments = await client.get(f"/api/incidents/{takedown['incident_id']}/attachments")
    assert attachments.json() == []  # nothing of a refused capture is kept


async def test_a_url_not_of_the_incident_and_a_bad_status_are_refused_beside_their_fields(
    settings: Settings, client: Client, db: AsyncSession
):
    takedown, token = await _sent(settings, client, db)
    files = {"file": ("shot.png", PNG, "application/octet-stream")}
    other = _form(token, "https://shopee.vn/product/111-khac")
    refused = await client.post(f"/takedowns/{takedown['id']}/captures", data=other, files=files, headers=HTML)
    assert refused.status_code == 422
    assert "không thuộc vụ việc này" in refused.text and "`url`" in refused.text

    status = _form(token, SHOP, http_status="99")
    bad = await client.post(f"/takedowns/{takedown['id']}/captures", data=status, files=files, headers=HTML)
    assert bad.status_code == 400
    assert "`http_status`" in _error_beside(bad.text, "capture-1-status")
    missing = await client.post(f"/takedowns/{takedown['id']}/captures", data=_form(token, SHOP), headers=HTML)
    assert missing.status_code == 400
    assert "`file`" in _error_beside(missing.text, "capture-1-file")
    assert await _custody(client, takedown["incident_id"]) == []


async def test_another_agency_cannot_reach_the_form_and_a_coordinator_cannot_add_to_it(
    settings: Settings, client: Client, db: AsyncSession
):
    takedown, _ = await _sent(settings, client, db)
    files = {"file": ("shot.png", PNG, "application/octet-stream")}
    async with AsyncTestClient(app=create_app(settings)) as other:
        _, headers = await logged_in(other, db, role="inspector", agency="CA")
        assert (await other.get(f"/takedowns/{takedown['id']}", headers=HTML)).status_code == 404
        data = _form(next(iter(headers.values())), SHOP)
        posted = await other.post(f"/takedowns/{takedown['id']}/captures", data=data, files=files, headers=HTML)
        assert posted.status_code == 404
    async with AsyncTestClient(app=create_app(settings)) as coordinator:
        _, headers = await logged_in(coordinator, db, role="coordinator", agency="SKHCN")
        shown = await coordinator.get(f"/takedowns/{takedown['id']}", headers=HTML)
        assert shown.status_code == 200 and 'name="file"' not in shown.text
        data = _form(_token(shown.text), SHOP)
        posted = await coordinator.post(f"/takedowns/{takedown['id']}/captures", data=data, files=files, headers=HTML)
        assert posted.status_code == 403
    assert await _custody(client, takedown["incident_id"]) == []
