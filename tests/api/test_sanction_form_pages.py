"""Recording a sanction decision and its execution on pages: the API's rules, every error at once beside its field,
nothing stored when refused, the recording agency and coordinators only."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.incidents.models import Incident, IncidentEvent
from service.sanctions.models import SanctionDecision
from service.settings import Settings
from tests.builders import logged_in, make_incident

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}


def filled(**overrides: Any) -> dict[str, Any]:
    """A fine of 15.000.000 đồng typed as a person would, days dd/mm/yyyy."""
    form: dict[str, Any] = {
        "number": "15/QĐ-XPHC",
        "decided_on": "05/03/2026",
        "decider_name": "Lò Văn Minh",
        "decider_title": "Đội trưởng Đội QLTT số 1",
        "acts": ["HANG_GIA_MAO_NHAN_HIEU"],
        "principal_sanction": "PHAT_TIEN",
        "fine_vnd": "15.000.000",
        "additional_sanctions": ["TICH_THU"],
        "payment_status": "unpaid",
        "violator_birth_date": "02/04/1990",
        "violator_sex": "male",
    }
    return form | overrides


async def _post(client: Client, path: str, form: dict[str, Any]) -> Any:
    page = (await client.get(path, headers=HTML)).text
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return await client.post(path, data={"_csrf_token": match.group(1)} | form, headers=HTML, follow_redirects=False)


async def _decisions(db: AsyncSession) -> list[SanctionDecision]:
    return list(await db.scalars(select(SanctionDecision).execution_options(populate_existing=True)))


async def test_an_inspector_records_a_decision_and_its_payment_on_pages(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="QLTT", role="inspector")
    payload = {"kind": "seizure", "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"], "violator": {"type": "individual"}}
    incident = await make_incident(db, user, payload=payload)
    view = await client.get(f"/incidents/{incident.id}", headers=HTML)
    assert f'href="/incidents/{incident.id}/sanctions/new"' in view.text
    form = await client.get(f"/incidents/{incident.id}/sanctions/new", headers=HTML)
    assert form.status_code == 200 and "Ghi quyết định xử phạt" in form.text
    assert 'value="HANG_GIA_MAO_NHAN_HIEU" checked' in form.text  # the incident's acts are offered checked
    assert "legal_representative" not in form.text  # a person has no legal representative
    sent = await _post(client, f"/incidents/{incident.id}/sanctions/new", filled())
    assert sent.status_code == 303 and sent.headers["location"] == f"/incidents/{incident.id}#sanctions"
    [stored] = await _decisions(db)
    assert (stored.number, stored.fine_vnd, stored.violator_sex) == ("15/QĐ-XPHC", 15_000_000, "male")
    assert str(stored.violator_birth_date) == "1990-04-02"
    await db.refresh(incident)
    assert incident.status == "sanctioned"
    payment = {"payment_status": "paid", "executed_on": "12/03/2026", "reason": "Đã nộp tại kho bạc"}
    paid = await _post(client, f"/incidents/{incident.id}/sanctions/{stored.id}/payment", payment)
    assert paid.status_code == 303, paid.text
    [stored] = await _decisions(db)
    assert (stored.payment_status, str(stored.executed_on)) == ("paid", "2026-03-12")
    events = list(await db.scalars(select(IncidentEvent.action).where(IncidentEvent.incident_id == incident.id)))
    assert events.count("sanction_added") == 1 and events.count("sanction_payment_updated") == 1


async def test_every_error_is_shown_at_once_beside_its_field_and_nothing_is_stored(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, user)
    empty = {"number": "", "decided_on": "5 tháng 3", "decider_name": "", "fine_vnd": "mười triệu", "acts": []}
    response = await _post(client, f"/incidents/{incident.id}/sanctions/new", filled(**empty))
    assert response.status_code == 400
    for field in ("number", "decided_on", "decider_name", "fine_vnd"):
        assert f'id="s-{field}-error"' in response.text, field
    assert 'aria-invalid="true" aria-describedby="s-decided_on-error"' in response.text
    assert 'value="mười triệu"' in response.text  # what was typed is kept for the second try
    assert await _decisions(db) == []


async def test_the_services_refusal_is_shown_beside_its_field(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, user)
    warning = filled(principal_sanction="CANH_CAO")
    response = await _post(client, f"/incidents/{incident.id}/sanctions/new", warning)
    assert response.status_code == 400
    assert 'id="s-fine_vnd-error"' in response.text and "Mức phạt tiền (đồng)" in response.text
    early = filled(payment_status="paid", executed_on="01/03/2026")
    response = await _post(client, f"/incidents/{incident.id}/sanctions/new", early)
    assert response.status_code == 400 and 'id="s-executed_on-error"' in response.text
    assert await _decisions(db) == []
    count = await db.scalar(
        select(func.count()).select_from(IncidentEvent).where(IncidentEvent.incident_id == incident.id)
    )
    assert count == 0
    await db.refresh(incident)
    assert incident.status == "recorded"


async def test_another_agency_cannot_sanction_or_change_payment(settings: Settings, client: Client, db: AsyncSession):
    qltt, _ = await logged_in(client, db, agency="QLTT")
    incident = await make_incident(db, qltt)
    await _post(client, f"/incidents/{incident.id}/sanctions/new", filled())
    [stored] = await _decisions(db)
    async with AsyncTestClient(app=create_app(settings)) as police:
        await logged_in(police, db, agency="CA")
        assert (await police.get(f"/incidents/{incident.id}/sanctions/new", headers=HTML)).status_code == 404
        payment_page = await police.get(f"/incidents/{incident.id}/sanctions/{stored.id}/payment", headers=HTML)
        assert payment_page.status_code == 404
    assert isinstance(incident, Incident)
