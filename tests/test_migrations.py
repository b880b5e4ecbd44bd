"""The Alembic migrations against real PostgreSQL, each test on a fresh database of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from litestar.testing import AsyncTestClient
from sqlalchemy import inspect, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from service.all_models import metadata
from service.app import create_app
from service.calendar.rules import holiday_rows
from service.db import SealedString, async_url, field_key
from service.migrate import NotMigrated, downgrade, upgrade
from service.settings import Settings
from tests.conftest import TEST_SECRET, create_database, drop_database

ADMIN_UNITS = 152  # 38 units of 2025 + 8 districts and 106 communes of 2024
SEED_AGENCIES = 14


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    """A new database with no schema at all, dropped after the test."""
    url = create_database(server_url, prefix="ipcoord_migr")
    try:
        yield url
    finally:
        drop_database(server_url, url)


def _on_database(url: str, work: Any) -> Any:
    """Run `work(sync_connection)` on the database and return its result (own event loop, like Alembic)."""

    async def run() -> Any:
        engine = create_async_engine(async_url(url))
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _reference_counts(connection: Connection) -> tuple[int, int]:
    units = connection.scalar(text("SELECT count(*) FROM admin_units"))
    agencies = connection.scalar(text("SELECT count(*) FROM agencies"))
    return units, agencies


def test_upgrade_head_builds_exactly_the_schema_of_the_models(empty_database: str) -> None:
    upgrade(empty_database)
    assert _on_database(empty_database, _schema_diff) == []


def test_downgrade_to_base_removes_every_table(empty_database: str) -> None:
    upgrade(empty_database)
    downgrade(empty_database, "base")
    assert _on_database(empty_database, _tables) == {"alembic_version"}


def test_upgrade_after_downgrade_to_base_seeds_reference_data_again(empty_database: str) -> None:
    upgrade(empty_database)
    downgrade(empty_database, "base")
    upgrade(empty_database)
    assert _on_database(empty_database, _reference_counts) == (ADMIN_UNITS, SEED_AGENCIES)


def _calendar_rows(connection: Connection) -> list[dict[str, Any]]:
    query = text("SELECT day, kind, name, name_en, legal_basis, in_force, source FROM holidays ORDER BY day")
    return [dict(row._mapping) for row in connection.execute(query)]


def test_the_calendar_migration_adds_working_saturdays_and_both_names_and_keeps_admin_rows(
    empty_database: str,
) -> None:
    upgrade(empty_database, "4d78e93f93e4")  # the revision before the calendar's

    def admin_row(connection: Connection) -> None:
        connection.execute(
            text(
                "INSERT INTO holidays (day, name, is_day_off, source) VALUES ('2026-12-31', 'Cuối năm', true, 'admin')"
            )
        )
        connection.commit()

    _on_database(empty_database, admin_row)
    upgrade(empty_database)
    rows = _on_database(empty_database, _calendar_rows)
    admin = [row for row in rows if row["source"] == "admin"]
    assert admin == [
        {"day": date(2026, 12, 31), "kind": "day_off", "name": "Cuối năm", "name_en": "Cuối năm", "legal_basis": "",
         "in_force": True, "source": "admin"}
    ]  # fmt: skip
    seeded = [row for row in rows if row["source"] == "holidays-package"]
    assert seeded == holiday_rows()  # what the tests re-seed is what the migration stored
    saturdays = [row["day"] for row in seeded if row["kind"] == "working_day"]
    assert saturdays == [date(2024, 5, 4), date(2025, 4, 26), date(2026, 8, 22)]
    downgrade(empty_database, "4d78e93f93e4")
    assert date(2026, 8, 22) not in [r[0] for r in _on_database(empty_database, _old_rows)]


def _old_rows(connection: Connection) -> list[Any]:
    return list(connection.execute(text("SELECT day FROM holidays")))


async def test_app_refuses_to_start_on_an_unmigrated_database(empty_database: str, tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"DATABASE_URL": empty_database, "SECRET_KEY": TEST_SECRET, "IPCOORD_DATA_DIR": str(tmp_path)}
    )
    app = create_app(settings)
    # Litestar's lifespan runs start-up hooks in an anyio task group, which wraps what they raise.
    refused = pytest.RaisesGroup(pytest.RaisesExc(NotMigrated, match=r"Run `ipcoord migrate`"), allow_unwrapped=True)
    with refused:
        async with AsyncTestClient(app=app):
            pass


VERSIONS = Path(__file__).parent.parent / "migrations" / "versions"


def _migration(name: str) -> Any:
    """A migration module loaded from its file (its name starts with a date, not an identifier)."""
    import importlib.util

    path = next(VERSIONS.glob(f"*_{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_migration_imports_service_code() -> None:
    import ast

    found = [
        f"{path.name}: {node.module if isinstance(node, ast.ImportFrom) else node.names[0].name}"
        for path in sorted(VERSIONS.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(
            name.split(".")[0] == "service"
            for name in ([node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names])
        )
    ]
    assert found == []


def test_the_seed_migrations_copies_agree_with_the_live_reference_data() -> None:
    """Each seed migration keeps its own copy; today it equals the live data (a change needs a new migration)."""
    from service.admin_units.seed import succession_rows, unit_rows
    from service.auth.seed import agency_rows
    from service.calendar.rules import rule_rows, takedown_rule_rows
    from service.incidents.reference import crime_threshold_rows
    from service.sanctions.reference import fine_ceiling_rows

    agencies_units = _migration("5a1c0de2b7f1")
    assert agencies_units.agency_rows() == agency_rows()
    assert agencies_units.unit_rows() == unit_rows()
    assert agencies_units.succession_rows() == succession_rows()
    assert _migration("9b2e4f6a8c31").rule_rows() == rule_rows()
    assert _migration("15891b23a86a").takedown_rule_rows() == takedown_rule_rows()
    legal = _migration("7c3d5e9a1b20")
    assert legal.fine_ceiling_rows() == fine_ceiling_rows()
    assert legal.crime_threshold_rows() == crime_threshold_rows()


def test_the_sealing_migration_seals_totp_keys_stored_in_clear_and_downgrade_opens_them(empty_database: str) -> None:
    upgrade(empty_database, "5d20a16b9c3e")  # the revision before TOTP keys were sealed
    plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    def enrolled(connection: Connection) -> None:
        agency = connection.execute(text("SELECT id FROM agencies WHERE code = 'QLTT'")).scalar_one()
        user = connection.execute(
            text(
                "INSERT INTO users (id, username, password_hash, full_name, role, agency_id, is_active, "
                "created_at, updated_at) VALUES (gen_random_uuid(), 'sealing', 'x', 'S', 'coordinator', :a, true, "
                "now(), now()) RETURNING id"
            ),
            {"a": agency},
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO totp_secrets (id, user_id, secret, last_used_step, created_at, updated_at) "
                "VALUES (gen_random_uuid(), :u, :s, 0, now(), now())"
            ),
            {"u": user, "s": plain},
        )
        connection.commit()

    def stored(connection: Connection) -> str:
        return str(connection.execute(text("SELECT secret FROM totp_secrets")).scalar_one())

    _on_database(empty_database, enrolled)
    upgrade(empty_database)
    sealed = _on_database(empty_database, stored)
    assert sealed.startswith("gA") and plain not in sealed
    assert SealedString(key=field_key).process_result_value(sealed, postgresql.dialect()) == plain
    downgrade(empty_database, "5d20a16b9c3e")
    assert _on_database(empty_database, stored) == plain


_TAKEDOWN_ROW = (
    "INSERT INTO takedown_requests (id, incident_id, agency_id, platform_id, number, status, version, urls, "
    "seller_account, seller_key, legal_basis, measures, note, drafted_by_id, answer, created_at, updated_at) VALUES "
    "(gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), :number, 'sent', 1, "
    "ARRAY['https://shopee.vn/x'], '', '', 'Nghị định 17/2023/NĐ-CP', ARRAY['remove'], '', gen_random_uuid(), '', "
    "now(), now())"
)


def _takedown_numbers(connection: Connection) -> list[str]:
    return sorted(connection.scalars(text("SELECT number FROM takedown_requests")))


def test_the_numbering_migration_gives_stored_takedown_numbers_the_leading_zero_their_letters_print(
    empty_database: str,
) -> None:
    upgrade(empty_database, "9b4e1d7c2a56")  # the revision before it

    def old_rows(connection: Connection) -> None:
        connection.execute(text("SET session_replication_role = replica"))  # rows alone, without their parents
        for number in ("1/2026/YCGG-QLTT", "9/2025/YCGG-CA", "10/2026/YCGG-QLTT"):
            connection.execute(text(_TAKEDOWN_ROW), {"number": number})
        connection.commit()

    _on_database(empty_database, old_rows)
    upgrade(empty_database)
    assert _on_database(empty_database, _takedown_numbers) == [
        "01/2026/YCGG-QLTT",
        "09/2025/YCGG-CA",
        "10/2026/YCGG-QLTT",
    ]
    downgrade(empty_database, "9b4e1d7c2a56")
    assert _on_database(empty_database, _takedown_numbers) == [
        "1/2026/YCGG-QLTT",
        "10/2026/YCGG-QLTT",
        "9/2025/YCGG-CA",
    ]
