"""The one error contract over HTTP, using user creation (POST /api/admin/users) as a body-carrying route."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import User
from tests.builders import logged_in

Client = AsyncTestClient[Litestar]

USERS = "/api/admin/users"
CONTRACT_KEYS = {"code", "message_vi", "message_en", "field", "errors", "request_id"}
NEW_USER = {
    "username": "thanh.tra01",
    "full_name": "Lò Văn Thanh",
    "password": "a-long-enough-password",
    "agency_code": "QLTT",
    "role": "inspector",
}


class Admin:
    """A client logged in as an administrator, sending the CSRF header on unsafe requests."""

    def __init__(self, client: Client, csrf: dict[str, str]) -> None:
        self.client = client
        self.csrf = csrf

    async def create_user(self, body: dict[str, Any]) -> Response:
        return await self.client.post(USERS, json=body, headers=self.csrf)

    async def post_raw(self, content: bytes) -> Response:
        headers = {**self.csrf, "Content-Type": "application/json"}
        return await self.client.post(USERS, content=content, headers=headers)


@pytest.fixture
async def admin(client: Client, db: AsyncSession) -> Admin:
    """An administrator of the Department of Science and Technology."""
    _, csrf = await logged_in(client, db, role="admin", agency="SKHCN")
    return Admin(client, csrf)


def _error(response: Response, status: int, code: str) -> dict[str, Any]:
    """The body of an error response of the contract with this status and code."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == CONTRACT_KEYS, body
    assert body["code"] == code, body
    return body


def _assert_names_field(body: dict[str, Any], field: str) -> None:
    """The error names `field` as the one at fault, in both languages."""
    assert body["field"] == field, body
    assert [e["field"] for e in body["errors"]] == [field], body
    for error in body["errors"]:
        assert error["message_vi"], error
        assert error["message_en"], error


def _assert_message_names_field(body: dict[str, Any], field: str) -> None:
    """A validation error spells the field name out in both messages, as the client sent it."""
    _assert_names_field(body, field)
    assert f"`{field}`" in body["message_vi"], body
    assert f"`{field}`" in body["message_en"], body
    assert body["message_vi"] != body["message_en"], body


async def test_unknown_field_is_400_naming_it_in_both_languages(admin: Admin) -> None:
    body = _error(await admin.create_user({**NEW_USER, "colour": "red"}), 400, "field.unknown")
    _assert_message_names_field(body, "colour")


async def test_malformed_json_is_400_malformed_json(admin: Admin) -> None:
    body = _error(await admin.post_raw(b'{"username": "thanh.tra01",'), 400, "request.malformed_json")
    assert body["message_vi"] != body["message_en"]


async def test_wrong_type_is_400_naming_the_field(admin: Admin) -> None:
    body = _error(await admin.create_user({**NEW_USER, "role": 5}), 400, "field.type")
    _assert_message_names_field(body, "role")


async def test_over_long_text_is_400_too_long_naming_the_field_and_limit(admin: Admin) -> None:
    body = _error(await admin.create_user({**NEW_USER, "full_name": "x" * 201}), 400, "field.too_long")
    _assert_message_names_field(body, "full_name")
    assert "200" in body["message_vi"]
    assert "200" in body["message_en"]


async def test_text_at_the_length_limit_is_accepted(admin: Admin) -> None:
    response = await admin.create_user({**NEW_USER, "full_name": "x" * 200})
    assert response.status_code == 201, response.text


async def test_missing_required_field_is_400_naming_it(admin: Admin) -> None:
    body_without_agency = {k: v for k, v in NEW_USER.items() if k != "agency_code"}
    body = _error(await admin.create_user(body_without_agency), 400, "field.required")
    _assert_message_names_field(body, "agency_code")


async def test_unknown_agency_is_404_naming_agency_code(admin: Admin) -> None:
    body = _error(await admin.create_user({**NEW_USER, "agency_code": "NO_SUCH"}), 404, "agency.not_found")
    _assert_names_field(body, "agency_code")
    assert "NO_SUCH" in body["message_vi"]
    assert "NO_SUCH" in body["message_en"]


async def test_taken_username_is_409_naming_username(admin: Admin) -> None:
    assert (await admin.create_user(NEW_USER)).status_code == 201
    body = _error(await admin.create_user({**NEW_USER, "full_name": "Người khác"}), 409, "user.exists")
    _assert_names_field(body, "username")


async def test_taken_username_leaves_only_the_first_user(admin: Admin, db: AsyncSession) -> None:
    await admin.create_user(NEW_USER)
    await admin.create_user({**NEW_USER, "full_name": "Người khác"})
    stored = await db.scalars(select(User.full_name).where(User.username == NEW_USER["username"]))
    assert list(stored) == [NEW_USER["full_name"]]


async def test_unknown_url_is_404_in_the_contract(admin: Admin) -> None:
    body = _error(await admin.client.get("/api/no-such-thing"), 404, "request.not_found")
    assert body["message_vi"] != body["message_en"]


# Requests that fail in different layers: body decoding, schema, service, routing, CSRF, geotagging.
FAILING: dict[str, tuple[str, str, dict[str, Any]]] = {
    "unknown-field": ("POST", USERS, {"json": {**NEW_USER, "colour": "red"}}),
    "malformed-json": ("POST", USERS, {"content": b"{", "headers": {"Content-Type": "application/json"}}),
    "wrong-type": ("POST", USERS, {"json": {**NEW_USER, "role": 5}}),
    "too-long": ("POST", USERS, {"json": {**NEW_USER, "full_name": "x" * 201}}),
    "missing-field": ("POST", USERS, {"json": {"username": "thanh.tra01"}}),
    "unknown-agency": ("POST", USERS, {"json": {**NEW_USER, "agency_code": "NO_SUCH"}}),
    "unknown-url": ("GET", "/api/no-such-thing", {}),
    "unknown-unit": ("GET", "/api/admin-units/2025/99999", {}),
    "outside-province": ("GET", "/api/geotag?lon=104.9&lat=22.8", {}),
    "missing-csrf": ("POST", USERS, {"json": NEW_USER, "no_csrf": True}),
}


async def _send(admin: Admin, case: str) -> Response:
    method, url, options = FAILING[case]
    options = dict(options)
    headers = {} if options.pop("no_csrf", False) else dict(admin.csrf)
    headers |= options.pop("headers", {})
    response = await admin.client.request(method, url, headers=headers, **options)
    assert response.status_code >= 400, response.text
    return response


@pytest.mark.parametrize("case", FAILING)
async def test_error_never_shows_a_python_traceback(admin: Admin, case: str) -> None:
    response = await _send(admin, case)
    assert "Traceback" not in response.text
    assert 'File "' not in response.text
    assert set(response.json()) == CONTRACT_KEYS


@pytest.mark.parametrize("case", FAILING)
async def test_error_carries_its_request_id_in_header_and_body(admin: Admin, case: str) -> None:
    response = await _send(admin, case)
    request_id = response.headers.get("X-Request-ID")
    assert request_id
    assert response.json()["request_id"] == request_id


async def test_error_keeps_the_request_id_the_client_sent(admin: Admin) -> None:
    response = await admin.client.get("/api/no-such-thing", headers={"X-Request-ID": "proxy-7f3a9c21"})
    assert response.headers["X-Request-ID"] == "proxy-7f3a9c21"
    assert response.json()["request_id"] == "proxy-7f3a9c21"
