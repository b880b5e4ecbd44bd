"""The issue's check, with two real instances: two databases on the test server, two apps served on free ports,
two node ids (LCU for "A", DBN for "B"). A's QLTT refers a seizure to DBN:QLTT; it appears in B's QLTT inbox with
B's clocks and no violator ID; B acknowledges, starts and closes it; A's referral shows the events; a tampered or
replayed message is refused and stores nothing; a partner offline for a day gets the message once.

Delivery is the outbox drain of each instance (the worker's job), run in-process against that instance's database.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from service.clock import now
from service.db import async_url
from service.exchange.fetch import signed_headers
from service.exchange.models import ExchangeMessage, ExchangePartner
from service.exchange.partners import add_partner
from service.exchange.relay import ExchangeRelay
from service.exchange.service import Node
from service.incidents.models import Incident
from service.migrate import upgrade
from service.notifications.delivery import Channels, Report, deliver_pending
from service.notifications.models import OutboxMessage
from service.referrals.models import Referral
from service.settings import Settings
from tests.builders import csrf_headers, login, make_incident, make_user
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


async def deliver(instance: Instance, at_offset: timedelta = timedelta(), *, failing: bool = False) -> Report:
    """One drain of the instance's outbox, as the worker's delivery job runs it (no failure unless `failing`)."""
    async with httpx.AsyncClient() as http, database(instance) as session:
        relay = ExchangeRelay(Node.of(instance.settings), http)
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
        payload = {
            "kind": "seizure",
            "occurred_at": "2026-03-02T09:30:00+07:00",
            "record_number": "BB-77/QLTT",
            "subject_matter": ["NHAN_HIEU"],
            "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
            "violator": {"type": "individual", "name": "Trần Văn Vi", "id_number": VIOLATOR_ID},
            "legal_basis": [{"document": "Nghị định 99/2013/NĐ-CP", "article": "11"}],
            "goods": [
                {
                    "description": "Túi xách",
                    "infringed_mark": "LV",
                    "quantity": 3,
                    "unit": "chiếc",
                    "unit_price_vnd": 450_000,
                }
            ],
        }
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


async def test_a_referral_crosses_to_the_other_node_and_its_outcome_comes_back(nodes: dict[str, Instance]):
    await paired(nodes)
    async with database(nodes[B]) as session:  # B's own rule: four working days to acknowledge (A's: one)
        await session.execute(text("UPDATE deadline_rules SET amount = 4 WHERE code = 'acknowledge'"))
        await session.commit()
    sent = await refer(nodes)
    assert sent["to_agency"] == f"{B}:QLTT" and sent["status"] == "sent"
    assert (await deliver(nodes[A])).sent >= 1

    async with signed_in(nodes[B], "agency_staff") as qltt_b:
        inbox = (await qltt_b.get("/api/referrals/inbox")).json()
        assert [r["from_agency"] for r in inbox] == [f"{A}:QLTT"]
        arrived = inbox[0]
        ack_b = next(c for c in arrived["clocks"] if c["name"] == "acknowledge")
        ack_a = next(c for c in sent["clocks"] if c["name"] == "acknowledge")
        assert ack_b["due_on"] > ack_a["due_on"]  # B's clock, from B's rules
        async with database(nodes[B]) as session:
            copy = await session.get(Incident, arrived["incident_id"])
            assert copy is not None and copy.goods_value_vnd == 1_350_000 and copy.kind == "seizure"
            assert VIOLATOR_ID not in json.dumps(copy.payload) and copy.payload.get("violator") is None
            token = (await session.scalars(select(ExchangeMessage.token))).one()
        assert VIOLATOR_ID not in base64.urlsafe_b64decode(token.split(".")[1] + "==").decode()

        before = await counts(nodes[B])
        forged = await qltt_b.post(
            "/api/exchange/v1/messages", content=tampered(token), headers={"Content-Type": "application/jose"}
        )
        assert forged.status_code == 401 and forged.json()["code"] == "exchange.bad_signature"
        replayed = await qltt_b.post(
            "/api/exchange/v1/messages", content=token, headers={"Content-Type": "application/jose"}
        )
        assert replayed.status_code == 409 and replayed.json()["code"] == "exchange.duplicate"
        assert replayed.json()["message_vi"] and replayed.json()["message_en"]
        assert await counts(nodes[B]) == before

        for action in ({"action": "acknowledge"}, {"action": "start"}, {"action": "close", "outcome": "HOAN_THANH"}):
            answer = await qltt_b.post(f"/api/referrals/{arrived['id']}/actions", json=action | {"note": "Đã xác minh"})
            assert answer.status_code == 200, answer.text
    assert (await deliver(nodes[B])).sent >= 3

    async with signed_in(nodes[A], "agency_staff") as qltt_a:
        back = (await qltt_a.get(f"/api/referrals/{sent['id']}")).json()
        events = (await qltt_a.get(f"/api/referrals/{sent['id']}/events")).json()
    assert back["status"] == "closed" and back["outcome"] == "HOAN_THANH"
    assert [e["action"] for e in events] == ["sent", "acknowledge", "start", "close"]
    assert events[1]["note"] == f"[{B}] Đã xác minh"
    async with database(nodes[A]) as session:
        log = (await session.scalars(select(ExchangeMessage).order_by(ExchangeMessage.id))).all()
    assert [(m.direction, m.type, m.result) for m in log] == [
        ("out", "referral", "delivered"),
        *[("in", "status", "accepted")] * 3,
    ]


async def test_the_criminal_file_to_the_police_carries_the_violator(nodes: dict[str, Instance]):
    await paired(nodes)
    async with database(nodes[B]) as session:
        police = (await session.scalars(text("SELECT code FROM agencies WHERE code = 'CA'"))).one_or_none()
    assert police == "CA"
    incident = await seizure_with_violator(nodes[A])
    async with signed_in(nodes[A], "agency_staff") as qltt_a:
        body = {"incident_id": str(incident.id), "to_agency": f"{B}:CA", "type": "CHUYEN_HO_SO_HINH_SU", "message": "x"}
        assert (await qltt_a.post("/api/referrals", json=body)).status_code == 201
    await deliver(nodes[A])
    async with database(nodes[B]) as session:
        arrived = (await session.scalars(select(Incident).order_by(Incident.id.desc()))).first()
    assert arrived is not None and arrived.payload["violator"]["id_number"] == VIOLATOR_ID


async def test_a_partner_offline_for_a_day_gets_the_message_once(nodes: dict[str, Instance]):
    await paired(nodes)
    async with database(nodes[A]) as session:
        inbox_url = (await session.scalars(select(ExchangePartner.inbox_url).where(ExchangePartner.node_id == B))).one()
        with bound_socket() as closed:  # bound, never listening: connections are refused
            await session.execute(
                update(ExchangePartner).where(ExchangePartner.node_id == B).values(inbox_url=url_of(closed))
            )
            await session.commit()
            sent = await refer(nodes)
            before = await counts(nodes[B])
            first = await deliver(nodes[A], failing=True)
    assert first.retried >= 1 and first.dead == 0
    async with database(nodes[A]) as session:
        logged = (await session.scalars(select(ExchangeMessage).where(ExchangeMessage.referral_id == sent["id"]))).one()
        assert logged.result == "failed" and logged.attempts == 1
        await session.execute(update(ExchangePartner).where(ExchangePartner.node_id == B).values(inbox_url=inbox_url))
        await session.commit()
    assert (await deliver(nodes[A], timedelta(days=1))).sent >= 1
    assert (await deliver(nodes[A], timedelta(days=2))).sent == 0
    messages, referrals, incidents = await counts(nodes[B])
    assert (messages, referrals, incidents) == (before[0] + 1, before[1] + 1, before[2] + 1)
    async with database(nodes[A]) as session:
        logged = (await session.scalars(select(ExchangeMessage).where(ExchangeMessage.referral_id == sent["id"]))).one()
    assert logged.result == "delivered" and logged.attempts == 2


def one_page_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "white").save(buffer, "PDF")
    return buffer.getvalue()


async def test_the_receiver_fetches_a_referral_file_by_hash_with_a_signed_request(nodes: dict[str, Instance]):
    await paired(nodes)
    incident = await seizure_with_violator(nodes[A])
    content = one_page_pdf()
    async with signed_in(nodes[A], "agency_staff") as qltt_a:
        files = {"file": ("bien_ban.pdf", content, "application/pdf")}
        added = await qltt_a.post(f"/api/incidents/{incident.id}/attachments", files=files)
        assert added.status_code == 201, added.text
        body = {
            "incident_id": str(incident.id),
            "to_agency": f"{B}:QLTT",
            "type": "PHOI_HOP_XAC_MINH",
            "attachment_ids": [added.json()["id"]],
        }
        sent = await qltt_a.post("/api/referrals", json=body)
        assert sent.status_code == 201, sent.text
    await deliver(nodes[A])
    async with database(nodes[B]) as session:
        token = (await session.scalars(select(ExchangeMessage.token).order_by(ExchangeMessage.id.desc()))).first()
    assert token is not None
    document = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    [listed] = document["body"]["attachments"]
    assert listed["sha256"] == hashlib.sha256(content).hexdigest() and listed["url"].startswith(nodes[A].url)
    node_b = Node.of(nodes[B].settings)
    async with httpx.AsyncClient() as http:
        fetched = await http.get(listed["url"], headers=signed_headers(node_b, A, listed["sha256"], now()))
        assert fetched.status_code == 200 and fetched.content == content
        unsigned = await http.get(listed["url"])
        assert unsigned.status_code == 401 and unsigned.json()["code"] == "exchange.bad_signature"
        other = "0" * 64
        elsewhere = await http.get(listed["url"][:-64] + other, headers=signed_headers(node_b, A, other, now()))
        assert elsewhere.status_code == 404 and elsewhere.json()["code"] == "exchange.attachment_not_found"
        stale = signed_headers(node_b, A, listed["sha256"], now() - timedelta(minutes=10))
        assert (await http.get(listed["url"], headers=stale)).status_code == 422
