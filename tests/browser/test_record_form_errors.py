"""The record form names every error at once, before sending, by the same rules the server applies."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from playwright.async_api import Page, Request, expect

from schemas.incidents import IncidentIn
from schemas.rules import check, rules_of
from tests.browser.conftest import LogIn, Screenshot
from tests.incident_bodies import body

pytestmark = pytest.mark.browser


async def test_an_empty_seizure_form_shows_every_missing_field_after_one_submit(
    page: Page, page_errors: list[str], log_in: LogIn, screenshot: Screenshot
):
    await log_in(page, role="inspector", agency="QLTT")
    sent: list[str] = []

    def on_request(request: Request) -> None:
        if request.method == "POST":
            sent.append(request.url)

    page.on("request", on_request)
    await page.goto("/incidents/new")
    await page.get_by_role("button", name="Lưu vụ việc").click()
    summary = page.locator("#error-summary")
    await expect(summary).to_be_visible()
    await expect(page.locator("#use-gps, #unit-search, #f-unit-code").first).to_be_focused()  # the first, the place
    items = summary.locator("li")
    texts = await items.all_inner_texts()
    assert len(texts) == 5 and len(set(texts)) == 5, texts
    for label in ("GPS", "Số biên bản", "Hàng hóa", "Đối tượng quyền", "Hành vi vi phạm"):
        assert any(label in text for text in texts), (label, texts)
    assert "GPS" in texts[0] and "Hành vi" in texts[-1]  # in the order of the page
    await expect(page.locator("#place-error")).to_contain_text("GPS")
    await expect(page.locator("#f-seizure-record_number")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#f-seizure-record_number-error")).to_be_visible()
    assert sent == []  # zero round trips: nothing was sent
    await screenshot(page)
    # Clicking the first summary entry moves to its field.
    await items.first.locator("a").click()
    assert page_errors == []


def _bad_bodies() -> list[dict[str, Any]]:
    empty: dict[str, Any] = {"kind": "seizure"}
    wrong = copy.deepcopy(body("seizure"))
    wrong |= {"occurred_at": "02/03/2026", "record_number": "x" * 201, "colour": "red"}
    wrong["goods"][0]["quantity"] = 0
    wrong["goods"][1]["unit_price_vnd"] = "nhiều"
    wrong["violator"]["type"] = "robot"
    wrong["unit"] = {"generation": "2025", "code": "12"}
    advert = copy.deepcopy(body("advertising_violation"))
    advert.pop("content", None)
    advert.pop("url", None)
    advert["location"] = None
    online = copy.deepcopy(body("online_infringement")) | {"url": "ftp://x", "captured_at": "2026-02-30T10:00:00+07:00"}
    return [empty, wrong, advert, online, copy.deepcopy(body("seizure"))]


async def test_the_page_and_the_server_find_the_same_problems(page: Page, log_in: LogIn):
    await log_in(page, role="inspector", agency="QLTT")
    await page.goto("/incidents/new")
    server_rules = rules_of(IncidentIn)
    for case in _bad_bodies():
        in_page = await page.evaluate(
            "b => ipcoordRules.check(b, JSON.parse(document.getElementById('record-data').textContent).rules)", case
        )
        on_server = [[p.path, p.code, p.params] for p in check(json.loads(json.dumps(case)), server_rules)]
        # The page's copy of the tree has its keys sorted (Jinja's tojson): compare regardless of order.
        assert sorted(map(json.dumps, in_page)) == sorted(map(json.dumps, on_server)), case
