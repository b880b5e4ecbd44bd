"""Adding a partner node: its descriptor fetched over HTTP from a second instance, the key pinned, its agencies
offered as NODE:CODE receivers; a changed or unexpected key refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.exchange import keys
from service.exchange.models import ExchangePartner
from service.exchange.partners import PartnerRefused, add_partner
from service.migrate import upgrade
from service.settings import Settings
from tests.builders import logged_in
from tests.conftest import TEST_SECRET
from tests.databases import create_database, drop_database
from tests.live import live_app


def _partner_settings(database_url: str, data_dir: Path) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET,
            "IPCOORD_DATA_DIR": str(data_dir),
            "EXCHANGE_NODE_ID": "DBN",
            "EXCHANGE_NODE_NAME": "Điện Biên",
        }
    )


def _cli(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)  # noqa: S603


@pytest.fixture(scope="module")
def partner_db(server_url: str) -> Iterator[str]:
    url = create_database(server_url)
    try:
        upgrade(url)
        yield url
    finally:
        drop_database(server_url, url)


@pytest.fixture
def partner(partner_db: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Node DBN served on a free port, and its data folder (where its key lives)."""
    with live_app(_partner_settings(partner_db, tmp_path / "dbn")) as base_url:
        yield base_url, tmp_path / "dbn"


async def test_a_partner_is_pinned_and_its_agencies_become_receivers(
    partner: tuple[str, Path], db: AsyncSession, client: AsyncTestClient[Litestar]
):
    base_url, data_dir = partner
    async with httpx.AsyncClient() as http:
        added = await add_partner(db, http, base_url, None, replace=False)
    await db.commit()
    assert added.node_id == "DBN" and added.name == "Điện Biên"
    assert added.fingerprint == keys.fingerprint(keys.load_or_create(None, data_dir))
    assert "DBN:QLTT" in added.agencies
    _, headers = await logged_in(client, db, role="inspector", agency="QLTT")
    codes = {a["code"] for a in (await client.get("/api/agencies", headers=headers)).json()}
    assert "DBN:QLTT" in codes
    stored = (await db.scalars(select(ExchangePartner))).one()
    assert (
        stored.fingerprint == added.fingerprint and stored.inbox_url == "http://127.0.0.1:8000/api/exchange/v1/messages"
    )  # its EXCHANGE_PUBLIC_URL


async def test_an_unexpected_fingerprint_is_refused_and_nothing_is_pinned(partner: tuple[str, Path], db: AsyncSession):
    base_url, _ = partner
    async with httpx.AsyncClient() as http:
        with pytest.raises(PartnerRefused, match="fingerprint"):
            await add_partner(db, http, base_url, "not-the-key", replace=False)
    assert (await db.scalars(select(ExchangePartner))).all() == []


async def test_a_changed_key_is_refused_unless_replaced(
    partner: tuple[str, Path], partner_db: str, db: AsyncSession, tmp_path: Path
):
    base_url, _ = partner
    async with httpx.AsyncClient() as http:
        first = await add_partner(db, http, base_url, None, replace=False)
    await db.commit()
    new_key = keys.load_or_create(None, tmp_path / "new-key")
    settings = msgspec.structs.replace(
        _partner_settings(partner_db, tmp_path / "dbn-2"),
        exchange_private_key=json.dumps(new_key.as_dict(private=True)),
    )
    with live_app(settings) as moved_url:
        async with httpx.AsyncClient() as http:
            with pytest.raises(PartnerRefused, match="changed"):
                await add_partner(db, http, moved_url, None, replace=False)
            await db.rollback()
            pinned = (await db.scalars(select(ExchangePartner))).one()
            assert pinned.fingerprint == first.fingerprint
            again = await add_partner(db, http, moved_url, keys.fingerprint(new_key), replace=True)
    await db.commit()
    assert again.changed and again.fingerprint == keys.fingerprint(new_key)


async def test_the_command_prints_the_fingerprint_and_refuses_a_wrong_one(
    partner: tuple[str, Path], database_url: str, tmp_path: Path, db: AsyncSession
):
    base_url, data_dir = partner
    fingerprint = keys.fingerprint(keys.load_or_create(None, data_dir))
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET, "IPCOORD_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "service", "exchange", "add-partner", base_url, "--fingerprint"]
    wrong = _cli([*command, "x"], env)
    assert wrong.returncode == 2 and "fingerprint" in wrong.stderr
    assert (await db.scalars(select(ExchangePartner))).all() == []
    right = _cli([*command, fingerprint], env)
    assert right.returncode == 0, right.stderr
    assert fingerprint in right.stdout and "DBN:QLTT" in right.stdout
