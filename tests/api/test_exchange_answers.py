"""The sender's answer to a partner's request for information, with two real instances (tests/exchange_nodes.py):
A answers B's request with a note and a file; the answer travels as a signed message, appears in B's timeline
with the file listed by hash, and restarts B's decision clock as a local answer does.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from datetime import timedelta
from typing import Any

from PIL import Image
from sqlalchemy import select, update

from service.clock import now
from service.exchange.models import ExchangeMessage
from service.referrals.models import Referral
from tests.exchange_nodes import A, B, Instance, database, deliver, nodes, paired, refer, signed_in

__all__ = ["nodes"]  # the module-scoped fixture of the two instances


def one_page_pdf(colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 24), colour).save(buffer, "PDF")
    return buffer.getvalue()


async def requested(nodes: dict[str, Instance]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A referral from A's QLTT to B's; B acknowledged it and asked for information; A has heard of it."""
    await paired(nodes)
    sent = await refer(nodes)
    await deliver(nodes[A])
    async with signed_in(nodes[B], "agency_staff") as qltt_b:
        arrived = next(r for r in (await qltt_b.get("/api/referrals/inbox")).json() if r["message"] == "Kho")
        for action in ({"action": "acknowledge"}, {"action": "request_information", "note": "Cần biên bản"}):
            answer = await qltt_b.post(f"/api/referrals/{arrived['id']}/actions", json=action)
            assert answer.status_code == 200, answer.text
    await deliver(nodes[B])
    async with database(nodes[B]) as session:  # B has waited five days for the answer
        await session.execute(
            update(Referral)
            .where(Referral.id == arrived["id"])
            .values(information_requested_at=now() - timedelta(days=5))
        )
        await session.commit()
    return sent, arrived


async def test_the_senders_answer_travels_to_the_partner_and_restarts_its_decision_clock(nodes: dict[str, Instance]):
    sent, arrived = await requested(nodes)
    async with signed_in(nodes[B], "agency_staff") as qltt_b:
        before = (await qltt_b.get(f"/api/referrals/{arrived['id']}")).json()
    assert before["awaiting_information"] is True
    content = one_page_pdf()
    async with signed_in(nodes[A], "agency_staff") as qltt_a:
        waiting = (await qltt_a.get(f"/api/referrals/{sent['id']}")).json()
        assert waiting["awaiting_information"] is True
        form = {"note": "Gửi biên bản kiểm tra", "version": str(waiting["version"])}
        files = {"file": ("bien_ban_bo_sung.pdf", content, "application/pdf")}
        page = await qltt_a.post(f"/referrals/{sent['id']}/answer", data=form, files=files)
        assert page.status_code == 303, page.text
    assert (await deliver(nodes[A])).sent >= 1

    async with signed_in(nodes[B], "agency_staff") as qltt_b:
        after = (await qltt_b.get(f"/api/referrals/{arrived['id']}")).json()
        events = (await qltt_b.get(f"/api/referrals/{arrived['id']}/events")).json()
    assert after["awaiting_information"] is False and after["information_requested_at"] is None
    decide = next(c for c in after["clocks"] if c["name"] not in ("acknowledge", "transfer"))
    decided_before = next(c for c in before["clocks"] if c["name"] == decide["name"])
    assert decide["due_on"] > decided_before["due_on"]  # the days waited do not count
    assert [e["action"] for e in events][-1] == "provide_information"
    assert events[-1]["note"] == f"[{A}] Gửi biên bản kiểm tra" and events[-1]["actor"] is None

    async with database(nodes[B]) as session:
        message = (await session.scalars(select(ExchangeMessage).where(ExchangeMessage.type == "answer"))).one()
    document = json.loads(base64.urlsafe_b64decode(message.token.split(".")[1] + "=="))
    [listed] = document["body"]["attachments"]
    assert listed["sha256"] == hashlib.sha256(content).hexdigest() and listed["file_name"] == "bien_ban_bo_sung.pdf"
    assert listed["url"].startswith(nodes[A].url)
    async with database(nodes[A]) as session:
        out = (await session.scalars(select(ExchangeMessage).where(ExchangeMessage.type == "answer"))).one()
    assert (out.direction, out.result, out.action) == ("out", "delivered", "provide_information")

    async with signed_in(nodes[B], "agency_staff") as qltt_b:  # the same answer again stores nothing
        again = await qltt_b.post(
            "/api/exchange/v1/messages", content=message.token, headers={"Content-Type": "application/jose"}
        )
        assert again.status_code == 409 and again.json()["code"] == "exchange.duplicate"
        timeline = (await qltt_b.get(f"/api/referrals/{arrived['id']}/events")).json()
    assert len(timeline) == len(events)
