"""Typed application errors and the handlers that render every error in the one bilingual contract."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    SerializationException,
    ValidationException,
)
from litestar.status_codes import (
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from schemas.errors import ErrorBody, FieldError
from service import i18n, outage
from service.observability import current_request_id

log = logging.getLogger("ipcoord.errors")


class AppError(Exception):
    """An expected business outcome that the client must be told about."""

    status: int = 400
    code: str = "request.invalid"
    page: str | None = None  # a browser is sent here instead of an error page (the second-factor gate)

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


class ServiceUnavailable(AppError):
    status = 503
    code = "server.unavailable"


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


def wants_page(request: Request[Any, Any, Any]) -> bool:
    """A browser asking for a page (not the API): errors become pages or redirects, not JSON."""
    path = request.scope.get("path", "")
    accept = request.headers.get("accept", "")
    return not path.startswith(("/api/", "/schema", "/static/", "/health")) and "text/html" in accept


def login_redirect(request: Request[Any, Any, Any], expired: bool) -> Response[Any]:
    """Send a browser without a (live) session to the login page, back to where it was going afterwards."""
    if request.method in ("GET", "HEAD"):
        target = request.scope.get("path", "/")
        query = request.scope.get("query_string", b"").decode("latin-1")
    else:  # a form posted after the session ended: back to the page that holds the form, not its action
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = referer.netloc in ("", request.headers.get("host", ""))
        target, query = (referer.path or "/", referer.query) if same_site else ("/", "")
    wanted = target + (f"?{query}" if query else "")
    location = "/login?" + urlencode({"next": wanted, **({"expired": "1"} if expired else {})})
    return Response(b"", status_code=303, headers={"Location": location})


def error_page(request: Request[Any, Any, Any], status: int, code: str, **params: object) -> Response[Any]:
    """The error as a page in the reader's language, for a browser (the API keeps the JSON contract)."""
    from service.web.context import page  # the web layer imports this module; import it only when needed

    vi, en = i18n.both(code, **params)
    return page(request, "error.html.j2", status=status, code=code, message=(vi, en), request_id=current_request_id())


def handle_app_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    """Render an AppError raised by a service or guard (a browser without a session goes to the login page)."""
    if wants_page(request):
        if isinstance(exc, Unauthenticated):
            return login_redirect(request, isinstance(exc, SessionExpired))
        if exc.page:
            return Response(b"", status_code=303, headers={"Location": exc.page})
        if not isinstance(exc, FieldInvalid):
            return error_page(request, exc.status, exc.code, field=exc.field or "", **exc.params)
        if exc.as_page:
            return error_page(request, 400, exc.field_error.code, field=exc.field_error.field or "")
    if isinstance(exc, FieldInvalid):
        first = exc.field_error
        body = ErrorBody(
            code=first.code,
            message_vi=first.message_vi,
            message_en=first.message_en,
            field=first.field,
            errors=[first],
            request_id=current_request_id(),
        )
        return Response(body, status_code=400, media_type=MediaType.JSON)
    errors = exc.field_errors() if exc.fields else []
    return error_response(exc.status, exc.code, field=exc.field, errors=errors, headers=exc.headers, **exc.params)


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


def _message_key(item: dict[str, Any]) -> str | None:
    """The path of a validation message; Litestar calls the body itself `data`, a name no client sent."""
    key = item.get("key") or None
    return None if key == "data" and item.get("source") == "body" else key


