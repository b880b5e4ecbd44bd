"""The exception handlers: every error in the one bilingual contract, as JSON for the API and a page for a browser.

The errors themselves (AppError and its kinds, `error_response`, field errors) are service/errors.py, below every
package; the pages need the web layer, so the handlers live here and the app registers `EXCEPTION_HANDLERS`.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

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
from service.errors import (
    AppError,
    FieldInvalid,
    SessionExpired,
    Unauthenticated,
    error_response,
    field_error_from_message,
)
from service.observability import current_request_id
from service.web.context import page

log = logging.getLogger("ipcoord.errors")


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
    vi, en = i18n.both(code, **params)
    return page(request, "error.html.j2", status=status, code=code, message=(vi, en), request_id=current_request_id())


def handle_app_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    """Render an AppError raised by a service or guard (a browser without a session goes to the login page)."""
    if wants_page(request):
        if isinstance(exc, Unauthenticated):
            return login_redirect(request, isinstance(exc, SessionExpired))
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
