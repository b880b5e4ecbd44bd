"""An inspector on a phone records seizures in Chromium: with a photo, with the network cut and restored, with the
session gone in between; finds a commune typed without accents; sees the sign-of-crime warning and refers the
case to the police in one tap."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import Page, Route, expect
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service import i18n
from service.attachments.models import Attachment
from service.attachments.storage import LocalFileStore
from service.auth.models import User
from service.incidents.models import Incident
from service.referrals.models import Referral
from service.settings import Settings
from tests.browser.conftest import LogIn, Screenshot
from tests.builders import PASSWORD

pytestmark = pytest.mark.browser

OFFLINE = "net::ERR_INTERNET_DISCONNECTED"


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A real camera-sized JPEG (4000 × 3000, noisy so it does not compress to nothing)."""
    noise = Image.effect_noise((4000, 3000), 64).convert("RGB")
    path = tmp_path / "IMG_0001.jpg"
    noise.save(path, "JPEG", quality=92)
    return path


@pytest.fixture
def photo_bytes(photo: Path) -> int:
    """The size of the camera photo before the phone shrinks it."""
    return photo.stat().st_size


async def _fill_seizure(page: Page, lines: list[tuple[str, str]], photo: Path | None = None) -> None:
    """The form filled in as an inspector would: commune by search, an act, a record number, goods, a photo."""
    await page.goto("/incidents/new")
    await page.locator("#unit-search").fill("muong te")
    await page.get_by_role("button", name="Xã Mường Tè").click()
    await page.locator("#f-subject_matter").select_option(["NHAN_HIEU"])
    await page.locator("#f-infringement_acts").select_option(["HANG_GIA_MAO_NHAN_HIEU"])
    await page.locator("#f-seizure-record_number").fill("07/BB-QLTT")
    for index, (quantity, price) in enumerate(lines):
        if index:
            await page.get_by_role("button", name="Thêm dòng hàng").click()
        await page.locator(f"#f-goods-{index}-description").fill(f"Túi xách loại {index + 1}")
        await page.locator(f"#f-goods-{index}-infringed_mark").fill("Louis Vuitton")
        await page.locator(f"#f-goods-{index}-quantity").fill(quantity)
        await page.locator(f"#f-goods-{index}-unit").fill("chiếc")
        await page.locator(f"#f-goods-{index}-unit_price_vnd").fill(price)
    if photo is not None:
        await page.locator("#f-photos").set_input_files(photo)
        await expect(page.locator("#photo-list img")).to_have_count(1)


async def _incidents(db: AsyncSession, user: User) -> list[Incident]:
    return list(await db.scalars(select(Incident).where(Incident.recorded_by_id == user.id)))


async def _photos(db: AsyncSession, incident_id: uuid.UUID) -> list[Attachment]:
    return list(await db.scalars(select(Attachment).where(Attachment.incident_id == incident_id)))


def _unexpected(errors: list[str], *expected: str) -> list[str]:
    """Console errors, less the failed requests a test provokes on purpose."""
    return [e for e in errors if not any(mark in e for mark in expected)]


async def test_inspector_records_a_seizure_with_two_goods_lines_and_a_photo(
    page: Page,
    page_errors: list[str],
    log_in: LogIn,
    screenshot: Screenshot,
    db: AsyncSession,
    photo: Path,
    settings: Settings,
    photo_bytes: int,
):
    user = await log_in(page, role="inspector", agency="QLTT")
    await _fill_seizure(page, [("20", "1.250.000"), ("15", "300000")], photo)
    await expect(page.locator("#goods-total")).to_have_text("29.500.000 ₫")
    await expect(page.locator("#crime-warning")).to_be_hidden()
    await screenshot(page, "form")
    await page.get_by_role("button", name="Lưu vụ việc").click()
    await page.wait_for_url("**/incidents/mine?recorded=*")
    card = page.locator(".incident-card").first
    await expect(card).to_contain_text("29.500.000 ₫")
    await expect(card).to_contain_text("Xã Mường Tè")
    await screenshot(page, "mine")
    [incident] = await _incidents(db, user)
    assert incident.goods_value_vnd == 29_500_000 and incident.unit_2025 == "03445"
    [stored] = await _photos(db, incident.id)
    shrunk = Image.open(io.BytesIO(await LocalFileStore(settings.attachments_dir).read(stored.storage_key)))
    assert stored.content_type == "image/jpeg" and max(shrunk.size) == 1600
    assert stored.size_bytes < photo_bytes
    assert page_errors == []


