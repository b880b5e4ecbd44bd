"""Two real ipcoord instances for the exchange tests: two databases on the test server, two apps served on free
ports, two node ids (LCU for "A", DBN for "B"), and what the tests do with them (pair, deliver, sign in, refer).

Delivery is the outbox drain of each instance (the worker's job), run in-process against that instance's database.
A test module uses them with `from tests.exchange_nodes import nodes` (the module-scoped fixture) and the helpers.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from service.clock import now
from service.db import async_url
from service.exchange.models import ExchangeMessage
from service.exchange.partners import add_partner
from service.exchange.relay import EXCHANGE_POLICY, ExchangeRelay
from service.exchange.service import Node
from service.incidents.models import Incident
from service.migrate import upgrade
from service.notifications.delivery import Channels, Report, RetryPolicy, deliver_pending
from service.notifications.models import OutboxMessage
from service.referrals.models import Referral
from service.settings import Settings
from tests.builders import csrf_headers, login, make_incident, make_user, seizure_payload
from tests.conftest import TEST_SECRET
from tests.databases import create_database, drop_database
from tests.live import bound_socket, live_app, url_of

VIOLATOR_ID = "038099001234"
A, B = "LCU", "DBN"


@dataclass(frozen=True)
class Instance:
    """One node: its served URL, its database and its settings (its key lives in its data folder)."""

    node: str
    url: str
    database_url: str
    settings: Settings


@pytest.fixture(scope="module")
def nodes(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Instance]]:
    created: list[str] = []
    try:
        with ExitStack() as stack:
            instances = {}
            for node in (A, B):
                database_url = create_database(server_url)
                created.append(database_url)
                upgrade(database_url)
                sock = bound_socket()
                settings = _settings(node, database_url, url_of(sock), tmp_path_factory.mktemp(node))
                instances[node] = Instance(node, stack.enter_context(live_app(settings, sock)), database_url, settings)
            yield instances
    finally:
        for database_url in created:
            drop_database(server_url, database_url)


def _settings(node: str, database_url: str, public_url: str, data_dir: Path) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET,
            "IPCOORD_DATA_DIR": str(data_dir),
            "EXCHANGE_NODE_ID": node,
            "EXCHANGE_PUBLIC_URL": public_url,
            "AUDIT_READ_FLUSH_MS": "0",
        }
    )


@asynccontextmanager
async def database(instance: Instance) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(async_url(instance.database_url))
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            yield session
    finally:
        await engine.dispose()


async def paired(nodes: dict[str, Instance]) -> None:
    """Each node pins the other's key (as `ipcoord exchange add-partner` does); again is a no-op."""
    async with httpx.AsyncClient() as http:
        for me, other in ((A, B), (B, A)):
            async with database(nodes[me]) as session:
                await add_partner(session, http, nodes[other].url, None, replace=False)
                await session.commit()


async def deliver(
    instance: Instance,
    at_offset: timedelta = timedelta(),
    *,
    failing: bool = False,
    policy: RetryPolicy = EXCHANGE_POLICY,
) -> Report:
    """One drain of the instance's outbox, as the worker's delivery job runs it (no failure unless `failing`)."""
    async with httpx.AsyncClient() as http, database(instance) as session:
        relay = ExchangeRelay(Node.of(instance.settings), http, policy)
        channels = Channels(secret_key=TEST_SECRET, http=http, mailer=None, relay=relay)
        report = await deliver_pending(session, now() + at_offset, channels)
        if not failing:
            errors = (await session.scalars(select(OutboxMessage.last_error).where(OutboxMessage.attempts > 0))).all()
            assert report.retried == report.dead == 0, [e for e in errors if e]
        return report


@asynccontextmanager
async def signed_in(instance: Instance, role: str, agency: str = "QLTT") -> AsyncIterator[httpx.AsyncClient]:
    async with database(instance) as session:
        user = await make_user(session, role=role, agency=agency)
    async with httpx.AsyncClient(base_url=instance.url) as client:
        assert (await login(client, user.username)).status_code == 200  # type: ignore[arg-type]
        client.headers.update(await csrf_headers(client))  # type: ignore[arg-type]
        yield client


async def seizure_with_violator(instance: Instance) -> Incident:
    async with database(instance) as session:
        user = await make_user(session, role="inspector", agency="QLTT")
        payload = seizure_payload(
            "BB-77/QLTT",
            violator={"type": "individual", "name": "Trần Văn Vi", "id_number": VIOLATOR_ID},
            legal_basis=[{"document": "Nghị định 99/2013/NĐ-CP", "article": "11"}],
        )
        return await make_incident(session, user, payload=payload)


async def counts(instance: Instance) -> tuple[int, int, int]:
    """(messages logged, referrals, incidents) stored on a node."""
    async with database(instance) as session:
        return (
            await session.scalar(select(func.count()).select_from(ExchangeMessage)) or 0,
            await session.scalar(select(func.count()).select_from(Referral)) or 0,
            await session.scalar(select(func.count()).select_from(Incident)) or 0,
        )


async def refer(nodes: dict[str, Instance], referral_type: str = "PHOI_HOP_XAC_MINH") -> dict[str, Any]:
    incident = await seizure_with_violator(nodes[A])
    async with signed_in(nodes[A], "agency_staff") as qltt_a:
        body = {"incident_id": str(incident.id), "to_agency": f"{B}:QLTT", "type": referral_type, "message": "Kho"}
        response = await qltt_a.post("/api/referrals", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def tampered(token: str) -> str:
    """The same signature over a payload whose goods value was raised."""
    header, payload, signature = token.split(".")
    document = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    document["body"]["incident"]["goods_value_vnd"] = 999_000_000
    forged = base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"
