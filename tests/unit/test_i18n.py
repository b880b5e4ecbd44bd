"""The message catalogue and language choice of service.i18n."""

from __future__ import annotations

import string

import pytest

from schemas import codes
from service import labels
from service.i18n import MESSAGES, both, message, pick_language

CODES = sorted(MESSAGES)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _has_vietnamese_letter(text: str) -> bool:
    return any(ch.isalpha() and not ch.isascii() for ch in text)


@pytest.mark.parametrize("code", CODES)
def test_entry_has_distinct_non_empty_vietnamese_and_english(code: str) -> None:
    vi, en = MESSAGES[code]
    assert vi.strip(), f"{code}: empty Vietnamese text"
    assert en.strip(), f"{code}: empty English text"
    assert vi != en, f"{code}: Vietnamese text is the English text"


@pytest.mark.parametrize("code", CODES)
def test_entry_uses_the_same_placeholders_in_both_languages(code: str) -> None:
    vi, en = MESSAGES[code]
    assert _placeholders(vi) == _placeholders(en), code


def test_vietnamese_texts_are_written_with_diacritics() -> None:
    without = [code for code, (vi, _) in MESSAGES.items() if not _has_vietnamese_letter(vi)]
    assert len(without) <= 0.1 * len(MESSAGES), f"Vietnamese text without diacritics: {without}"


def test_message_fills_placeholders_in_the_chosen_language() -> None:
    assert message("field.too_long", "en", field="full_name", limit=200) == (
        "Field `full_name` is longer than 200 characters."
    )


def test_a_parameter_named_code_fills_in() -> None:
    # agency.not_found and admin_unit.not_found take a parameter called `code`, like the message code.
    vi, en = both("agency.not_found", code="QLTT_X")
    assert "QLTT_X" in vi
    assert "QLTT_X" in en


def test_language_defaults_to_vietnamese() -> None:
    assert pick_language(None) == "vi"


def test_language_defaults_to_vietnamese_for_languages_without_a_catalogue() -> None:
    assert pick_language("fr-FR,de;q=0.8") == "vi"


@pytest.mark.parametrize("accept_language", ["en", "en-US", "en-GB,en;q=0.9", "fr-FR, en;q=0.5", "EN-us"])
def test_accept_language_preferring_english_gives_english(accept_language: str) -> None:
    assert pick_language(accept_language) == "en"


def test_accept_language_listing_vietnamese_first_gives_vietnamese() -> None:
    assert pick_language("vi-VN,vi;q=0.9,en;q=0.8") == "vi"


def test_cookie_wins_over_accept_language() -> None:
    assert pick_language("vi-VN,vi;q=0.9", cookie="en") == "en"
    assert pick_language("en-US,en;q=0.9", cookie="vi") == "vi"


def test_unknown_cookie_value_falls_back_to_accept_language() -> None:
    assert pick_language("en-US", cookie="de") == "en"


def test_every_code_has_a_vietnamese_and_an_english_label() -> None:
    for table, known in (
        (labels.KINDS, codes.INCIDENT_KINDS),
        (labels.SUBJECT_MATTERS, codes.SUBJECT_MATTERS),
        (labels.INFRINGEMENT_ACTS, codes.INFRINGEMENT_ACTS),
    ):
        assert set(table) == set(known)
        assert all(vi and en and vi != en for vi, en in table.values())
    assert labels.label(labels.KINDS, "seizure") == "Kiểm tra, thu giữ hàng hóa vi phạm"
    assert labels.label(labels.KINDS, "seizure", "en") == "Inspection and seizure of infringing goods"
    assert labels.label(labels.KINDS, "unknown_kind") == "unknown_kind"
