"""axe-core on every page, as each role that uses it, at 390×844: no critical and no serious violation.

One module, so one live server and one browser serve every run; each role's pages are walked in one context.
The five busiest pages are also kept as screenshots (tests/screenshots/busiest-*.png, gitignored)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from axe_playwright_python.async_playwright import Axe
from litestar.testing import AsyncTestClient
from playwright.async_api import Page
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.referrals import ReferralIn
from schemas.sanctions import SanctionIn
from service.app import create_app
from service.auth.models import Role, User
from service.auth.principal import Principal
from service.referrals import service as referrals
from service.sanctions import service as sanctions
from service.settings import Settings
from tests.api.test_cases import _one_seizure_twice
from tests.api.test_sanctions import decision as decision_body
from tests.browser.conftest import SCREENSHOTS, LogIn, NewPage
from tests.builders import logged_in, make_incident, make_user

pytestmark = pytest.mark.browser

BLOCKING = ("critical", "serious")
AXE = Axe()
# axe's default rules, plus the experimental one that finds a visible label missing from a link's name.
OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
MAPS = ("/maps/choropleth", "/maps/hotspots", "/maps/hexbins")
# Every page each role uses (its menu, the lists and the maps every role may open, the records it opens).
PAGES: dict[str, tuple[str, ...]] = {
    "inspector": (
        "/incidents/new",
        "/incidents/mine",
        "/incidents",
        "{incident}",
        "{sanction_form}",
        "{payment_form}",
        "/sanctions",
        *MAPS,
    ),
    "agency_staff": (
        "/referrals/inbox",
        "/referrals/outbox",
        "{referral}",
        "{incident}",
        "/referrals/due-date",
        "/sanctions",
        "/imports",
        "/incidents",
    ),
    "agency_head": ("/referrals/inbox", "/referrals/outbox", "{referral}", "/referrals/due-date", "/sanctions"),
    "coordinator": (
        "/dashboard",
        "/dashboard/maps/hotspots",  # the dashboard's framed maps, as documents of their own
        "/dashboard/maps/choropleth",
        "/referrals/inbox",
        "{referral}",
        "/duplicates",
        "{case}",
        "/sanctions",
        "/reports",
        "/exchange",
        "/imports",
        "/incidents",
        "{incident}",
        *MAPS,
    ),
    "admin": ("/dashboard", "/duplicates", "/sanctions", "/reports", "/admin/partners", "/exchange"),
}
AGENCY = {"inspector": "QLTT", "agency_staff": "CA", "agency_head": "CA", "coordinator": "SKHCN", "admin": "SKHCN"}
# Where most people spend their day, by role (kept as screenshots at 390×844).
BUSIEST = {
    ("inspector", "/incidents/new"),
    ("agency_staff", "/referrals/inbox"),
    ("agency_staff", "{referral}"),
    ("coordinator", "/dashboard"),
    ("coordinator", "/maps/hotspots"),
}


async def _records(settings: Settings, db: AsyncSession) -> dict[str, str]:
    """A QLTT seizure referred to the police, and one seizure recorded twice and linked as one case."""
    inspector: User = await make_user(db, role="inspector", agency="QLTT")
    incident = await make_incident(db, inspector)
    sender = Principal(
        user_id=inspector.id,
        username=inspector.username,
        agency_id=inspector.agency_id,
        agency_code="QLTT",
        role=Role.INSPECTOR,
        method="session",
    )
    referral = await referrals.refer(
        db,
        sender,
        ReferralIn(incident_id=incident.id, to_agency="CA", type="CHUYEN_HO_SO_HINH_SU", message="Đề nghị xem xét"),
    )
    decision = await sanctions.add_sanction(db, sender, incident.id, msgspec.convert(decision_body(), SanctionIn))
    await db.commit()
    first, second = await _one_seizure_twice(settings, db)
    async with AsyncTestClient(app=create_app(settings)) as client:
        _, headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
        link = {"incident_ids": [first["id"], second["id"]], "reason": "Cùng một vụ thu giữ"}
        case = (await client.post("/api/cases", json=link, headers=headers)).json()
    return {
        "{incident}": f"/incidents/{incident.id}",
        "{referral}": f"/referrals/{referral.id}",
        "{case}": f"/cases/{case['id']}",
        "{sanction_form}": f"/incidents/{incident.id}/sanctions/new",
        "{payment_form}": f"/incidents/{incident.id}/sanctions/{decision.decision.id}/payment",
    }


def _summary(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['impact']} {v['id']} ({len(v['nodes'])} nodes): {v['nodes'][0]['target']}" for v in violations]


async def _walk(page: Page, role: str, paths: dict[str, str], record: Callable[[str, object], None]) -> list[str]:
    found = []
    for template in PAGES[role]:
        path = paths.get(template, template)
        response = await page.goto(path)
        assert response is not None and response.status == 200, (role, path)
        await page.wait_for_load_state("networkidle")
        violations = (await AXE.run(page, options=OPTIONS)).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        others = ", ".join(f"{v['id']} ({v['impact']})" for v in violations if v not in blocking) or "none"
        record(f"printed: axe {role} {template}", f"{len(blocking)} critical/serious; others: {others}")
        found += [f"{role} {template}: {line}" for line in _summary(blocking)]
        if (role, template) in BUSIEST:
            name = template.strip("{}/").replace("/", "-")
            await page.screenshot(path=SCREENSHOTS / f"busiest-{role}-{name}.png", full_page=True)
    return found


@pytest.mark.parametrize("role", sorted(PAGES))
async def test_no_critical_or_serious_violation_on_any_page(
    role: str,
    new_page: NewPage,
    log_in: LogIn,
    settings: Settings,
    db: AsyncSession,
    record_property: Callable[[str, object], None],
):
    paths = await _records(settings, db)
    page = await new_page()
    await log_in(page, role=role, agency=AGENCY[role])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = await _walk(page, role, paths, record_property)
    assert found == []


async def test_the_login_page_has_no_critical_or_serious_violation(page: Page):
    await page.goto("/login")
    violations = (await AXE.run(page, options=OPTIONS)).response["violations"]
    assert _summary([v for v in violations if v["impact"] in BLOCKING]) == []
