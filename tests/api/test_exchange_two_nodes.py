"""The issue's check, with two real instances (tests/exchange_nodes.py): A's QLTT refers a seizure to DBN:QLTT; it
appears in B's QLTT inbox with B's clocks and no violator ID; B acknowledges, starts and closes it; A's referral
shows the events; a tampered or replayed message is refused and stores nothing; a partner offline for a day gets
the message once.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from datetime import timedelta

import httpx
from PIL import Image
from sqlalchemy import select, text, update

from service.clock import now
from service.exchange.fetch import signed_headers
from service.exchange.models import ExchangeMessage, ExchangePartner
from service.exchange.service import Node
from service.incidents.models import Incident
from tests.exchange_nodes import (
    VIOLATOR_ID,
    A,
    B,
    Instance,
    counts,
    database,
    deliver,
    nodes,
    paired,
    refer,
    seizure_with_violator,
    signed_in,
    tampered,
)
from tests.live import bound_socket, url_of

__all__ = ["nodes"]  # the module-scoped fixture of the two instances


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
