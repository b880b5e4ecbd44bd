"""The OpenAPI document as the code behaves: Litestar's document, then every error response of the one contract.

Litestar documents each operation's success from its signature. This module adds, per operation, every other
status it can answer, each with the `ErrorBody` schema (service/errors.py renders every error in it):

- every operation: 400 (the input boundary, validation, a host not allowed), 500 (a bug, still in the
  contract's shape) and 503 (the database away; `Retry-After`);
- outside the login allow-list (`PUBLIC_PATHS`): 401 and 403 (role, agency scope, CSRF on cookie sessions);
- a path parameter: 404; a request body: 413 (`MAX_BODY`, or the route's own upload limit);
- what the handler declares with `service.contract.declare.documented` (409, 415, 422, 429, ...) and the media
  types it produces besides JSON (CSV, XLSX, PDF, ZIP, GeoJSON, images).

Then links (service/contract/links.py) tie the operations that create things to those that take their ids.
The document is built once per app, on first request of /schema/openapi.json.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.routes import HTTPRoute

from schemas.errors import ErrorBody
from service.contract import links
from service.contract.declare import CONSUMES_KEY, ERRORS_KEY, PRODUCES_KEY
from service.contract.public import PUBLIC_PATHS

ERROR_REF = "#/components/schemas/ErrorBody"
JSON = "application/json"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_TEXT_TYPES = ("text/", "application/geo+json")

DESCRIPTIONS: dict[int, str] = {
    400: "Dữ liệu không hợp lệ (trường sai, ký tự điều khiển, JSON lỗi) / Invalid input: the field is named",
    401: "Chưa đăng nhập hoặc phiên đã hết hạn / Not logged in, or the session or token expired",
    403: "Không có quyền (vai trò, cơ quan, CSRF) / Not allowed: role, agency scope or CSRF token",
    404: "Không tìm thấy hoặc không được xem / Not found, or not visible to the caller",
    409: "Xung đột với trạng thái hiện tại (phiên bản, trùng lặp) / Conflicts with the current state",
    413: "Dữ liệu gửi lên quá lớn / The request body is too large",
    415: "Loại tệp không được hỗ trợ (kiểm tra theo nội dung) / File type not supported (checked by content)",
    422: "Đúng cú pháp nhưng trái quy tắc nghiệp vụ / Well-formed but breaks a business rule",
    429: "Quá nhiều yêu cầu; thử lại sau Retry-After giây / Too many requests; retry after Retry-After seconds",
    500: "Lỗi hệ thống (đã ghi lại) / Internal error (logged)",
    503: "Cơ sở dữ liệu tạm thời không sẵn sàng; thử lại / The database is unavailable for now; retry",
}
_NOT_MODIFIED = "Không thay đổi từ lần tải trước (ETag) / Not modified since the copy the client holds (ETag)"
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Số giây nên chờ trước khi thử lại / Seconds to wait before retrying",
        "schema": {"type": "integer"},
    }
}
_PUBLIC = [re.compile(pattern) for pattern in PUBLIC_PATHS]


def is_public(path: str) -> bool:
    return any(pattern.match(path) for pattern in _PUBLIC)


def error_statuses(route: HTTPRoute, handler: HTTPRouteHandler, method: str) -> set[int]:
    """Every error status this operation can answer, from its route and what its handler declares."""
    statuses = {400, 500, 503}
    if not is_public(route.path):
        statuses |= {401, 403}
    if route.path_parameters:
        statuses.add(404)
    if method in BODY_METHODS and "data" in handler.parsed_fn_signature.parameters:
        statuses.add(413)
    statuses.update(handler.opt.get(ERRORS_KEY, ()))
    return statuses


def _error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS.get(status, "Lỗi / Error"),
        "content": {JSON: {"schema": {"$ref": ERROR_REF}}},
    }
    if status in (429, 503):
        response["headers"] = _RETRY_AFTER
    return response


def _media_schema(media_type: str, json_schema: dict[str, Any] | None) -> dict[str, Any]:
    if media_type == JSON and json_schema is not None:
        return json_schema
    if media_type.startswith(_TEXT_TYPES):
        return {"schema": {"type": "object"}} if media_type.endswith("json") else {"schema": {"type": "string"}}
    return {"schema": {"type": "string", "format": "binary"}}


def _document_produces(operation: dict[str, Any], produces: tuple[str, ...]) -> None:
    """The success response lists every media type the handler produces."""
    for status, response in operation["responses"].items():
        if not status.startswith("2"):
            continue
        json_schema = response.get("content", {}).get(JSON)
        response["content"] = {media: _media_schema(media, json_schema) for media in produces}


def _document_operation(operation: dict[str, Any], route: HTTPRoute, handler: HTTPRouteHandler, method: str) -> None:
    responses = operation.setdefault("responses", {})
    for status in [s for s in responses if not s.startswith(("1", "2", "3"))]:
        del responses[status]  # Litestar's default error body is not what the service sends
    for status in sorted(error_statuses(route, handler, method)):
        responses[str(status)] = _error_response(status) if status >= 400 else {"description": _NOT_MODIFIED}
    produces = handler.opt.get(PRODUCES_KEY, ())
    if produces:
        _document_produces(operation, produces)
    consumes = handler.opt.get(CONSUMES_KEY)
    if consumes:  # a body read raw (the exchange inbox's JWS)
        operation["requestBody"] = {"required": True, "content": {consumes: {"schema": {"type": "string"}}}}


def operations(app: Litestar) -> list[tuple[HTTPRoute, HTTPRouteHandler, str]]:
    found: list[tuple[HTTPRoute, HTTPRouteHandler, str]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, entry in route.route_handler_map.items():
            handler = entry[0] if isinstance(entry, tuple) else entry
            if method not in ("HEAD", "OPTIONS") and handler.resolve_include_in_schema():
                found.append((route, handler, method))
    return found


def contract_document(app: Litestar) -> dict[str, Any]:
    """The OpenAPI document of `app`, every operation's errors and media types in it, links added."""
    document = app.openapi_schema.to_schema()
    _, components = msgspec.json.schema_components([ErrorBody], ref_template="#/components/schemas/{name}")
    document.setdefault("components", {}).setdefault("schemas", {}).update(components)
    for route, handler, method in operations(app):
        operation = document["paths"].get(route.path_format, {}).get(method.lower())
        if operation is not None:
            _document_operation(operation, route, handler, method)
    links.add_links(document)
    return document


def _cached(request: Request[Any, Any, Any]) -> dict[str, Any]:
    state = request.app.state
    if getattr(state, "contract_document", None) is None:
        state.contract_document = contract_document(request.app)
    document: dict[str, Any] = state.contract_document
    return document


class ContractJsonPlugin(JsonRenderPlugin):
    """/schema/openapi.json: the contract document instead of Litestar's own."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, _cached(request))


class ContractYamlPlugin(YamlRenderPlugin):
    """/schema/openapi.yaml, the same document."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, _cached(request))
