"""With the database away, every request that needs it is a 503 `database.unavailable` to retry, never a 500.

The app here points at a port where nothing listens (connections are refused, as during a restart). The fault
tests (tests/faults/) restart a real server under load.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.exc import DBAPIError

from service import outage
from service.app import create_app
from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.incident_bodies import body


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def away(tmp_root: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A client of an app whose database refuses connections."""
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/ipcoord"
    settings = Settings.from_env({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "IPCOORD_DATA_DIR": str(tmp_root)})
    outage.APP_OUTAGE.since = None
    async with AsyncTestClient(app=create_app(settings, check_schema=False)) as client:
        yield client
    outage.APP_OUTAGE.since = None


BEARER = {"Authorization": "Bearer not-checked-while-the-database-is-away"}


async def test_a_write_while_the_database_is_away_is_a_503_to_retry(away: AsyncTestClient[Litestar]):
    response = await away.post("/api/incidents", json=body("seizure"), headers={**BEARER, "Idempotency-Key": "k-1"})
    assert response.status_code == 503
    error = response.json()
    assert error["code"] == "database.unavailable"
    assert "thử lại" in error["message_vi"] and "try again" in error["message_en"]
    assert int(response.headers["retry-after"]) > 0


async def test_every_request_of_an_outage_is_a_503_and_the_outage_is_logged_once(
    away: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    statuses = [(await away.get("/api/incidents", headers=BEARER)).status_code for _ in range(5)]
    assert statuses == [503] * 5
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("ipcoord")]
    assert [(r.levelname, r.name) for r in problems] == [("WARNING", "ipcoord.database")]
    assert problems[0].exc_info is None and "ConnectionRefusedError" in problems[0].getMessage()


async def test_a_page_while_the_database_is_away_is_a_friendly_page_in_both_languages(
    away: AsyncTestClient[Litestar],
):
    response = await away.get("/incidents/mine", headers={**BEARER, "Accept": "text/html"})
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "Cơ sở dữ liệu tạm thời không truy cập được" in response.text
    assert "The database is temporarily unavailable" in response.text
    assert "retry-after" in response.headers


async def test_liveness_answers_while_the_database_is_away_and_readiness_does_not(away: AsyncTestClient[Litestar]):
    assert (await away.get("/health/live")).status_code == 200
    ready = await away.get("/health/ready")
    assert ready.status_code == 503 and ready.json()["code"] == "health.database_down"
    assert (await away.get("/health")).status_code == 503


class _Broken(Exception):
    """What a driver reports with a SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__("text that is never read")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "unavailable"),
    [
        ("57P01", True),  # admin shutdown ("the database system is shutting down")
        ("57P02", True),  # crash shutdown
        ("57P03", True),  # cannot connect now ("starting up", "in recovery mode")
        ("53300", True),  # too many connections
        ("08006", True),  # connection failure
        ("08003", True),  # connection does not exist (asyncpg ConnectionDoesNotExistError)
        ("23505", False),  # unique violation: the client's conflict, not an outage
        ("42P01", False),  # undefined table: a bug
        ("57014", False),  # query cancelled (statement timeout): not an outage
    ],
)
def test_outages_are_told_by_sqlstate_not_message(sqlstate: str, unavailable: bool):
    wrapped = DBAPIError("SELECT 1", {}, _Broken(sqlstate))
    assert outage.is_unavailable(wrapped) is unavailable


def test_a_statement_sent_as_the_server_shuts_the_connection_is_an_outage():
    # What asyncpg raises when the server's fatal shutdown notice arrived just before the statement went out.
    import asyncpg

    shutting = asyncpg.exceptions.InternalClientError("cannot switch to state 12; another operation (2) is in progress")
    assert outage.is_unavailable(shutting)
    assert outage.is_unavailable(DBAPIError("SELECT 1", {}, shutting))
