"""Admin forms decoded into the API's own Structs, so a page refuses exactly what the API refuses.

Each refusal becomes an error beside its field in the reader's language; days are typed dd/mm/yyyy.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

from service import i18n
from service.errors import AppError, field_error_from_message, validation_parts
from service.web import formatting
from service.web.failures import error_text

Lang = i18n.Language
T = TypeVar("T")


@dataclass
class FormResult:
    """What was typed (kept for a second try), the errors by field, and the status to answer with."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200


def label(name: str, lang: Lang) -> str:
    """A form field's label as error messages name it."""
    key = f"ui.admin.field.{name}"
    return i18n.message(key, lang) if key in i18n.MESSAGES else name


def typed(form: Mapping[str, Any], names: Collection[str]) -> dict[str, str]:
    """The named fields as typed, stripped."""
    return {name: str(form.get(name) or "").strip() for name in names}


def decode(
    values: Mapping[str, str], schema: type[T], lang: Lang, *, days: Collection[str] = (), flags: Collection[str] = ()
) -> tuple[T | None, dict[str, str]]:
    """The Struct from the form (empty fields left out, days dd/mm/yyyy, check boxes as booleans), or the errors."""
    body: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in values.items():
        if name in flags:
            body[name] = value in ("true", "on", "1")
        elif not value:
            continue
        elif name in days:
            try:
                body[name] = formatting.parse_day(value).isoformat()
            except ValueError:
                errors[name] = i18n.message("field.type", lang, field=label(name, lang), expected=formatting.DAY_FORMAT)
        else:
            body[name] = value
    if errors:
        return None, errors
    try:
        return msgspec.convert(body, schema, strict=False), {}
    except msgspec.ValidationError as exc:
        text, path = validation_parts(exc)
        name = path.split("[")[0] or next(iter(values), "form")
        error = field_error_from_message(label(name, lang), text)
        return None, {name: error.message_vi if lang == "vi" else error.message_en}


def refused(exc: AppError, lang: Lang, known: Collection[str]) -> dict[str, str]:
    """A service's refusal beside the field it names (or above the form)."""
    name = exc.field if exc.field is not None and exc.field in known else "form"
    return {name: error_text(exc, lang, field=label(exc.field, lang) if exc.field else None)}