async def test_a_seizure_recorded_offline_waits_on_the_phone_and_is_stored_once_when_back_online(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession, photo: Path
):
    user = await log_in(page, role="inspector", agency="QLTT")
    await _fill_seizure(page, [("20", "1.250.000"), ("15", "300000")], photo)
    await page.context.set_offline(True)
    await page.get_by_role("button", name="Lưu vụ việc").click()
    await expect(page.locator("#outbox")).to_contain_text("Đang chờ gửi (1)")
    await expect(page.locator("#record-status")).to_contain_text("sẽ tự gửi khi có mạng")
    await expect(page.locator("#f-seizure-record_number")).to_have_value("")  # ready for the next incident
    await screenshot(page, "waiting")
    assert await _incidents(db, user) == []
    await page.context.set_offline(False)
    await expect(page.locator("#outbox")).to_be_hidden(timeout=15_000)
    await expect(page.locator("#record-status")).to_contain_text("Đã gửi vụ việc.")
    [incident] = await _incidents(db, user)
    assert incident.goods_value_vnd == 29_500_000 and len(await _photos(db, incident.id)) == 1
    await page.goto("/incidents/mine")
    await expect(page.locator(".incident-card")).to_have_count(1)
    assert _unexpected(page_errors, OFFLINE) == []


async def test_an_expired_session_keeps_the_submission_and_sends_it_after_logging_in_again(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession, live_server: str
):
    user = await log_in(page, role="inspector", agency="QLTT")
    await _fill_seizure(page, [("2", "450.000")])
    await page.context.add_cookies([{"name": "ipcoord_session", "value": "gone", "url": live_server}])
    await page.get_by_role("button", name="Lưu vụ việc").click()
    await expect(page.locator("#record-status")).to_contain_text("Phiên làm việc đã hết hạn")
    await expect(page.get_by_role("link", name="Đăng nhập lại")).to_have_attribute("href", "/login?next=/incidents/new")
    await expect(page.locator("#outbox")).to_contain_text("Đang chờ gửi (1)")
    await expect(page.locator("#outbox")).to_contain_text("Chờ đăng nhập lại")
    await screenshot(page)
    response = await page.request.post("/api/auth/login", data={"username": user.username, "password": PASSWORD})
    assert response.status == 200
    await page.goto("/incidents/new")  # the page sends what waits on the phone as soon as it opens
    await expect(page.locator("#record-status")).to_contain_text("Đã gửi vụ việc.", timeout=10_000)
    await expect(page.locator("#outbox")).to_be_hidden()
    assert len(await _incidents(db, user)) == 1
    assert _unexpected(page_errors, "status of 401") == []


async def test_typing_a_commune_without_accents_finds_it_and_the_draft_survives_a_reload(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot
):
    await log_in(page, role="inspector", agency="QLTT")
    await page.goto("/incidents/new")
    await page.locator("#unit-search").fill("muong te")
    await expect(page.locator("#unit-matches-count")).to_have_text("1 đơn vị phù hợp")
    await expect(page.get_by_role("button", name="Xã Mường Tè")).to_be_visible()
    await screenshot(page)
    await page.locator("#unit-search").fill("doan ket")
    await page.locator("#unit-search").press("Enter")
    await expect(page.locator("#f-unit-code")).to_have_value("03388")
    await page.locator("#f-seizure-record_number").fill("09/BB-QLTT")
    await page.wait_for_timeout(500)  # the draft is written 300 ms after the last keystroke
    await page.reload()
    await expect(page.locator("#f-seizure-record_number")).to_have_value("09/BB-QLTT")
    await expect(page.locator("#f-unit-code")).to_have_value("03388")
    await expect(page.locator("#record-status")).to_contain_text("Đã khôi phục bản nháp")
    assert page_errors == []


