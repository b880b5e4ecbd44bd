"""Referrals both ways in Chromium: QLTT refers a seizure to the police from its page, the police ask for more
information, QLTT answers with a note and a PDF, the police close it, QLTT sees the outcome. And an administrator
adds a working Saturday from a page."""

from __future__ import annotations

import pytest
from playwright.async_api import expect
from sqlalchemy.ext.asyncio import AsyncSession

from tests.browser.conftest import LogIn, NewPage, Screenshot
from tests.builders import make_incident, make_user
from tests.unit.test_content_check import pdf

pytestmark = pytest.mark.browser


async def test_an_agency_refers_an_incident_answers_a_request_for_information_and_sees_the_outcome(
    new_page: NewPage, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession, tmp_path
):
    recorder = await make_user(db, role="inspector", agency="QLTT")
    incident = await make_incident(db, recorder)
    await db.commit()
    sender, police = await new_page(), await new_page()
    await log_in(sender, role="agency_staff", agency="QLTT")
    await log_in(police, role="agency_staff", agency="CA")

    await sender.goto(f"/incidents/{incident.id}")
    await sender.get_by_role("link", name="Chuyển hồ sơ", exact=True).click()
    await expect(sender.get_by_role("heading", level=1)).to_have_text("Chuyển hồ sơ cho cơ quan khác")
    await sender.get_by_label("Cơ quan nhận", exact=True).select_option("CA")
    await sender.get_by_label("Loại chuyển giao", exact=True).select_option("PHOI_HOP_XAC_MINH")
    await sender.get_by_label("Lời nhắn (không bắt buộc)").fill("Đề nghị phối hợp xác minh nguồn hàng")
    await screenshot(sender, "refer-form")
    await sender.get_by_role("button", name="Chuyển hồ sơ").click()
    await expect(sender.locator(".notice")).to_contain_text("Đã chuyển hồ sơ.")
    referral_url = sender.url.split("?")[0]

    await police.goto("/referrals/inbox")
    card = police.locator(".ref-card").filter(has_text="Phối hợp xác minh")
    await expect(card).to_contain_text(incident.payload["record_number"])  # the card says which record it is
    await card.get_by_role("link", name="Phối hợp xác minh").click()
    await police.locator("form.action-acknowledge").get_by_role("button", name="Tiếp nhận").click()
    await police.get_by_text("Đề nghị bổ sung thông tin", exact=True).first.click()
    ask = police.locator("form.action-request_information")
    await ask.get_by_label("Ghi chú (bắt buộc, ít nhất 3 ký tự)").fill("Đề nghị gửi ảnh kho tạm giữ")
    await ask.get_by_role("button", name="Đề nghị bổ sung thông tin").click()
    await expect(police.locator(".notice.waiting")).to_contain_text("Đang chờ bên chuyển bổ sung thông tin")

    await sender.goto("/referrals/outbox")
    waiting = sender.locator(".ref-card").filter(has_text="Phối hợp xác minh")
    await expect(waiting).to_contain_text("Chờ bổ sung thông tin — việc của bạn")
    await screenshot(sender, "outbox-waiting")
    await waiting.get_by_role("link", name="Phối hợp xác minh").click()
    answer = sender.locator("form.action-provide_information")
    await expect(answer).to_contain_text("Đề nghị gửi ảnh kho tạm giữ")
    await answer.get_by_label("Nội dung bổ sung (bắt buộc, ít nhất 3 ký tự)").fill("Gửi kèm ảnh kho và biên bản")
    file = tmp_path / "anh-kho.pdf"
    file.write_bytes(pdf())
    await answer.get_by_label("Tệp mới (ảnh hoặc PDF, không bắt buộc)").set_input_files(file)
    await answer.get_by_role("button", name="Gửi thông tin bổ sung").click()
    last = sender.locator(".timeline .event").last
    await expect(last).to_contain_text("Bên chuyển bổ sung thông tin")
    await expect(last).to_contain_text("anh-kho.pdf")

    await police.goto(referral_url)
    await expect(police.locator(".timeline .event").last).to_contain_text("Gửi kèm ảnh kho và biên bản")
    await police.locator("form.action-start").get_by_role("button", name="Bắt đầu xử lý").click()
    await police.locator("details.action-more summary").filter(has_text="Kết thúc").click()
    close = police.locator("form.action-close")
    await close.get_by_label("Kết quả").select_option("HOAN_THANH")
    await close.get_by_role("button", name="Kết thúc").click()
    await expect(police.locator(".notice")).to_contain_text("Đã kết thúc")

    await sender.goto("/referrals/outbox")
    done = sender.locator(".ref-card").filter(has_text="Phối hợp xác minh")
    await expect(done.locator(".status")).to_have_text("Đã kết thúc")
    await expect(done).to_contain_text("Hoàn thành")
    await expect(done).not_to_contain_text("việc của bạn")
    await screenshot(sender, "outcome")
    assert page_errors == []


async def test_an_admin_adds_a_working_saturday_from_a_page(
    new_page: NewPage, page_errors: list[str], log_in: LogIn, screenshot: Screenshot
):
    admin = await new_page()
    await log_in(admin, role="admin", agency="SKHCN")
    await admin.goto("/")
    await admin.get_by_role("link", name="Quản trị").first.click()
    await admin.get_by_role("link", name="Ngày nghỉ và ngày làm bù").click()
    form = admin.locator("form.action-form")
    await form.get_by_label("Ngày (dd/mm/yyyy)").fill("14/11/2026")
    await form.get_by_label("Loại").select_option("working_day")
    await form.get_by_label("Tên", exact=True).fill("Làm bù cho ngày nghỉ 20/11/2026")
    await form.get_by_label("Căn cứ pháp lý").fill("Thông báo 99/TB-UBND (thử nghiệm)")
    await form.get_by_role("button", name="Lưu").click()
    await expect(admin.locator(".notice")).to_contain_text("thời hạn các hồ sơ đang mở đã được tính lại")
    row = admin.locator("#holiday-2026-11-14")
    await expect(row).to_contain_text("Thứ Bảy, 14/11/2026")
    await expect(row).to_contain_text("Ngày làm việc bù")
    await screenshot(admin, "holidays")
    for path in ("/admin/holidays", "/admin/users", "/admin/rules"):
        await admin.goto(path)
        width = await admin.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, path  # wide tables scroll inside their own region
    await screenshot(admin, "users")
    assert page_errors == []
