"""Logs are JSON lines with a request id, and never carry passwords, tokens or cookies."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.observability import JsonFormatter
from tests.builders import PASSWORD, csrf_headers, login, make_user


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything logged during the test, formatted as the service formats it in production."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(previous)


async def test_logs_hold_no_password_token_or_cookie(
    client: AsyncTestClient[Litestar], db: AsyncSession, log_lines: io.StringIO
):
    user = await make_user(db)
    await login(client, user.username, "wrong-password-attempt")
    await login(client, user.username)
    headers = await csrf_headers(client)
    token = (await client.post("/api/me/tokens", json={"name": "x"}, headers=headers)).json()["token"]
    await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    text = log_lines.getvalue()
    secrets = [PASSWORD, "wrong-password-attempt", token, *client.cookies.values()]
    assert text, "nothing was logged"
    assert [s for s in secrets if s in text] == []


async def test_each_request_logs_one_json_line_with_its_request_id(
    client: AsyncTestClient[Litestar], log_lines: io.StringIO
):
    response = await client.get("/health", headers={"X-Request-ID": "field-check-0001"})
    access = [json.loads(line) for line in log_lines.getvalue().splitlines() if '"ipcoord.access"' in line]
    assert response.headers["x-request-id"] == "field-check-0001"
    assert [(e["request_id"], e["path"], e["status"]) for e in access] == [("field-check-0001", "/health", 200)]
