"""A police officer works the referral inbox on a phone: opens a seizure referred by QLTT and acknowledges it."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.referrals import ReferralIn
from service.auth.models import Role, User
from service.auth.principal import Principal
from service.referrals import service as referrals
from service.referrals.models import Referral
from tests.browser.conftest import LogIn, Screenshot
from tests.builders import make_incident, make_user

pytestmark = pytest.mark.browser


async def _seizure_referred_to_police(db: AsyncSession) -> Referral:
    """A QLTT seizure with signs of a crime, referred to CA through the referral service."""
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
    data = ReferralIn(
        incident_id=incident.id,
        to_agency="CA",
        type="CHUYEN_HO_SO_HINH_SU",
        message="Hàng giả nhãn hiệu số lượng lớn, đề nghị xem xét khởi tố",
    )
    referral = await referrals.refer(db, sender, data)
    await db.commit()
    return referral


async def test_police_staff_acknowledge_a_seizure_referral_from_the_inbox(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    referral = await _seizure_referred_to_police(db)
    await log_in(page, role="agency_staff", agency="CA")

    response = await page.goto("/referrals/inbox")
    assert response is not None and response.status == 200
    card = page.locator(".ref-card").filter(has_text="Chi cục Quản lý thị trường (QLTT)")
    await expect(card).to_contain_text("Chuyển hồ sơ có dấu hiệu tội phạm")
    await expect(card.locator(".status")).to_have_text("Đã gửi")
    await expect(card).to_contain_text("Chuyển hồ sơ ngay")
    await screenshot(page, "inbox")

    await card.get_by_role("link", name="Chuyển hồ sơ có dấu hiệu tội phạm").click()
    await expect(page).to_have_url(f"/referrals/{referral.id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Chuyển hồ sơ có dấu hiệu tội phạm")
    await expect(page.locator("#incident-title + dl")).to_contain_text("1.350.000 ₫")
    await screenshot(page, "referral")

    form = page.locator("form.action-acknowledge")
    await form.get_by_label("Ghi chú (không bắt buộc)").fill("Đã nhận hồ sơ, giao Đội Cảnh sát kinh tế số 1")
    await form.get_by_role("button", name="Tiếp nhận").click()

    await expect(page.get_by_role("status")).to_contain_text("Trạng thái hiện tại: Đã tiếp nhận")
    await expect(page.locator("dl.facts .status").first).to_have_text("Đã tiếp nhận")
    last = page.locator(".timeline .event").last
    await expect(last).to_contain_text("Tiếp nhận")
    await expect(last).to_contain_text("Đã nhận hồ sơ, giao Đội Cảnh sát kinh tế số 1")
    await expect(page.locator("form.action-start")).to_be_visible()
    await screenshot(page, "acknowledged")

    await page.get_by_role("link", name="Xem toàn bộ vụ việc").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Vụ việc BB-")
    await expect(page.locator(".goods-table tfoot")).to_contain_text("1.350.000 ₫")
    await expect(page.locator("#referrals + ol")).to_contain_text("Đã tiếp nhận")
    await screenshot(page, "incident")
    assert page_errors == []


async def test_inbox_is_usable_with_the_keyboard_and_fits_a_phone(
    page: Page, page_errors: list[str], log_in: LogIn, db: AsyncSession
):
    await _seizure_referred_to_police(db)
    await log_in(page, role="agency_staff", agency="CA")
    await page.goto("/referrals/inbox")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    summary = page.locator(".ref-filters-box summary")
    await summary.focus()
    outline = await summary.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"  # the focus is visible
    await page.keyboard.press("Enter")
    overdue = page.get_by_label("Chỉ hồ sơ quá hạn")
    await expect(overdue).to_be_visible()
    await overdue.focus()
    await page.keyboard.press("Space")
    await page.get_by_role("button", name="Lọc").focus()
    await page.keyboard.press("Enter")
    await expect(page).to_have_url("/referrals/inbox?status=&type=&party=&due_before=&overdue=true")
    await expect(page.locator(".ref-count")).to_have_text("0 hồ sơ")
    await expect(overdue).to_be_checked()
    assert page_errors == []
