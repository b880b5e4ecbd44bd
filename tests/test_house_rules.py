"""Rules of the house that a reader relies on, checked over the source (docs/architecture.md)."""

from __future__ import annotations

import re
from pathlib import Path

SERVICE = Path(__file__).parent.parent / "service"
# The request is the transaction (service/db.py); only the job runtime and the command line, which have no
# request, end transactions themselves.
MAY_END_TRANSACTIONS = {
    "db.py",
    "__main__.py",
    "referrals/jobs.py",
    "takedowns/jobs.py",
    "notifications/delivery.py",
    "retention/service.py",
    "audit/jobs.py",
    "audit/buffer.py",  # the app's batched appends of personal-data reads
    "worker.py",  # the worker's heartbeat
}
_ENDS = re.compile(r"\.(commit|rollback)\(\)")


def test_no_request_code_commits_or_rolls_back():
    found = [
        f"{path.relative_to(SERVICE)}:{number}"
        for path in sorted(SERVICE.rglob("*.py"))
        if str(path.relative_to(SERVICE)) not in MAY_END_TRANSACTIONS
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if _ENDS.search(line)
    ]
    assert found == []


def test_the_allowed_files_still_exist():
    assert all((SERVICE / name).exists() for name in MAY_END_TRANSACTIONS)
