"""Rules of the house that a reader relies on, checked over the source (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICE = Path(__file__).parent.parent / "service"
# The request is the transaction (service/db.py). Work outside a request (jobs, the worker's heartbeat, the audit
# read buffer, the command line) ends its transaction through db.transaction or db.separate_transaction, which
# live in db.py; nothing else commits or rolls back.
MAY_END_TRANSACTIONS = {"db.py"}


def ended_transactions(source: str) -> list[int]:
    """Lines of every `.commit()` or `.rollback()` call in a module's source."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback"}
    ]


def test_nothing_but_the_transaction_helpers_commits_or_rolls_back():
    found = [
        f"service/{path.relative_to(SERVICE)}:{line}"
        for path in sorted(SERVICE.rglob("*.py"))
        if str(path.relative_to(SERVICE)) not in MAY_END_TRANSACTIONS
        for line in ended_transactions(path.read_text())
    ]
    assert found == [], "use service.db.transaction (outside a request) or let the request commit"


def test_the_walker_finds_a_commit_and_a_rollback():
    source = (
        "async def f(session):\n    await session.commit()\n    text = 'x.commit()'\n    await (await s()).rollback()\n"
    )
    assert ended_transactions(source) == [2, 4]


def test_the_allowed_files_still_exist():
    assert all((SERVICE / name).exists() for name in MAY_END_TRANSACTIONS)