def handle_validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[ErrorBody]:
    """Render Litestar's 400 with every field problem named in both languages."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = [
        field_error_from_message(_message_key(item), str(item.get("message", "")))
        for item in extra
        if isinstance(item, dict)
    ]
    if not errors and "malformed" in (exc.detail or "").lower():
        return error_response(400, "request.malformed_json")
    if not errors:
        errors = [field_error_from_message(None, exc.detail or "")]
    first = errors[0]
    body = ErrorBody(
        code=first.code,
        message_vi=first.message_vi,
        message_en=first.message_en,
        field=first.field,
        errors=errors,
        request_id=current_request_id(),
    )
    return Response(body, status_code=400, media_type=MediaType.JSON)


_HTTP_CODES: dict[int, str] = {
    HTTP_401_UNAUTHORIZED: "auth.required",
    HTTP_403_FORBIDDEN: "auth.forbidden",
    HTTP_404_NOT_FOUND: "request.not_found",
    HTTP_405_METHOD_NOT_ALLOWED: "request.method_not_allowed",
    HTTP_413_REQUEST_ENTITY_TOO_LARGE: "request.too_large",
    HTTP_429_TOO_MANY_REQUESTS: "request.too_many",
    HTTP_503_SERVICE_UNAVAILABLE: "server.unavailable",
}


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """Render Litestar's own HTTP exceptions (routing, CSRF, rate limit, hosts) in the contract."""
    if isinstance(exc, ValidationException):
        return handle_validation(request, exc)
    detail = (exc.detail or "").lower()
    if isinstance(exc, PermissionDeniedException) and "csrf" in detail:
        code = "auth.csrf"
    elif exc.status_code == 400 and "host" in detail:
        code = "request.bad_host"
    elif exc.status_code == 400 and (
        isinstance(exc.__cause__, SerializationException) or "json" in detail or "decode" in detail
    ):
        # Litestar re-raises a body that does not decode ("Input data was truncated") as a ClientException.
        code = "request.malformed_json"
    elif isinstance(exc, NotAuthorizedException | NotFoundException):
        code = _HTTP_CODES[exc.status_code]
    else:
        code = _HTTP_CODES.get(exc.status_code, "request.invalid")
    status = exc.status_code if exc.status_code < 500 else HTTP_500_INTERNAL_SERVER_ERROR
    if status >= 500:
        log.error("http exception %s", exc.status_code, exc_info=exc)
        code = _HTTP_CODES.get(exc.status_code, "server.error")
        status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 429:  # the rate limiter says when its window resets; clients read the standard header
        headers.setdefault("Retry-After", str(max(1, int(headers.get("RateLimit-Reset", "60") or 60))))
    if wants_page(request) and status != 405:
        return error_page(request, status, code)
    return error_response(status, code, headers=headers)


_UNIQUE_NAME = re.compile(r"uq_(?P<table>[a-z_]+?)_(?P<column>[a-z_]+)$")


def handle_integrity(_: Request[Any, Any, Any], exc: IntegrityError) -> Response[ErrorBody]:
    """A uniqueness or reference conflict is the client's 409, not a 500."""
    constraint = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None) or ""
    match = _UNIQUE_NAME.search(constraint)
    field = match.group("column") if match else None
    log.info("integrity conflict on %s", constraint or "unknown constraint")
    errors = []
    if field:
        vi, en = i18n.both("request.conflict")
        errors = [FieldError(field=field, code="request.conflict", message_vi=vi, message_en=en)]
    return error_response(HTTP_409_CONFLICT, "request.conflict", field=field, errors=errors)


def database_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The database is away (restart, crash, full): a 503 to retry, logged once per outage, not per request."""
    outage.APP_OUTAGE.began(exc)
    headers = {"Retry-After": str(outage.RETRY_AFTER_SECONDS)}
    if wants_page(request):
        response = error_page(request, HTTP_503_SERVICE_UNAVAILABLE, "database.unavailable")
        response.headers.update(headers)
        return response
    return error_response(HTTP_503_SERVICE_UNAVAILABLE, "database.unavailable", headers=headers)


def handle_database(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A lost database is a 503 the client may retry; any other database error is logged as a bug."""
    if outage.is_unavailable(exc):
        return database_unavailable(request, exc)
    log.error("database error", exc_info=exc)
    if wants_page(request):
        return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR, "server.error")
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "server.error")


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A bug: logged with its traceback, never shown to the client."""
    if outage.is_unavailable(exc):  # e.g. a driver error that reached us outside SQLAlchemy's wrapping
        return database_unavailable(request, exc)
    log.error("unhandled %s", type(exc).__name__, exc_info=exc)
    if wants_page(request):
        return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR, "server.error")
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "server.error")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    AppError: handle_app_error,
    ValidationException: handle_validation,
    HTTPException: handle_http,
    IntegrityError: handle_integrity,
    DBAPIError: handle_database,
    PoolTimeout: handle_database,
    outage.DatabaseUnreachable: handle_database,
    Exception: handle_unexpected,
}
