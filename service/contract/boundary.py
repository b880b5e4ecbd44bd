"""The input boundary: text reaches nothing else unless it is clean.

PostgreSQL refuses NUL in text and a lone surrogate cannot be stored as UTF-8, so such input used to surface as
500s deep inside queries. Every piece of text a request carries passes here first, by one set of rules:

- query parameters, path parameters and the headers the service reads: UTF-8, no control character at all,
  at most `MAX_PARAMETER` characters;
- JSON bodies, URL-encoded and multipart form fields: no control character but tab, newline and carriage
  return (free text keeps its lines), no lone surrogate; JSON is decoded strictly against the handler's
  Struct (a string is not an integer, a float is not an integer) and may not nest deeper than Python can walk;
- spreadsheet cells of an import call `check_text` themselves (service/imports/parsing.py).

A refusal is a 400 of the error contract naming the field (`field.control_character`,
`field.invalid_encoding`, `field.too_long`, `request.too_deep`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile
from litestar.enums import ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Empty, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from schemas import rules
from schemas.errors import FieldError
from service import i18n
from service.errors import AppError, FieldInvalid, NotFound, field_invalid
from service.errors import problems_invalid as rules_invalid

MAX_PARAMETER = 2_000
BIGINT = 2**63
# Every body but an upload's (those routes set their own limit): ample for the largest JSON the schemas admit.
MAX_BODY = 1_048_576
# Free text keeps tab, newline and carriage return (browsers send a textarea's lines as CR LF).
_BAD_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_IN_PARAMETER = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# A JSON body that might hold a bad character: an escaped control character or surrogate, or a raw DEL / C1
# control. Only bodies matching this are walked (the escape may be a false alarm, e.g. an escaped backslash).
_SUSPECT_JSON = re.compile(rb"\\u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F])|\x7f|\xc2[\x80-\x9f]")
_HEADER_NAMES = {  # the headers the service reads, by their documented spelling
    "authorization": "Authorization",
    "accept": "Accept",
    "accept-language": "Accept-Language",
    "idempotency-key": "Idempotency-Key",
    "x-csrftoken": "X-CSRFToken",
    "if-none-match": "If-None-Match",
    "referer": "Referer",
    "cookie": "Cookie",
}
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BadInput(FieldInvalid):
    """One field of the request failed the boundary."""

    as_page = True

    def __init__(self, field: str, code: str, **params: object) -> None:
        vi, en = i18n.both(code, field=field, **params)
        super().__init__(FieldError(field=field, code=code, message_vi=vi, message_en=en))


class TooDeep(AppError):
    code = "request.too_deep"


def check_text(value: str, field: str, *, free_text: bool = True) -> str:
    """`value` if it is clean, else BadInput naming `field`; free text may keep tab, newline and CR."""
    pattern = _BAD_IN_TEXT if free_text else _BAD_IN_PARAMETER
    if pattern.search(value):
        raise BadInput(field, "field.control_character")
    return value


def check_parameter(value: str, field: str) -> str:
    """A query/path parameter or header value: no control character, at most MAX_PARAMETER characters."""
    check_text(value, field, free_text=False)
    if len(value) > MAX_PARAMETER:
        raise BadInput(field, "field.too_long", limit=MAX_PARAMETER)
    return value


def _utf8(raw: bytes, field: str) -> str:
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(field, "field.invalid_encoding") from None


def check_query_string(query: bytes) -> None:
    """Every name and value of a raw query string: percent-decoded UTF-8, clean, not over-long."""
    for pair in query.split(b"&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition(b"=")
        name = _utf8(raw_name, "query")
        check_parameter(name, "query")
        check_parameter(_utf8(raw_value, name), name)


def check_headers(headers: Iterable[tuple[bytes, bytes]]) -> None:
    """The headers the service reads (HTAB is allowed in header values by HTTP itself)."""
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").lower()
        if name in _HEADER_NAMES:
            field = _HEADER_NAMES[name]
            value = raw_value.decode("latin-1").replace("\t", " ")
            if _BAD_IN_PARAMETER.search(value):
                raise BadInput(field, "field.control_character")
            if len(value) > 8 * MAX_PARAMETER:
                raise BadInput(field, "field.too_long", limit=8 * MAX_PARAMETER)


def check_path_params(params: dict[str, Any]) -> None:
    """String parameters are clean; an integer id no bigint can hold names nothing (404, not an overflow)."""
    for name, value in params.items():
        if isinstance(value, str):
            check_parameter(value, name)
        elif isinstance(value, int) and not -BIGINT <= value < BIGINT:
            raise NotFound(field=name)


def _bad_strings(value: Any, path: str) -> Iterator[str]:
    """Paths of the strings (keys included) under `value` that break the free-text rule."""
    if isinstance(value, str):
        if _BAD_IN_TEXT.search(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            key_path = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _BAD_IN_TEXT.search(key):
                yield path or "body"
            yield from _bad_strings(item, key_path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_strings(item, f"{path}[{index}]")


def check_values(value: Any, prefix: str = "") -> None:
    """A decoded body (or form): the first bad string, named by its path, is a BadInput."""
    for path in _bad_strings(value, prefix):
        raise BadInput(path or "body", "field.control_character")


def check_json(body: bytes, decoder: msgspec.json.Decoder[Any] | None) -> Any:
    """A JSON body: clean text, decoded strictly against the handler's type when there is one; a body that does
    not fit is refused with every field problem the type's rules find (schemas.rules), not only the first.
    Returns the decoded value of the handler's type, or Empty when there is no type or the JSON is malformed."""
    if _SUSPECT_JSON.search(body):
        # Malformed or too deep: the typed decode below names it.
        with contextlib.suppress(msgspec.DecodeError, RecursionError):
            check_values(msgspec.json.decode(body))
    if decoder is None:
        return Empty
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as exc:
        raise _every_problem(body, decoder.type, exc) from None
    except RecursionError:
        raise TooDeep() from None
    except msgspec.DecodeError:
        return Empty  # Litestar answers malformed JSON in the contract (request.malformed_json)


