"""Walks every route: only the allow-list answers without a login; admin routes refuse other roles."""

from __future__ import annotations

import re
import uuid

import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import require_admin
from service.contract.public import PUBLIC_PATHS
from tests.builders import csrf_headers, logged_in

SAFE = {"GET", "HEAD", "OPTIONS"}
_PARAM = re.compile(r"\{(\w+):(\w+)\}")
_SAMPLES = {
    "uuid": lambda: str(uuid.uuid4()),
    "int": lambda: "1",
    "str": lambda: "03388",
    "path": lambda: "x",
}


def _concrete(path: str) -> str:
    return _PARAM.sub(lambda m: _SAMPLES.get(m.group(2), lambda: "x")(), path)


def _is_public(path: str) -> bool:
    return any(re.match(pattern, path) for pattern in PUBLIC_PATHS)


def _handler(route: HTTPRoute, method: str) -> HTTPRouteHandler:
    entry = route.route_handler_map[method]
    return entry[0] if isinstance(entry, tuple) else entry


def _endpoints(app: Litestar) -> list[tuple[str, str, HTTPRoute]]:
    endpoints = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            endpoints.append((method, route.path, route))
    return endpoints


def test_the_app_has_routes_to_walk(app: Litestar):
    paths = {path for _, path, _ in _endpoints(app)}
    assert {"/health", "/api/me", "/api/geotag", "/api/admin/users"} <= paths
    # The pages of issue 25: referrals both ways and the administration pages.
    pages = {"/incidents/{incident_id:uuid}/refer", "/referrals/{referral_id:uuid}/answer", "/admin"}
    pages |= {f"/admin/{name}" for name in ("users", "agencies", "holidays", "rules", "notifications", "tokens")}
    assert pages <= paths


async def test_every_route_outside_the_allow_list_requires_login(app: Litestar, client: AsyncTestClient[Litestar]):
    headers = await csrf_headers(client)  # so unsafe requests reach authentication instead of failing CSRF
    open_routes, refused = [], []
    for method, path, _ in _endpoints(app):
        response = await client.request(method, _concrete(path), headers=headers, json={})
        if response.status_code == 401:
            refused.append(path)
        else:
            open_routes.append((method, path, response.status_code))
    unexpected = [(m, p, s) for m, p, s in open_routes if not _is_public(p)]
    assert unexpected == [], f"routes answering without login: {unexpected}"
    assert refused, "no route refused an anonymous caller"
    assert all(_is_public(p) for _, p, _ in open_routes)


def test_every_route_outside_the_allow_list_has_a_guard(app: Litestar):
    unguarded = [
        (method, path)
        for method, path, route in _endpoints(app)
        if not _is_public(path) and not _handler(route, method).resolve_guards()
    ]
    assert unguarded == []


@pytest.mark.parametrize("role", ["inspector", "agency_staff", "agency_head", "coordinator"])
async def test_admin_routes_refuse_every_other_role(
    app: Litestar, client: AsyncTestClient[Litestar], db: AsyncSession, role: str
):
    _, headers = await logged_in(client, db, role=role, agency="SKHCN" if role == "coordinator" else "QLTT")
    admin_endpoints = [
        (method, path)
        for method, path, route in _endpoints(app)
        if require_admin in [getattr(g, "func", g) for g in _handler(route, method).resolve_guards()]
    ]
    assert len(admin_endpoints) >= 4
    assert {
        ("POST", "/admin/holidays"),
        ("GET", "/admin/users"),
        ("POST", "/admin/rules/{rule_id:int}/version"),
    } <= set(admin_endpoints)
    statuses = {
        (m, p): (await client.request(m, _concrete(p), headers=headers, json={})).status_code
        for m, p in admin_endpoints
    }
    assert set(statuses.values()) == {403}, statuses
