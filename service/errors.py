"""Typed application errors, the one bilingual error body (`error_response`) and field errors from validation.

The exception handlers that render every error (JSON for the API, a page for a browser) are service/web/handlers.py."""

from __future__ import annotations

import logging
import re

import msgspec
from litestar import MediaType, Response

from schemas.errors import ErrorBody, FieldError
from service import i18n
from service.observability import current_request_id

log = logging.getLogger("ipcoord.errors")


class AppError(Exception):
    """An expected business outcome that the client must be told about."""

    status: int = 400
    code: str = "request.invalid"

    def __init__(
        self,
        *,
        field: str | None = None,
        also: tuple[str, ...] = (),
        headers: dict[str, str] | None = None,
        **params: object,
    ):
        self.field = field
        self.fields = (field, *also) if field else also
        self.params = params
        self.headers = headers or {}
        super().__init__(self.code)

    def field_errors(self) -> list[FieldError]:
        """Each problem in both languages: one per field the error names (one without a field if it names none).
        The JSON body's `errors` and every page that shows a refusal read these."""
        return [
            FieldError(field=field, code=self.code, message_vi=vi, message_en=en)
            for field in (self.fields or (None,))
            for vi, en in [i18n.both(self.code, field=field or "", **self.params)]
        ]

    def with_code(self, code: str, *, status: int | None = None) -> AppError:
        """The same error under a more specific catalogue code (and status), for one-off rules."""
        self.code = code
        self.status = status or self.status
        return self


class Invalid(AppError):
    """A field value that passed the schema but breaks a rule."""

    code = "field.invalid"


class NotFound(AppError):
    status = 404
    code = "request.not_found"


class Conflict(AppError):
    status = 409
    code = "request.conflict"


class Unauthenticated(AppError):
    status = 401
    code = "auth.required"


class SessionExpired(Unauthenticated):
    code = "auth.session_expired"


class Forbidden(AppError):
    status = 403
    code = "auth.forbidden"


class InvalidCredentials(AppError):
    status = 401
    code = "auth.invalid_credentials"


class OutsideProvince(AppError):
    status = 422
    code = "geo.outside_province"


def error_response(
    status: int,
    code: str,
    /,
    *,
    field: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    **params: object,
) -> Response[ErrorBody]:
    """The error body of the contract for one code of the catalogue (params may include `code`)."""
    vi, en = i18n.both(code, field=field, **params) if field else i18n.both(code, **params)
    body = ErrorBody(
        code=code,
        message_vi=vi,
        message_en=en,
        field=field,
        errors=errors or [],
        request_id=current_request_id(),
    )
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


class FieldInvalid(AppError):
    """A schema failure found after decoding, e.g. a correction merged into the stored incident."""

    # Pages catch their own form errors; an input refusal at the boundary is rendered as an error page.
    as_page = False

    def __init__(self, error: FieldError) -> None:
        super().__init__(field=error.field)
        self.field_error = error

    def field_errors(self) -> list[FieldError]:
        return [self.field_error]


def validation_parts(exc: msgspec.ValidationError) -> tuple[str, str]:
    """(message, dotted path) of a msgspec validation error: "Expected `int` - at `$.goods[0].quantity`" gives
    ("Expected `int`", "goods[0].quantity"); the path is "" for the body itself."""
    message, _, path = str(exc).partition(" - at `")
    return message, path.rstrip("`").removeprefix("$").lstrip(".")


def field_invalid(exc: msgspec.ValidationError, prefix: str = "") -> FieldInvalid:
    """A 400 naming the field of a msgspec validation error, its path under `prefix`."""
    message, path = validation_parts(exc)
    key = ".".join(p for p in (prefix, path) if p)
    return FieldInvalid(field_error_from_message(key or None, message))


# msgspec's messages, matched to the catalogue: (pattern, code, params from the match).
_MSGSPEC_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Object missing required field `(?P<name>[^`]+)`"), "field.required"),
    (re.compile(r"Missing required \w+ parameter '(?P<name>[^']+)'"), "field.required"),
    (re.compile(r"Object contains unknown field `(?P<name>[^`]+)`"), "field.unknown"),
    (re.compile(r"Expected `(?:array|object)` of length <= (?P<limit>\d+)"), "field.too_many"),
    (re.compile(r"Expected `(?:array|object)` of length >= (?P<limit>\d+)"), "field.too_few"),
    (re.compile(r"Expected `\w+` of length <= (?P<limit>\d+)"), "field.too_long"),
    (re.compile(r"Expected `\w+` of length >= (?P<limit>\d+)"), "field.too_short"),
    (re.compile(r"Expected `(?:int|float)` >=? (?P<limit>-?[\d.]+)"), "field.too_small"),
    (re.compile(r"Expected `(?:int|float)` <=? (?P<limit>-?[\d.]+)"), "field.too_large"),
    (re.compile(r"Invalid enum value"), "field.invalid_choice"),
    (re.compile(r"Expected `(?P<expected>[^`]+)`, got `[^`]+`"), "field.type"),
]


def field_error_from_message(key: str | None, text: str) -> FieldError:
    """Turn one msgspec/Litestar validation message into a bilingual field error."""
    for pattern, code in _MSGSPEC_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        params = match.groupdict()
        name = params.pop("name", None)
        field = ".".join(p for p in (key, name) if p) if name else key
        vi, en = i18n.both(code, field=field or "body", **params)
        return FieldError(field=field, code=code, message_vi=vi, message_en=en)
    vi, en = i18n.both("field.invalid", field=key or "body", detail=text)
    return FieldError(field=key, code="field.invalid", message_vi=vi, message_en=en)
