"""Helpers for tests of the second factor: an app requiring it of admins, TOTP enrolment, fresh codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from service.auth import totp
from tests.builders import csrf_headers


def code(secret: str, steps_ahead: int = 0) -> str:
    """The app's code now, or `steps_ahead` 30-second steps later (still accepted: one step of drift)."""
    return totp.code_at(secret, datetime.now(UTC) + timedelta(seconds=30 * steps_ahead))


async def enrol_totp(client: AsyncTestClient[Any]) -> tuple[str, list[str]]:
    """Enrol TOTP for the signed-in user: the secret and the recovery codes shown once."""
    headers = await csrf_headers(client)
    started = await client.post("/api/me/second-factor/totp", headers=headers)
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    confirmed = await client.post("/api/me/second-factor/totp/confirm", json={"code": code(secret)}, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


async def second_factor(client: AsyncTestClient[Any], value: str) -> Any:
    """Send a TOTP or recovery code for the client's pending session."""
    return await client.post("/api/auth/second-factor", json={"code": value}, headers=await csrf_headers(client))