async def test_the_apis_validation_errors_are_shown_beside_their_fields_and_nothing_is_queued(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    user = await log_in(page, role="inspector", agency="QLTT")
    await _fill_seizure(page, [("0", "450.000")])
    await page.locator("#f-seizure-record_number").fill("")
    await page.get_by_role("button", name="Lưu vụ việc").click()
    await expect(page.locator("#error-summary")).to_be_focused()
    await expect(page.locator("#f-goods-0-quantity-error")).to_have_text("Trường “Số lượng (dòng 1)” phải ≥ 1.")
    await expect(page.locator("#f-goods-0-quantity")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#outbox")).to_be_hidden()
    await screenshot(page)
    assert await _incidents(db, user) == []
    assert _unexpected(page_errors, "status of 400") == []


async def test_a_photo_still_over_the_limit_after_shrinking_is_refused_before_upload(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, photo: Path
):
    await log_in(page, role="inspector", agency="QLTT")
    await page.goto("/incidents/new")
    await page.locator("#f-photos").evaluate("input => input.dataset.maxBytes = '50000'")  # a server allowing 50 kB
    await page.locator("#f-photos").set_input_files(photo)
    await expect(page.locator("#photos-error")).to_contain_text("vẫn lớn hơn 0.0477 MB sau khi thu nhỏ")
    await expect(page.locator("#photo-list img")).to_have_count(0)
    await screenshot(page)
    assert page_errors == []


async def test_the_crime_warning_appears_past_the_threshold_and_the_police_referral_takes_one_tap(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot, db: AsyncSession
):
    user = await log_in(page, role="inspector", agency="QLTT")
    await _fill_seizure(page, [("100", "1.900.000")])
    await expect(page.locator("#crime-warning")).to_be_hidden()  # 190.000.000 ₫: below Art. 226's 200.000.000 ₫
    await page.locator("#f-goods-0-unit_price_vnd").fill("2.500.000")
    warning = page.locator("#crime-warning")
    await expect(warning).to_contain_text("giá trị hàng hóa 250.000.000 ₫ đạt ngưỡng 200.000.000 ₫ (BLHS Điều 226)")
    await screenshot(page, "warning")
    await page.get_by_role("button", name="Lưu vụ việc").click()
    await page.wait_for_url("**/incidents/mine?recorded=*")
    await expect(page.locator(".crime-badge")).to_contain_text("Có dấu hiệu tội phạm (BLHS Điều 226)")
    await page.get_by_role("button", name="Chuyển hồ sơ cho Công an").click()
    await expect(page.locator(".referred")).to_have_text("Đã chuyển hồ sơ cho Công an.")
    await screenshot(page, "referred")
    [incident] = await _incidents(db, user)
    count = await db.scalar(
        select(func.count()).where(Referral.incident_id == incident.id, Referral.type == "CHUYEN_HO_SO_HINH_SU")
    )
    assert count == 1
    assert page_errors == []


async def test_a_submission_answered_503_while_the_database_restarts_stays_on_the_phone_and_is_sent_later(
    page: Page, page_errors: list[str], log_in: LogIn, db: AsyncSession
):
    """The service answers 503 `database.unavailable` while PostgreSQL restarts: the phone keeps the record and
    retries with the same Idempotency-Key until it is stored, once."""
    user = await log_in(page, role="inspector", agency="QLTT")
    await _fill_seizure(page, [("2", "450.000")])
    vi, en = i18n.both("database.unavailable")
    away = {"code": "database.unavailable", "message_vi": vi, "message_en": en, "field": None, "errors": []}
    keys: list[str | None] = []

    async def database_away(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key"))
        await route.fulfill(status=503, headers={"Retry-After": "5"}, json=away)

    await page.route("**/api/incidents", database_away)
    await page.get_by_role("button", name="Lưu vụ việc").click()
    await expect(page.locator("#outbox")).to_contain_text("Đang chờ gửi (1)")
    for _ in range(100):  # the first retry comes about 2 s later
        if len(keys) >= 2:
            break
        await page.wait_for_timeout(100)
    assert len(keys) >= 2 and len(set(keys)) == 1 and keys[0]
    await expect(page.locator("#outbox")).to_contain_text("Đang chờ gửi (1)")
    assert await _incidents(db, user) == []
    await page.unroute("**/api/incidents", database_away)  # the database is back
    await expect(page.locator("#outbox")).to_be_hidden(timeout=20_000)
    await expect(page.locator("#record-status")).to_contain_text("Đã gửi vụ việc.")
    assert len(await _incidents(db, user)) == 1
    assert _unexpected(page_errors, "status of 503") == []
