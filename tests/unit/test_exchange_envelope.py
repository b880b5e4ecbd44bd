"""The envelope's checks: sender, addressee and the replay window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.exchange import envelope

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _sealed(at: datetime = NOW, to_node: str = "DBN") -> bytes:
    return envelope.seal("referral", "LCU", to_node, {"type": "CHUYEN_THAM_QUYEN"}, at)


def test_a_fresh_message_for_this_node_opens():
    opened = envelope.open_checked(_sealed(), signer="LCU", me="DBN", now=NOW + timedelta(hours=25))
    assert opened.type == "referral" and opened.body == {"type": "CHUYEN_THAM_QUYEN"}


def test_each_message_gets_its_own_id():
    assert _sealed() != _sealed()


@pytest.mark.parametrize(
    ("payload", "signer", "code"),
    [
        (_sealed(), "HNI", "exchange.wrong_sender"),
        (_sealed(to_node="HNI"), "LCU", "exchange.wrong_node"),
        (_sealed(at=NOW - timedelta(days=8)), "LCU", "exchange.expired"),
        (_sealed(at=NOW + timedelta(minutes=10)), "LCU", "exchange.from_future"),
        (b'{"id": "x"}', "LCU", "exchange.malformed"),
        (_sealed()[:-1] + b',"extra":1}', "LCU", "exchange.malformed"),
    ],
)
def test_refusals_name_their_reason(payload: bytes, signer: str, code: str):
    with pytest.raises(envelope.Refused) as refused:
        envelope.open_checked(payload, signer=signer, me="DBN", now=NOW)
    assert refused.value.code == code


def test_a_replayed_dead_letter_is_the_same_message_issued_anew():
    first = _sealed(at=NOW - timedelta(days=8))
    again = envelope.resealed(first, NOW)
    opened = envelope.open_checked(again, signer="LCU", me="DBN", now=NOW)
    original = envelope.open_checked(first, signer="LCU", me="DBN", now=NOW - timedelta(days=8))
    assert opened.id == original.id and opened.body == original.body and opened.issued_at == NOW
    assert envelope.same_message(first, opened)
    other_body = envelope.resealed(first, NOW).replace(b"CHUYEN_THAM_QUYEN", b"BAO_CAO")
    assert not envelope.same_message(first, envelope.open_checked(other_body, signer="LCU", me="DBN", now=NOW))
