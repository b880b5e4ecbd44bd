"""Every SQL statement of a domain lives in its repository (docs/architecture.md, "File roles"): read with ast.

A statement is built with sqlalchemy's `select`, `insert`, `update`, `delete`, `text`, `exists`, `union`… (or
postgresql's `insert`, or a table's `.insert()`…), or run with `execute`, `scalar`, `scalars`, `stream`,
`stream_scalars` or `get` on a session or connection. Those may appear only in a `repository.py`, in the modules of a
`repository/` package, or in the few infrastructure modules listed in INFRASTRUCTURE. The unit of work (`add`,
`flush`, `delete` of an object, `refresh`) is the services' business and is not a statement.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SERVICE = Path(__file__).parent.parent / "service"

# The modules below the domains that talk to the database itself (docs/architecture.md, "File roles").
INFRASTRUCTURE = {
    "db.py",  # the engine, the session's transaction, the connection check
    "backup/pgtools.py",  # psycopg on the whole database: the server's version, for pg_dump of the same major
    "backup/service.py",  # psycopg on the whole database: the restore's revision check and schema drops
    "health/heartbeats.py",  # the worker runtime's heartbeat rows and the database probe, read by /health
}

CONSTRUCTORS = {"select", "insert", "update", "delete", "text", "exists", "union", "union_all", "values", "lateral"}
RUNNERS = {"execute", "scalar", "scalars", "stream", "stream_scalars", "get", "exec_driver_sql"}
RECEIVERS = {"session", "db_session", "db", "connection", "conn"}


def allowed(relative: Path) -> bool:
    return (
        relative.name in {"repository.py", "models.py"}
        or "repository" in relative.parts[:-1]
        or relative.as_posix() in INFRASTRUCTURE
    )


def _sqlalchemy_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """The statement constructors imported by name, and the names sqlalchemy modules are imported as."""
    names: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sqlalchemy":
            for alias in node.names:
                if alias.name in CONSTRUCTORS:
                    names.add(alias.asname or alias.name)
                elif alias.name == "postgresql":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    modules.add(alias.asname or alias.name.split(".")[0])
    return names, modules


def _receiver(node: ast.expr) -> str | None:
    """`session` of session.execute, self.session.execute and (await session.connection()).execute."""
    if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
        func = node.value.func
        if isinstance(func, ast.Attribute) and func.attr == "connection":
            return "connection"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def statements(source: str) -> Iterator[tuple[int, str]]:
    """(line, what) of every statement built or run in a module's source."""
    tree = ast.parse(source)
    names, modules = _sqlalchemy_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:
            yield node.lineno, f"{func.id}()"
        elif isinstance(func, ast.Attribute) and func.attr in CONSTRUCTORS:
            base = func.value
            if isinstance(base, ast.Name) and base.id in modules:
                yield node.lineno, f"{base.id}.{func.attr}()"
            elif isinstance(base, ast.Attribute) and base.attr in {"__table__", "table"}:
                yield node.lineno, f"{base.attr}.{func.attr}()"
        elif isinstance(func, ast.Attribute) and func.attr in RUNNERS and _receiver(func.value) in RECEIVERS:
            yield node.lineno, f"{_receiver(func.value)}.{func.attr}()"


def misplaced() -> list[str]:
    found = []
    for path in sorted(SERVICE.rglob("*.py")):
        relative = path.relative_to(SERVICE)
        if not allowed(relative):
            found += [f"service/{relative}:{line} {what}" for line, what in statements(path.read_text())]
    return found


def test_no_sql_statement_outside_the_repositories():
    assert misplaced() == [], "move these statements into the domain's repository (docs/architecture.md)"


def test_the_infrastructure_modules_exist():
    assert [name for name in INFRASTRUCTURE if not (SERVICE / name).exists()] == []


SNIPPET = """
import sqlalchemy as sa
from sqlalchemy import select, text as raw
from sqlalchemy.dialects import postgresql

async def f(session, values):
    session.add(object())
    values.get("x")
    await session.execute(select(1))
    await session.get(object, 1)
    await (await session.connection()).scalar(raw("SELECT 1"))
    sa.update(object)
    postgresql.insert(object)
    Model.__table__.delete()
"""


def test_the_walker_finds_each_kind_of_statement():
    assert sorted(statements(SNIPPET)) == [
        (9, "select()"),
        (9, "session.execute()"),
        (10, "session.get()"),
        (11, "connection.scalar()"),
        (11, "raw()"),
        (12, "sa.update()"),
        (13, "postgresql.insert()"),
        (14, "__table__.delete()"),
    ]


def test_a_repository_module_may_hold_statements_a_service_may_not():
    assert allowed(Path("incidents/repository.py"))
    assert allowed(Path("incidents/repository/lists.py"))
    assert allowed(Path("health/heartbeats.py"))
    assert not allowed(Path("incidents/service.py"))
    assert not allowed(Path("incidents/queries.py"))
