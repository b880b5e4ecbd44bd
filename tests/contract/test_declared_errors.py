"""The document lists every status the code can answer: a static walk of each handler's code proves it.

For each operation, the handler, its dependencies and guards are read (their source, through `ast`) and
followed into every function of `service` they call by name; each `raise SomeAppError(...)` and
`.with_code(..., status=N)` found gives a status. The operation's documented responses must hold them all, so
a new `raise Conflict()` deep in a service fails here until its route declares 409.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from typing import Any

from litestar import Litestar

from service.contract.openapi import contract_document, operations
from service.errors import AppError


def _resolve(node: ast.expr, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, names)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def _raised_status(node: ast.Raise, names: dict[str, Any]) -> int | None:
    call = node.exc
    if not isinstance(call, ast.Call):
        return None
    if isinstance(call.func, ast.Attribute) and call.func.attr == "with_code":
        for keyword in call.keywords:
            if keyword.arg == "status" and isinstance(keyword.value, ast.Constant):
                return int(keyword.value.value)
        call = call.func.value if isinstance(call.func.value, ast.Call) else call
    error = _resolve(call.func, names)
    return error.status if isinstance(error, type) and issubclass(error, AppError) else None


def reachable_statuses(function: Any, seen: set[Any] | None = None) -> set[int]:
    """Statuses of the AppErrors `function` and the service functions it calls by name may raise."""
    seen = set() if seen is None else seen
    function = inspect.unwrap(function)
    if function in seen or not (getattr(function, "__module__", "") or "").startswith("service"):
        return set()
    seen.add(function)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError):
        return set()
    names = getattr(function, "__globals__", {})
    statuses: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and (status := _raised_status(node, names)) is not None:
            statuses.add(status)
        elif isinstance(node, ast.Call):
            target = _resolve(node.func, names)
            if isinstance(target, types.FunctionType | types.MethodType):
                statuses |= reachable_statuses(target, seen)
    return statuses


def test_the_walk_finds_what_services_raise(app: Litestar):
    handlers = {(method, route.path_format): handler for route, handler, method in operations(app)}
    correct = handlers[("PATCH", "/api/incidents/{incident_id}")]
    assert {404, 409, 422} <= reachable_statuses(correct.fn)


def test_every_status_the_code_can_raise_is_documented(app: Litestar):
    document = contract_document(app)
    missing = []
    for route, handler, method in operations(app):
        path = route.path_format
        statuses = reachable_statuses(handler.fn)
        for provider in handler.resolve_dependencies().values():
            statuses |= reachable_statuses(provider.dependency)
        for guard in handler.resolve_guards():
            statuses |= reachable_statuses(guard)
        documented = {int(status) for status in document["paths"][path][method.lower()]["responses"]}
        missing += [(method, path, status) for status in sorted(statuses - documented)]
    assert missing == []
