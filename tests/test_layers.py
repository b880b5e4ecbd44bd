"""Packages import only downward (docs/architecture.md, "Layers"): read from the source with ast.

Each top-level module or package of service/ has a layer; an import of a package in the same layer or above fails,
whether at module level, inside a function or under TYPE_CHECKING. A domain's `models.py` is the one exception: the
tables are one schema whose foreign keys cross packages, so any package may import any models module, and a
models module imports nothing of the service.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SERVICE = Path(__file__).parent.parent / "service"

# Bottom first. A package may import the packages of the layers before its own, never its own layer's or later.
LAYERS: list[set[str]] = [
    {"__init__", "settings", "clock", "text", "i18n", "observability", "outage"},
    {"db", "labels", "jobs", "embedded_pg", "errors"},
    {"migrate", "pagination", "contract", "all_models"},
    {"audit", "backup"},
    {"auth"},
    {"web"},
    {"admin_units", "calendar", "health", "notifications"},
    {"incidents"},
    {"attachments", "cases"},
    {"referrals"},
    {"retention", "sanctions", "map_views", "exchange", "takedowns"},
    {"exports", "dashboard", "imports", "share"},
    {"incident_pages", "reports", "admin", "national_record"},
    {"demo"},
    {"app", "worker"},
    {"asgi", "__main__"},
]
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}


def unit_of(path: Path) -> str:
    """The top-level module or package of service/ that a file belongs to."""
    parts = path.relative_to(SERVICE).with_suffix("").parts
    return parts[0]


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every service module a file imports; `from service import x` names service.x."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "service":  # a module of service/, or a name of service/__init__.py
                yield from ((node.lineno, f"service.{_module_or_init(alias.name)}") for alias in node.names)
            else:
                yield node.lineno, node.module


def _module_or_init(name: str) -> str:
    return name if (SERVICE / f"{name}.py").exists() or (SERVICE / name).is_dir() else "__init__"


def service_imports() -> Iterator[tuple[str, str, str]]:
    """(file:line, importing unit, imported dotted name) for every import of a service module."""
    for path in sorted(SERVICE.rglob("*.py")):
        for line, name in imported(ast.parse(path.read_text(), str(path))):
            if name.split(".")[0] == "service" and len(name.split(".")) > 1:
                yield f"{path.relative_to(SERVICE)}:{line}", unit_of(path), name


def is_models(name: str) -> bool:
    return name.endswith(".models") and name != "service.all_models"


def test_every_package_has_a_layer():
    units = {unit_of(path) for path in SERVICE.rglob("*.py")}
    assert units - RANK.keys() == set(), "add the new package to LAYERS (and to docs/architecture.md)"
    assert RANK.keys() - units == set(), "a package in LAYERS no longer exists"


def test_no_import_from_the_same_layer_or_above():
    upward = [
        f"{where}: {unit} (layer {RANK[unit]}) imports {name} (layer {RANK[name.split('.')[1]]})"
        for where, unit, name in service_imports()
        if name.split(".")[1] != unit and not is_models(name) and RANK[name.split(".")[1]] >= RANK[unit]
    ]
    assert upward == []


def test_models_import_nothing_of_the_service():
    found = [
        f"{path.relative_to(SERVICE)}:{line} imports {name}"
        for path in sorted(SERVICE.rglob("models.py"))
        for line, name in imported(ast.parse(path.read_text()))
        if name.startswith("service.") and name != "service.db"
    ]
    assert found == []


def test_the_walk_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from service.app import create_app\n")
    assert list(imported(tree)) == [(2, "service.app")]
