"""OpenAPI links, derived from the paths: what a creating operation returns feeds the operations under it.

A POST answering 201 with an `id` at `/a/{x}/b` creates a thing whose id is the first path parameter after
`/a/{x}/b/`; every operation under `/a/{x}/b/{y}...` gets a link from it, `y` taken from the response body's
`id` and `x` from the creating request's own path. Generated clients and stateful testers (schemathesis)
follow them: record an incident, then read, correct, withdraw it, add its sanctions and attachments.
"""

from __future__ import annotations

import re
from typing import Any

_PARAMETER = re.compile(r"\{(\w+)\}")


def _created_id(document: dict[str, Any], operation: dict[str, Any]) -> bool:
    """Whether the operation's 201 response body is an object with an `id` property."""
    schema = operation.get("responses", {}).get("201", {}).get("content", {}).get("application/json", {})
    schema = schema.get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = document.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {})
    return "id" in schema.get("properties", {})


def _link_name(method: str, path: str) -> str:
    words = [part for part in _PARAMETER.sub("", path).split("/") if part and part != "api"]
    return method.capitalize() + "".join(word.replace("-", " ").title().replace(" ", "") for word in words)


def _links_from(document: dict[str, Any], base: str) -> dict[str, Any]:
    links: dict[str, Any] = {}
    own = set(_PARAMETER.findall(base))
    for path, item in document["paths"].items():
        match = re.fullmatch(re.escape(base) + r"/\{(\w+)\}(/.*)?", path)
        if not match:
            continue
        created = match.group(1)
        for method, target in item.items():
            if not isinstance(target, dict) or "operationId" not in target:
                continue
            parameters = {created: "$response.body#/id"}
            parameters.update({name: f"$request.path.{name}" for name in _PARAMETER.findall(path) if name in own})
            links[_link_name(method, path)] = {"operationId": target["operationId"], "parameters": parameters}
    return links


def add_links(document: dict[str, Any]) -> None:
    """Add links to the 201 response of every creating POST in the document (in place)."""
    for path, item in document["paths"].items():
        operation = item.get("post")
        if operation is None or not _created_id(document, operation):
            continue
        links = _links_from(document, path)
        if links:
            operation["responses"]["201"]["links"] = links
