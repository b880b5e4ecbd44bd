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


async def _document(client: AsyncTestClient[Litestar]) -> dict:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [(method, path, op) for path, item in document["paths"].items() for method, op in item.items()]


async def test_every_error_response_is_the_one_error_contract(client: AsyncTestClient[Litestar]):
    document = await _document(client)
    error = document["components"]["schemas"]["ErrorBody"]
    assert {"code", "message_vi", "message_en"} <= set(error["required"])
    assert {"field", "errors", "request_id"} <= set(error["properties"])
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
                assert "/" in response["description"]  # Vietnamese / English


PUBLIC_OPERATIONS = ("/health", "/health/live", "/health/ready", "/api/auth/login", "/.well-known/ipcoord-exchange")


async def test_statuses_follow_from_each_route(client: AsyncTestClient[Litestar]):
    document = await _document(client)
    for method, path, operation in _operations(document):
        statuses = set(operation["responses"])
        assert {"400", "500", "503"} <= statuses, (method, path)
        if path == "/api/share/v1/token":  # public: the partner's secret is checked in the handler (401, no 403)
            assert "401" in statuses, (method, path)
        elif path not in PUBLIC_OPERATIONS:
            assert {"401", "403"} <= statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if "requestBody" in operation:
            assert "413" in statuses, (method, path)
    login = document["paths"]["/api/auth/login"]["post"]["responses"]
    assert {"401", "429"} <= set(login) and "Retry-After" in login["429"]["headers"]
    assert "409" in document["paths"]["/api/incidents/{incident_id}"]["patch"]["responses"]
    assert {"413", "415"} <= set(document["paths"]["/api/incidents/{incident_id}/attachments"]["post"]["responses"])


async def test_exports_reports_and_maps_list_every_media_type_they_answer(client: AsyncTestClient[Litestar]):
    document = await _document(client)

    def media(path: str) -> set[str]:
        return set(document["paths"][path]["get"]["responses"]["200"]["content"])

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert media("/api/incidents/export") == {"text/csv", xlsx}
    assert media("/api/reports/yearly") == {"application/json", xlsx, "application/zip", "application/pdf"}
    assert media("/api/maps/hotspots") == {"application/json", "application/geo+json", "text/csv; charset=utf-8"}
    # Saved web pages are captures of a URL (service/takedowns/evidence.py), downloaded as attachments.
    assert {"image/jpeg", "image/png", "image/webp", "application/pdf", "text/html", "multipart/related"} == media(
        "/api/incidents/{incident_id}/attachments/{attachment_id}"
    )


async def test_creating_operations_link_to_the_operations_taking_their_ids(client: AsyncTestClient[Litestar]):
    document = await _document(client)
    operation_ids = {op["operationId"] for _, _, op in _operations(document)}
    created = document["paths"]["/api/incidents"]["post"]["responses"]["201"]["links"]
    targets = {link["operationId"] for link in created.values()}
    detail = document["paths"]["/api/incidents/{incident_id}"]
    assert {detail["get"]["operationId"], detail["patch"]["operationId"]} <= targets
    assert all(link["parameters"]["incident_id"] == "$response.body#/id" for link in created.values())
    sanction = document["paths"]["/api/incidents/{incident_id}/sanctions"]["post"]["responses"]["201"]["links"]
    (payment,) = sanction.values()
    assert payment["parameters"] == {"sanction_id": "$response.body#/id", "incident_id": "$request.path.incident_id"}
    for path in ("/api/referrals", "/api/cases", "/api/imports", "/api/webhooks"):
        assert document["paths"][path]["post"]["responses"]["201"]["links"], path
    linked = {
        link["operationId"]
        for _, _, op in _operations(document)
        for r in op["responses"].values()
        for link in r.get("links", {}).values()
    }
    assert linked <= operation_ids
