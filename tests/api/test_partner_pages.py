"""/admin/partners: an administrator registers a partner from the page (credentials shown once), rotates and
revokes it, and reads its access log; a wrong form keeps what was typed and names the field."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.settings import Settings
from tests.api.test_share_partners import token
from tests.builders import logged_in

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}
FORM = {
    "name": "Cổng dữ liệu Sở Công Thương",
    "body": "Sở Công Thương",
    "contact": "cntt@sct.laichau.gov.vn",
    "legal_basis": "Nghị định 47/2020/NĐ-CP",
    "expires_on": "31/12/2030",
    "rate_limit": "30",
}


async def _post(client: Client, action: str, data: list[tuple[str, str]]) -> Any:
    html = (await client.get("/admin/partners", headers=HTML)).text
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert csrf, html
    body = [("_csrf_token", csrf.group(1)), *data]
    form = {"Content-Type": "application/x-www-form-urlencoded"}  # repeated `datasets` fields, as a browser sends
    return await client.post(action, content=urlencode(body), headers={**HTML, **form}, follow_redirects=False)


def _credentials(html: str) -> tuple[str, str]:
    client_id = re.search(r'<code class="partner-client-id">([^<]+)</code>', html)
    secret = re.search(r'<code class="partner-secret">([^<]+)</code>', html)
    assert client_id and secret, html
    return client_id.group(1), secret.group(1)


async def test_admin_registers_rotates_and_revokes_a_partner_and_reads_its_log(
    client: Client, db: AsyncSession, settings: Settings
):
    admin, _ = await logged_in(client, db, agency="SKHCN", role="admin")
    made = await _post(client, "/admin/partners", [*FORM.items(), ("datasets", "incidents"), ("datasets", "hotspots")])
    assert made.status_code == 200, made.text
    client_id, secret = _credentials(made.text)
    listing = (await client.get("/admin/partners", headers=HTML)).text
    assert secret not in listing and client_id in listing and "incidents, hotspots" not in listing
    assert "hotspots, incidents" in listing and ">30<" in listing
    partner_id = re.search(r'href="/admin/partners/([0-9a-f-]{36})/access"', listing).group(1)

    async with AsyncTestClient(app=create_app(settings)) as machine:
        assert (await token(machine, client_id, secret)).status_code == 200
        rotated = await _post(client, f"/admin/partners/{partner_id}/rotate", [])
        new_id, new_secret = _credentials(rotated.text)
        assert new_id == client_id and new_secret != secret
        assert (await token(machine, client_id, secret)).status_code == 401
        assert (await token(machine, client_id, new_secret)).status_code == 200
        revoked = await _post(client, f"/admin/partners/{partner_id}/revoke", [])
        assert revoked.status_code == 303
        assert (await token(machine, client_id, new_secret)).status_code == 401

    after = (await client.get("/admin/partners?done=partner_revoked", headers=HTML)).text
    assert "Đã thu hồi hệ thống đối tác." in after and f"/admin/partners/{partner_id}/rotate" not in after
    log = (await client.get(f"/admin/partners/{partner_id}/access", headers=HTML)).text
    assert log.count("/api/share/v1/token") == 4 and log.count(">401") == 2 and log.count(">200") == 2
    assert "share.invalid_client" in log
    trail = await db.execute(
        text("SELECT event, actor_name, detail FROM audit_events WHERE record_ids ? :id ORDER BY id"),
        {"id": partner_id},
    )
    events = [(row.event, row.actor_name) for row in trail]
    assert [e for e, _ in events] == ["share.partner_registered", "share.partner_rotated", "share.partner_revoked"]
    assert all(name == admin.username for _, name in events)
    assert secret not in str(list(await db.execute(text("SELECT detail FROM audit_events"))))


async def test_a_wrong_registration_form_names_its_fields_and_keeps_what_was_typed(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="admin")
    no_dataset = await _post(client, "/admin/partners", list(FORM.items()))
    assert no_dataset.status_code == 400 and "Cổng dữ liệu Sở Công Thương" in no_dataset.text
    bad_day = await _post(
        client, "/admin/partners", [*{**FORM, "expires_on": "31/13/2030"}.items(), ("datasets", "incidents")]
    )
    assert bad_day.status_code == 400 and "dd/mm/yyyy" in bad_day.text
    assert 'value="incidents" checked' in bad_day.text
    unknown = await _post(client, "/admin/partners", [*FORM.items(), ("datasets", "violators")])
    assert unknown.status_code == 400 and "violators" in unknown.text
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    assert (await client.get("/admin/partners", headers=HTML)).status_code == 403
