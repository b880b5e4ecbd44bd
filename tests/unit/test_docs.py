"""The documentation lists every error code of the catalogue."""

from pathlib import Path

from service.i18n import MESSAGES, catalogue_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_docs_errors_md_is_the_generated_catalogue():
    assert (ROOT / "docs" / "errors.md").read_text() == catalogue_markdown(), "run `make docs`"


def test_every_error_code_is_documented_in_both_languages():
    text = (ROOT / "docs" / "errors.md").read_text()
    missing = [code for code, (vi, en) in MESSAGES.items() if f"| `{code}` | {vi} | {en} |" not in text]
    assert missing == []
