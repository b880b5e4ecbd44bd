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

from service.app import create_app
from service.auth.guards import require_admin
from service.contract.public import PUBLIC_PATHS
from service.settings import Settings
from tests.api.test_takedowns import _online_incident, _platform, _request
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
    # Issue 20: the takedown pages, the capture form of each URL among them.
    pages |= {"/takedowns", "/takedowns/{takedown_id:uuid}", "/takedowns/{takedown_id:uuid}/captures"}
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


async def test_another_agencys_inspector_reaches_no_takedown_page_of_a_request(
    app: Litestar, client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
):
    """Every page route of one takedown request (its page, send, answer, the capture form) refuses an inspector of
    another agency: 404 (the request is not shown to them) or 403, and nothing is changed."""
    platform = await _platform(settings, db)
    async with AsyncTestClient(app=create_app(settings)) as owner:
        _, owner_headers = await logged_in(owner, db, role="inspector", agency="QLTT")
        incident = await _online_incident(owner, owner_headers)
        url = f"/api/incidents/{incident['id']}/takedowns"
        takedown = (await owner.post(url, json=_request(platform["id"], send=False), headers=owner_headers)).json()
    pages = [
        (method, path)
        for method, path, _ in _endpoints(app)
        if path.startswith("/takedowns/{takedown_id:uuid}") and "/api/" not in path
    ]
    assert {("GET", "/takedowns/{takedown_id:uuid}"), ("POST", "/takedowns/{takedown_id:uuid}/captures")} <= set(pages)
    _, headers = await logged_in(client, db, role="inspector", agency="CA")
    statuses = {
        (m, p): (
            await client.request(m, p.replace("{takedown_id:uuid}", takedown["id"]), headers=headers, data={})
        ).status_code
        for m, p in pages
    }
    assert set(statuses.values()) <= {403, 404}, statuses
    async with AsyncTestClient(app=create_app(settings)) as owner:
        _, owner_headers = await logged_in(owner, db, role="inspector", agency="QLTT")
        after = (await owner.get(f"/api/takedowns/{takedown['id']}")).json()
        assert after["status"] == "drafted"
        assert (await owner.get(f"/api/incidents/{incident['id']}/captures")).json() == []
