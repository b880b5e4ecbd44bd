"""A dead letter to a partner node replayed after the replay window, with two real instances
(tests/exchange_nodes.py): the partner is offline for eight days (time shifted through the clock each side uses:
the drain's `now` on the sender, the inbox route's `now()` on the receiver); the message dies; an administrator
replays it; it goes out re-signed with a fresh `issued_at` and the same message id, and is stored once.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from service.clock import now
from service.exchange import routes
from service.exchange.models import ExchangeMessage, ExchangePartner
from service.notifications.delivery import RetryPolicy
from service.notifications.models import NotificationDelivery, OutboxMessage
from tests.exchange_nodes import A, B, Instance, counts, database, deliver, nodes, paired, refer, signed_in
from tests.live import bound_socket, url_of

__all__ = ["nodes"]  # the module-scoped fixture of the two instances

IMPATIENT = RetryPolicy(max_attempts=2)  # the last attempt of the week, without draining 175 times


def issued_at(token: str) -> datetime:
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return datetime.fromisoformat(payload["issued_at"])


def shift_receivers_clock(monkeypatch: pytest.MonkeyPatch, by: timedelta) -> None:
    """The inbox route's clock on both nodes (one process serves both) runs `by` ahead."""
    real: Callable[[], datetime] = now
    monkeypatch.setattr(routes, "now", lambda: real() + by)


async def outgoing(instance: Instance, referral_id: str) -> ExchangeMessage:
    async with database(instance) as session:
        stmt = select(ExchangeMessage).where(ExchangeMessage.referral_id == referral_id)
        return (await session.scalars(stmt)).one()


async def dead_letter(instance: Instance, outbox_id: int) -> None:
    """Replay needs a dead letter: after one week's attempts the message is dead."""
    async with database(instance) as session:
        status = await session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == outbox_id))
    assert status == "dead"


async def replay(instance: Instance, outbox_id: int) -> None:
    async with signed_in(instance, "admin") as admin:
        response = await admin.post(f"/api/admin/notifications/{outbox_id}/replay", json={"note": "đối tác đã online"})
        assert response.status_code == 200, response.text


async def test_a_dead_letter_replayed_after_the_window_is_re_signed_and_arrives_once(
    nodes: dict[str, Instance], monkeypatch: pytest.MonkeyPatch
):
    await paired(nodes)
    async with database(nodes[A]) as session:
        inbox_url = (await session.scalars(select(ExchangePartner.inbox_url).where(ExchangePartner.node_id == B))).one()
    with bound_socket() as closed:  # B is offline: connections are refused
        async with database(nodes[A]) as session:
            await session.execute(
                update(ExchangePartner).where(ExchangePartner.node_id == B).values(inbox_url=url_of(closed))
            )
            await session.commit()
        sent = await refer(nodes)
        before = await counts(nodes[B])
        await deliver(nodes[A], failing=True)
        first = await outgoing(nodes[A], sent["id"])
        later = await deliver(nodes[A], timedelta(days=8), failing=True, policy=IMPATIENT)
    assert later.dead >= 1 and first.outbox_id is not None
    await dead_letter(nodes[A], first.outbox_id)
    async with database(nodes[A]) as session:
        await session.execute(update(ExchangePartner).where(ExchangePartner.node_id == B).values(inbox_url=inbox_url))
        await session.commit()

    shift_receivers_clock(monkeypatch, timedelta(days=8))
    async with signed_in(nodes[B], "agency_staff") as qltt_b:  # the bytes first signed are too old now
        stale = await qltt_b.post(
            "/api/exchange/v1/messages", content=first.token, headers={"Content-Type": "application/jose"}
        )
    assert stale.status_code == 422 and stale.json()["code"] == "exchange.expired"
    assert await counts(nodes[B]) == before

    await replay(nodes[A], first.outbox_id)
    assert (await deliver(nodes[A], timedelta(days=8))).sent >= 1
    resent = await outgoing(nodes[A], sent["id"])
    assert resent.result == "delivered" and resent.message_id == first.message_id
    assert resent.sha256 != first.sha256 and issued_at(resent.token) - issued_at(first.token) >= timedelta(days=8)
    messages, referrals, incidents = await counts(nodes[B])
    assert (messages, referrals, incidents) == (before[0] + 1, before[1] + 1, before[2] + 1)
    async with database(nodes[B]) as session:
        stored = (
            await session.scalars(select(ExchangeMessage).where(ExchangeMessage.message_id == first.message_id))
        ).one()
    assert stored.sha256 == resent.sha256

    # B's answer was lost: A never learnt that B took it; a week later the message is dead and replayed again,
    # re-signed again; B answers it as the duplicate it is and stores nothing more.
    async with database(nodes[A]) as session:
        await session.execute(delete(NotificationDelivery).where(NotificationDelivery.outbox_id == first.outbox_id))
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == first.outbox_id).values(status="dead"))
        await session.execute(update(ExchangeMessage).where(ExchangeMessage.id == first.id).values(result="failed"))
        await session.commit()
    shift_receivers_clock(monkeypatch, timedelta(days=16))
    await replay(nodes[A], first.outbox_id)
    assert (await deliver(nodes[A], timedelta(days=16))).sent >= 1
    again = await outgoing(nodes[A], sent["id"])
    assert again.sha256 != resent.sha256 and again.http_status == 409 and again.result == "delivered"
    assert await counts(nodes[B]) == (messages, referrals, incidents)


async def test_a_replay_inside_the_window_resends_the_same_bytes(nodes: dict[str, Instance]):
    await paired(nodes)
    async with database(nodes[A]) as session:
        inbox_url = (await session.scalars(select(ExchangePartner.inbox_url).where(ExchangePartner.node_id == B))).one()
    with bound_socket() as closed:
        async with database(nodes[A]) as session:
            await session.execute(
                update(ExchangePartner).where(ExchangePartner.node_id == B).values(inbox_url=url_of(closed))
            )
            await session.commit()
        sent = await refer(nodes)
        await deliver(nodes[A], failing=True, policy=IMPATIENT)
        await deliver(nodes[A], timedelta(hours=1), failing=True, policy=IMPATIENT)
        first = await outgoing(nodes[A], sent["id"])
    assert first.outbox_id is not None
    await dead_letter(nodes[A], first.outbox_id)
    async with database(nodes[A]) as session:
        await session.execute(update(ExchangePartner).where(ExchangePartner.node_id == B).values(inbox_url=inbox_url))
        await session.commit()
    await replay(nodes[A], first.outbox_id)
    assert (await deliver(nodes[A], timedelta(hours=2))).sent >= 1
    resent = await outgoing(nodes[A], sent["id"])
    assert resent.result == "delivered" and resent.sha256 == first.sha256 and resent.token == first.token