def _every_problem(body: bytes, tp: Any, exc: msgspec.ValidationError) -> AppError:
    """Every field problem the type's rules find in the body; msgspec's own first error when they find none."""
    try:
        problems = rules.check(msgspec.json.decode(body), rules.rules_of(tp))
    except (RecursionError, TypeError, msgspec.DecodeError):  # e.g. trailing bytes after a value that failed its type
        problems = []
    return rules_invalid(problems) if problems else field_invalid(exc)


_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}


def body_decoder(handler: HTTPRouteHandler) -> msgspec.json.Decoder[Any] | None:
    """A strict decoder for the handler's JSON body type (`data`), one per type (types outlive apps; an id of a
    handler would not: tests build many apps, and a freed handler's id is reused)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    if data.annotation not in _DECODERS:
        _DECODERS[data.annotation] = msgspec.json.Decoder(data.annotation, strict=True)
    return _DECODERS[data.annotation]


async def check_request_body(request: Request[Any, Any, Any]) -> None:
    """The app's `before_request` hook: after the guards (a caller without the right gets 403, not a body
    error), before Litestar decodes the body. The body is read once; Litestar keeps it (and a parsed form,
    whose uploads it closes after the response) for the handler. A JSON body is decoded once: the value of the
    handler's type is kept as the request's JSON, which Litestar hands to the handler as `data` as it is (a value
    already of the parameter's type passes its validation unchanged). A layer that sets its own `before_request`
    replaces this one and must call it."""
    if request.method not in _BODY_METHODS:
        return
    content_type = request.content_type[0]
    if content_type == "application/json" or content_type.endswith("+json"):
        body = await request.body()
        if body:
            decoded = check_json(body, body_decoder(request.route_handler))
            if decoded is not Empty:
                ScopeState.from_scope(request.scope).json = decoded
    elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        check_form(await request.form())


def check_form(form: Any) -> None:
    for name, value in form.multi_items():
        check_text(name, "body")
        if not isinstance(value, UploadFile):
            check_text(value, name)
        elif value.filename:
            check_text(value.filename, name)


class ParameterBoundaryMiddleware(ASGIMiddleware):
    """Query, path parameters and read headers; after routing (path parameters are known), before sessions,
    CSRF and authentication read any of them."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        check_query_string(scope.get("query_string", b""))
        check_path_params(scope.get("path_params", {}))
        check_headers(scope.get("headers", []))
        await next_app(scope, receive, send)
