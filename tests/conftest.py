"""Test database and app fixtures: real PostgreSQL, a database of this run's own, created and dropped.

Server: DATABASE_URL's when set, else the one on 127.0.0.1:5432 when it answers, else the embedded
pgserver. The schema is built with `alembic upgrade head`, so the migrations are under test too.

Isolation: after each test the rows of the tables that tests write are deleted, and reference data (agencies of
the seed, admin units) is kept. An outer rolled-back transaction (STYLE.md rule 10) cannot cover this
app: the login-session backend and the rate-limit store open sessions of their own, as they must in
production.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from service.all_models import metadata
from service.app import create_app
from service.auth import passwords
from service.auth.cache import principals
from service.auth.seed import AGENCIES
from service.calendar.models import Holiday
from service.calendar.rules import holiday_rows
from service.db import async_url
from service.migrate import upgrade
from service.settings import Settings
from tests import databases
from tests.databases import create_database, drop_database
from tests.signing_certs import SigningCa, make_ca
from tests.timestamp_authority import TimestampAuthority, running

REFERENCE_TABLES = {
    "admin_units",
    "admin_unit_successions",
    "agencies",
    "alembic_version",
    "calendar_revision",
    "crime_thresholds",
    "deadline_rules",
    "fine_ceilings",
    "holidays",
}
SEED_AGENCY_CODES = [row[0] for row in AGENCIES]

# Argon2id at production strength costs about 0.2 s a hash on a slow CI machine, and tests hash and verify a
# password for nearly every user they log in: the suite uses argon2id's cheapest parameters instead (the same
# hash format and code paths; verification reads the parameters from each hash, so hashes made by the real
# `ipcoord create-user` still verify). Production keeps passwords.PasswordHasher()'s defaults.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
passwords._DUMMY_HASH = passwords._hasher.hash("ipcoord-dummy-password-for-timing")
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


@pytest.fixture(scope="session")
def tmp_root() -> Iterator[Path]:
    """A folder for this run's files (embedded server, data dir)."""
    with tempfile.TemporaryDirectory(prefix="ipcoord-tests-") as folder:
        yield Path(folder)


@pytest.fixture(scope="session")
def server_url(tmp_root: Path) -> str:
    """The PostgreSQL server this run uses."""
    return databases.server_url(tmp_root)


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """This run's own database, migrated to head, dropped at the end."""
    url = create_database(server_url)
    try:
        upgrade(url)
        yield url
    finally:
        drop_database(server_url, url)


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_root: Path) -> Settings:
    """Development settings pointing at the test database; a low login limit to test it."""
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET,
            "IPCOORD_DATA_DIR": str(tmp_root / "data"),
            "LOGIN_RATE_LIMIT": "5",
            # Reads recorded in their own request, so a test sees the row as soon as the answer came.
            "AUDIT_READ_FLUSH_MS": "0",
        }
    )


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine for arranging data and checking what was stored."""
    engine = create_async_engine(async_url(database_url))
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session for test setup and checks; truncates what tests wrote afterwards."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        yield session
    await _clean(engine)


# Children before parents, so that plain DELETEs never break a foreign key.
AUDIT_TABLES = ("audit_events", "audit_anchors")
MUTABLE_TABLES = [t.name for t in reversed(metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
# DELETE, not TRUNCATE: a test writes a handful of rows, and TRUNCATE's new files for some 45 tables and their
# indexes cost about 0.4 s a test on this disk, 20 minutes over the suite.
_RESET_SEQUENCES = """
SELECT setval(format('%I.%I', s.schemaname, s.sequencename), 1, false)
FROM pg_sequences s
JOIN pg_depend d ON d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass
JOIN pg_class t ON t.oid = d.refobjid
WHERE s.schemaname = 'public' AND t.relname = ANY(:tables) AND s.last_value IS NOT NULL
"""


async def _clean(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        # Fail loudly instead of hanging when a test leaves a transaction open.
        await connection.execute(text("SET LOCAL lock_timeout = '10s'"))
        await connection.execute(text("SET LOCAL synchronous_commit = off"))
        # Tests may amend the holiday table as an admin would (rows naming a user): put the seed back.
        await connection.execute(delete(Holiday))
        for table in MUTABLE_TABLES:
            if table not in AUDIT_TABLES:
                await connection.execute(metadata.tables[table].delete())
        # The audit trail's triggers refuse DELETE (only the retention job prunes, at the oldest end): a test
        # database's superuser empties it with triggers off, as replication would.
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in AUDIT_TABLES:
            await connection.execute(metadata.tables[table].delete())
        await connection.execute(text("SET LOCAL session_replication_role = origin"))
        await connection.execute(text(_RESET_SEQUENCES), {"tables": MUTABLE_TABLES})
        await connection.execute(
            text("DELETE FROM agencies WHERE NOT (code = ANY(:codes))"), {"codes": SEED_AGENCY_CODES}
        )
        await connection.execute(insert(Holiday), holiday_rows())


@pytest.fixture(autouse=True)
def fresh_principal_cache() -> None:
    """Each test starts with an empty per-process login cache, as a freshly started instance would."""
    principals.clear()


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    """The app, as one process behind the load balancer runs it: built once (building one costs 0.5-1 s, which
    over every test was most of the suite's time). It keeps no state of its own between requests (sessions,
    rate limits and jobs live in PostgreSQL, which each test cleans); the per-process login cache is cleared
    before each test. Tests that need a second instance, or other settings, call create_app themselves."""
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar, db: AsyncSession) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """An HTTP client for the app, with its own cookie jar."""
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Figures tests record with `record_property("printed: …", value)`, shown at the end of every run (also
    from xdist workers, which forward user properties to the controller)."""
    lines = [
        f"{name.removeprefix('printed: ')}: {value}"
        for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
        for name, value in getattr(report, "user_properties", [])
        if name.startswith("printed: ")
    ]
    if lines:
        terminalreporter.write_sep("-", "figures")
        for line in sorted(lines):
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def ca() -> SigningCa:
    """A test PKI (root, CRL) for signed documents, one per test module."""
    return make_ca()


@pytest.fixture(scope="module")
def tsa(ca: SigningCa) -> Iterator[TimestampAuthority]:
    """A real RFC 3161 timestamp authority over HTTP in this process, certified by `ca`."""
    with running(ca) as authority:
        yield authority
