"""Integrators find a typed, bilingual OpenAPI document without logging in."""

from litestar import Litestar
from litestar.testing import AsyncTestClient


async def test_openapi_lists_every_api_route_with_both_languages(app: Litestar, client: AsyncTestClient[Litestar]):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    api_paths = {route.path.split("{")[0].rstrip("/") for route in app.routes if route.path.startswith("/api/")}
    documented = {path.split("{")[0].rstrip("/") for path in document["paths"]}
    assert api_paths <= documented
    geotag = document["paths"]["/api/geotag"]["get"]
    assert "Gắn địa bàn" in geotag["summary"] + geotag.get("description", "")
    assert "2025 unit" in geotag["summary"] + geotag.get("description", "")
    login_body = document["paths"]["/api/auth/login"]["post"]["requestBody"]
    assert login_body["required"] is True
