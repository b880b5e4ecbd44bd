"""Test data builders: async functions that store real rows, and HTTP helpers for logging in."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from typing import Any

from httpx import Response
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import CSRF_COOKIE, CSRF_HEADER
from service.auth import service
from service.auth.models import User
from service.incidents.models import Incident

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


async def make_user(
    db: AsyncSession, *, role: str = "inspector", agency: str = "QLTT", username: str | None = None
) -> User:
    """A stored, active user with the password PASSWORD."""
    user = await service.create_user(
        db,
        username=username or f"user{next(_counter)}",
        password=PASSWORD,
        agency_code=agency,
        role=role,
        full_name="Nguyễn Văn Thử",
    )
    await db.commit()
    return user


async def login(client: AsyncTestClient[Any], username: str, password: str = PASSWORD) -> Response:
    """Log in through the API; the client keeps the session cookie."""
    return await client.post("/api/auth/login", json={"username": username, "password": password})


async def csrf_headers(client: AsyncTestClient[Any]) -> dict[str, str]:
    """The CSRF header a browser page would send, after a safe request set the cookie."""
    if CSRF_COOKIE not in client.cookies:
        await client.get("/health")
        await client.get("/api/me")
    return {CSRF_HEADER: client.cookies[CSRF_COOKIE]}


async def logged_in(client: AsyncTestClient[Any], db: AsyncSession, **user: Any) -> tuple[User, dict[str, str]]:
    """A new user logged in on this client, with the CSRF header for unsafe requests."""
    account = await make_user(db, **user)
    response = await login(client, account.username)
    assert response.status_code == 200, response.text
    return account, await csrf_headers(client)


def seizure_payload(record_number: str | None = None, **extra: Any) -> dict[str, Any]:
    """The API body of a seizure of three fake LV bags (a fresh record number unless given), with `extra` fields."""
    return {
        "kind": "seizure",
        "occurred_at": "2026-03-02T09:30:00+07:00",
        "record_number": record_number or f"BB-{next(_counter)}/QLTT",
        "subject_matter": ["NHAN_HIEU"],
        "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
        "goods": [
            {
                "description": "Túi xách",
                "infringed_mark": "LV",
                "quantity": 3,
                "unit": "chiếc",
                "unit_price_vnd": 450_000,
            }
        ],
    } | extra


async def make_incident(db: AsyncSession, user: User, **overrides: Any) -> Incident:
    """A stored seizure recorded by `user`'s agency (rows written directly, as the service would)."""
    payload = seizure_payload()
    fields: dict[str, Any] = {
        "kind": "seizure",
        "agency_id": user.agency_id,
        "recorded_by_id": user.id,
        "occurred_at": datetime(2026, 3, 2, 2, 30, tzinfo=UTC),
        "lon": 103.458,
        "lat": 22.396,
        "location_source": "gps",
        "unit_2025": "03388",
        "district_2024": "105",
        "subject_matter": ["NHAN_HIEU"],
        "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
        "goods_value_vnd": 1_350_000,
        "crime_signs": [],
        "search_text": "tui xach lv",
        "payload": payload,
    }
    fields.update(overrides)
    incident = Incident(**fields)
    db.add(incident)
    await db.commit()
    return incident


async def page_token(client: AsyncTestClient[Any], path: str, headers: dict[str, str] | None = None) -> str:
    """The CSRF token of the form on the page at `path`, as a browser would send it back."""
    page = (await client.get(path, headers=headers or {"Accept": "text/html"})).text
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)
