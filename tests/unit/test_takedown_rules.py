"""Pure parts of takedowns: which URLs a request may name (parsed, never resolved), what a capture's file may be,
the statuses an answer leads to, and a limit in hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.attachments.service import UnsupportedType
from service.calendar.workdays import WorkCalendar, due_moment
from service.takedowns.evidence import examine_capture
from service.takedowns.transitions import Status, after_answer
from service.takedowns.urls import BadScheme, PrivateAddress, checked_url
from tests.unit.test_content_check import pdf, photo

MHTML = (
    b"From: <Saved by Blink>\r\nSubject: Shop\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--abc"\r\n\r\n'
    b"------MultipartBoundary--abc\r\nContent-Type: text/html\r\n\r\n<html><body>LV</body></html>\r\n"
    b"------MultipartBoundary--abc--\r\n"
)


@pytest.mark.parametrize(
    "url",
    ["https://shopee.vn/x", "http://facebook.com/groups/1?x=1", "https://[2001:4860:4860::8888]/", "https://8.8.8.8/"],
)
def test_public_http_urls_are_taken_with_their_host(url: str):
    assert checked_url(url, "url")[0] == url


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("file:///etc/passwd", BadScheme),
        ("https://", BadScheme),
        ("http://shopee.vn:99999/", BadScheme),
        ("http://user:pw@shopee.vn/", PrivateAddress),
        ("http://172.16.0.1/", PrivateAddress),
        ("http://[::ffff:127.0.0.1]/", PrivateAddress),
        ("http://[fe80::1]/", PrivateAddress),
        ("http://2130706433/", PrivateAddress),
        ("http://intranet/", PrivateAddress),
        ("http://router.internal./", PrivateAddress),
    ],
)
def test_other_schemes_and_private_addresses_are_refused(url: str, error: type[Exception]):
    with pytest.raises(error):
        checked_url(url, "url")


def test_captures_accept_png_jpeg_pdf_saved_html_and_mhtml_by_content():
    kinds = [
        examine_capture(content, 10**7).content_type
        for content in (photo(image_format="PNG", gps=None), photo(gps=None), pdf(), b"<html><p>x</p></html>", MHTML)
    ]
    assert kinds == ["image/png", "image/jpeg", "application/pdf", "text/html", "multipart/related"]


@pytest.mark.parametrize(
    "content",
    [
        b"<script>alert(1)</script>",  # not a whole page
        b"<html>\x00</html>",
        b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello",
        b"%PDF-1.4 truncated",
    ],
)
def test_captures_refuse_what_only_claims_to_be_a_page(content: bytes):
    with pytest.raises(UnsupportedType):
        examine_capture(content, 10**7)


def test_answers_move_open_requests_and_never_a_draft_or_a_closed_one():
    assert after_answer(Status.SENT, "done") == Status.DONE
    assert after_answer(Status.OVERDUE, "partly_done") == Status.PARTLY_DONE
    assert after_answer(Status.PARTLY_DONE, "done") == Status.DONE
    assert after_answer(Status.PARTLY_DONE, "acknowledged") is None
    assert after_answer(Status.DRAFTED, "done") is None
    assert after_answer(Status.DONE, "refused") is None


def test_a_limit_in_hours_runs_on_the_clock_through_days_off():
    friday_evening = datetime(2026, 4, 24, 12, 0, tzinfo=UTC)  # 19:00 in Lai Châu, before the 30/4 holidays
    assert due_moment(friday_evening, 24, "hours", WorkCalendar()) == friday_evening + timedelta(hours=24)
    end_of_day = due_moment(friday_evening, 1, "working_days", WorkCalendar())
    assert end_of_day.isoformat() == "2026-04-28T00:00:00+07:00"  # the end of Monday 27 April
