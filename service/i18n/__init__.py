"""The one message catalogue: every user-facing text, Vietnamese first, English second.

The texts live in one module per part of the service (common.py, incidents.py, referrals.py, ...); MESSAGES
merges them, and a code defined twice stops the import.
"""

from __future__ import annotations

from typing import Literal

from service.i18n import (
    admin,
    audit,
    calendar,
    cases,
    common,
    contract,
    dashboard,
    documents,
    exchange,
    imports,
    incident_pages,
    incident_view,
    incidents,
    maps,
    national_record,
    notifications,
    referrals,
    reports,
    retention,
    sanction_pages,
    security,
    share,
    takedowns,
    workflow,
)

Language = Literal["vi", "en"]


_PARTS = (
    common,
    contract,
    incident_pages,
    incident_view,
    incidents,
    referrals,
    notifications,
    dashboard,
    reports,
    imports,
    cases,
    retention,
    maps,
    calendar,
    audit,
    workflow,
    admin,
    security,
    share,
    takedowns,
    national_record,
    sanction_pages,
    documents,
    exchange,
)


def _merged() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for part in _PARTS:
        twice = merged.keys() & part.MESSAGES.keys()
        if twice:
            raise ValueError(f"message codes defined twice: {sorted(twice)}")
        merged.update(part.MESSAGES)
    return merged


MESSAGES: dict[str, tuple[str, str]] = _merged()


def message(code: str, lang: Language = "vi", /, **params: object) -> str:
    """The catalogue text for `code` in one language, with its parameters filled in.

    `code` and `lang` are positional-only so a parameter may itself be named `code` (agency.not_found).
    """
    vi, en = MESSAGES[code]
    template = vi if lang == "vi" else en
    return template.format(**params) if params else template


def both(code: str, /, **params: object) -> tuple[str, str]:
    """The Vietnamese and English texts for `code`, parameters filled in."""
    return message(code, "vi", **params), message(code, "en", **params)


def pick_language(accept_language: str | None, cookie: str | None = None) -> Language:
    """Vietnamese unless the user's cookie or Accept-Language prefers English."""
    if cookie in ("vi", "en"):
        return cookie  # type: ignore[return-value]
    if not accept_language:
        return "vi"
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("vi"):
            return "vi"
        if tag.startswith("en"):
            return "en"
    return "vi"


def catalogue_markdown() -> str:
    """docs/errors.md, generated from the catalogue (`make docs` rewrites it; a test keeps it in step)."""
    rows = [
        "# Error codes / Mã lỗi",
        "",
        "Every error body: `{code, message_vi, message_en, field, errors[], request_id}`. `field` names the first",
        "field at fault (a dotted path into the body, or a query/path parameter); `errors` lists every problem.",
        "`request_id` matches the `X-Request-ID` response header and the service's log line.",
        "",
        "Statuses: 400 invalid input; 401 not logged in; 403 not allowed or CSRF; 404 not found; 409 conflict;",
        "413 too large; 415 unsupported file type; 422 a valid value that breaks a domain rule (e.g. a point",
        "outside Lai Châu); 429 too many login attempts; 500 a bug (logged, never shown); 503 database unavailable.",
        "",
        "Generated from the catalogue in `service/i18n/` by `make docs`.",
        "",
        "| Code | Tiếng Việt | English |",
        "| --- | --- | --- |",
    ]
    rows += [f"| `{code}` | {vi} | {en} |" for code, (vi, en) in MESSAGES.items()]
    return "\n".join(rows) + "\n"
