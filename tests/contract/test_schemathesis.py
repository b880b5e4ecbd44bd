"""The published OpenAPI document is the truth: schemathesis, run as an integrator would, over every operation.

The real app under uvicorn on a free port, over this run's real PostgreSQL database. schemathesis reads
/schema/openapi.json and sends what the document allows and what it does not (its coverage phase: missing and
wrong-typed values, boundary numbers, NUL and other odd strings), random cases (fuzzing) and sequences that
follow the document's links (stateful: record an incident, then read, correct and withdraw it, ...). Checks:
no server error, every status and content type documented, every body matching its documented schema.

Seeded and bounded so that CI stays fast; the run time is printed. The only operations left out are logout and
token revocation, which would end the run's own login.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from service.settings import Settings
from tests.builders import PASSWORD, make_user
from tests.live import live_app

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
PHASES = "examples,coverage,fuzzing,stateful"
MAX_EXAMPLES = 12
SEED = 3320  # Plan 3320/KH-UBND
ROOT = Path(__file__).parents[2]
HOOKS = "tests.contract.schemathesis_hooks"  # serializers for the app's other media types


@pytest.fixture(scope="module")
def contract_server(settings: Settings) -> Iterator[str]:
    with live_app(settings) as url:
        yield url


def bearer_token(base_url: str, username: str) -> str:
    """Log in over HTTP as the user and make an API token, as an integrator's setup would."""
    with httpx.Client(base_url=base_url) as client:
        assert client.post("/api/auth/login", json={"username": username, "password": PASSWORD}).status_code == 200
        client.get("/api/me")  # sets the CSRF cookie
        headers = {"x-csrftoken": client.cookies["ipcoord_csrf"]}
        response = client.post("/api/me/tokens", json={"name": "contract test"}, headers=headers)
        assert response.status_code == 201, response.text
        return str(response.json()["token"])


def run_schemathesis(base_url: str, token: str, report: Path) -> tuple[int, str, float]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{base_url}/schema/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--phases",
        PHASES,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--exclude-path",
        "/api/auth/logout",
        "--exclude-path-regex",
        r"^/api/me/tokens/\{token_id\}$",
        "--request-timeout",
        "60",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    started = time.monotonic()
    env = {**os.environ, "SCHEMATHESIS_HOOKS": HOOKS, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=900, check=False, cwd=report.parent, env=env
    )
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


@pytest.mark.parametrize("role", ["coordinator", "admin"])
async def test_every_operation_answers_within_its_documented_contract(
    role: str, contract_server: str, db: AsyncSession, tmp_path: Path, record_property: Any
):
    user = await make_user(db, role=role, agency="SKHCN")
    token = bearer_token(contract_server, user.username)
    code, output, seconds = run_schemathesis(contract_server, token, tmp_path / "junit.xml")
    record_property(f"printed: schemathesis contract run as {role}", f"{seconds:.1f} s")
    summary = output[output.rfind("SUMMARY") :]
    assert "Tested: " in summary, output[-4000:]
    assert code == 0, output[-12000:]
    assert "Stateful" in summary and "❌" not in summary, summary
