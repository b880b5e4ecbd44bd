"""Pure: the sanction decision form decoded into the API's SanctionIn, every problem at once beside its field.

The form posts what the API takes (schemas.rules checks the whole body, as the API does), with days typed
dd/mm/yyyy and the fine with thousands separators ("15.000.000"). No database, no Litestar.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from schemas.rules import check, rules_of
from schemas.sanctions import PaymentUpdate, SanctionIn
from service import i18n
from service.errors import AppError, field_error_from_message, validation_parts
from service.web import formatting
from service.web.failures import error_text

Lang = i18n.Language
TEXTS = ("number", "decider_name", "decider_title", "registration_number", "legal_representative")
CHOICES = ("principal_sanction", "payment_status", "violator_sex")
DAYS = ("decided_on", "violator_birth_date", "executed_on")
LISTS = ("acts", "additional_sanctions", "remedial_measures")
AMOUNTS = ("fine_vnd",)
FIELDS = (*TEXTS, *CHOICES, *DAYS, *LISTS, *AMOUNTS)
PAYMENT_FIELDS = ("payment_status", "executed_on", "reason")
_SEPARATORS = re.compile(r"[\s.,]")


def label(name: str, lang: Lang) -> str:
    """A field's label as the form shows it and its errors name it."""
    return i18n.message(f"ui.sanction_form.field.{name}", lang)


@dataclass
class Decoded:
    """What was typed (kept for a second try), the errors by field, and the Struct when there are none."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    data: Any = None


def _typed(form: Any, names: Sequence[str], lists: Sequence[str] = ()) -> dict[str, Any]:
    values: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in names if name not in lists}
    for name in lists:
        values[name] = [str(v) for v in form.getall(name)] if name in form else []
    return values


def _body(values: Mapping[str, Any], lang: Lang, errors: dict[str, str]) -> dict[str, Any]:
    """The JSON body the API would get: empty fields left out, days as ISO, amounts as integers."""
    body: dict[str, Any] = {}
    for name, value in values.items():
        if name in LISTS:
            body[name] = list(value)
        elif not value:
            continue
        elif name in DAYS:
            try:
                body[name] = formatting.parse_day(value).isoformat()
            except ValueError:
                errors[name] = i18n.message("field.type", lang, field=label(name, lang), expected=formatting.DAY_FORMAT)
        elif name in AMOUNTS:
            digits = _SEPARATORS.sub("", value)
            if digits.isdigit():
                body[name] = int(digits)
            else:
                errors[name] = i18n.message("field.type", lang, field=label(name, lang), expected="15.000.000")
        else:
            body[name] = value
    return body


def _decode(values: dict[str, Any], schema: type[SanctionIn] | type[PaymentUpdate], lang: Lang) -> Decoded:
    decoded = Decoded(values)
    body = _body(values, lang, decoded.errors)
    for problem in check(body, rules_of(schema)):
        name = problem.path.split(".")[0].split("[")[0] or "form"
        if name not in decoded.errors:
            params = problem.params | {"field": label(name, lang) if name != "form" else ""}
            decoded.errors[name] = i18n.message(problem.code, lang, **params)
    if decoded.errors:
        return decoded
    try:
        decoded.data = msgspec.convert(body, schema, strict=False)
    except msgspec.ValidationError as exc:
        text, path = validation_parts(exc)
        name = path.split(".")[0].split("[")[0] or "form"
        error = field_error_from_message(label(name, lang) if name != "form" else None, text)
        decoded.errors[name] = error.message_vi if lang == "vi" else error.message_en
    return decoded


def decode_decision(form: Any, lang: Lang) -> Decoded:
    """The decision form as SanctionIn, or every error beside its field."""
    return _decode(_typed(form, FIELDS, LISTS), SanctionIn, lang)


def decode_payment(form: Any, lang: Lang) -> Decoded:
    """The payment form as PaymentUpdate, or every error beside its field."""
    return _decode(_typed(form, PAYMENT_FIELDS), PaymentUpdate, lang)


def refused(exc: AppError, lang: Lang, known: Sequence[str]) -> dict[str, str]:
    """A service's refusal beside the field it names (or above the form), the field named by its label."""
    if exc.field is None or exc.field not in known:
        return {"form": error_text(exc, lang)}
    return {exc.field: error_text(exc, lang, field=label(exc.field, lang))}
