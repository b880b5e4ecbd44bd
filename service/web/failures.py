"""A refusal (an AppError) as page text in the reader's language: the one way every page shows one."""

from __future__ import annotations

from service import i18n
from service.errors import AppError, FieldInvalid


def error_texts(exc: AppError, lang: i18n.Language) -> list[tuple[str, str]]:
    """(field path or "form", message) for every problem the error names, in the reader's language."""
    return [
        (error.field or "form", error.message_vi if lang == "vi" else error.message_en) for error in exc.field_errors()
    ]


def error_text(exc: AppError, lang: i18n.Language, *, field: str | None = None, **params: object) -> str:
    """The error's message; `field` (a label the page shows) and `params` (labels of codes) replace the error's
    own values in the text."""
    if isinstance(exc, FieldInvalid) and field is None and not params:
        return error_texts(exc, lang)[0][1]
    values = {**exc.params, **params}
    return i18n.message(exc.code, lang, field=field if field is not None else exc.field or "", **values)


def error_pair(exc: AppError, *, field: str | None = None) -> tuple[str, str]:
    """The error's message in both languages (vi, en), for pages that show both; `field` replaces its own."""
    return i18n.both(exc.code, field=field if field is not None else exc.field or "", **exc.params)
