"""The signed envelope every exchange message travels in, and the receiver's checks before storing it (pure).

A message is the compact JWS (keys.py) of this JSON: `{"id", "type", "from_node", "to_node", "issued_at",
"body"}`. The receiver checks, in order: the signature under the sender's pinned key, that it is addressed to
this node by the node that signed it, and that `issued_at` lies inside the replay window. The message id is
then stored once per sender: the same id again is a replay and stores nothing (docs/exchange.md).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

import msgspec

MessageType = Literal["referral", "status", "answer", "fetch"]
MAX_AGE = timedelta(days=7)  # a partner offline for a day still gets the message, signed when it was queued
MAX_SKEW = timedelta(minutes=5)  # clocks of two nodes may differ this much
RESIGN_MARGIN = timedelta(hours=1)  # a replayed dead letter with less of its window left than this is re-signed
NodeId = Annotated[str, msgspec.Meta(pattern=r"^[A-Z0-9_]{2,16}$", description="a node id, e.g. LCU")]
Moment = Annotated[
    datetime, msgspec.Meta(tz=True, extra_json_schema={"format": "date-time"}, description="RFC 3339, with an offset")
]


class Envelope(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What is signed: who sends what to whom, when."""

    id: Annotated[uuid.UUID, msgspec.Meta(description="the message id, unique per sender; a resend keeps it")]
    type: MessageType
    from_node: NodeId
    to_node: NodeId
    issued_at: Moment
    body: Annotated[
        dict[str, Any], msgspec.Meta(description="ReferralBody, StatusBody, AnswerBody or FetchBody, by `type`")
    ]


class Refused(Exception):
    """The envelope does not pass a check; `code` is the message code answered to the sender."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def seal(message_type: MessageType, from_node: str, to_node: str, body: dict[str, Any], at: datetime) -> bytes:
    """The JSON to sign for a new message (a fresh id; the same bytes are resent on every retry)."""
    envelope = Envelope(
        id=uuid.uuid4(), type=message_type, from_node=from_node, to_node=to_node, issued_at=at, body=body
    )
    return msgspec.json.encode(envelope)


def resealed(payload: bytes, at: datetime) -> bytes:
    """The same message (id, type, nodes, body) issued anew at `at`: a dead letter replayed after its window."""
    original = msgspec.json.decode(payload, type=Envelope)
    return msgspec.json.encode(msgspec.structs.replace(original, issued_at=at))


def same_message(stored: bytes, other: Envelope) -> bool:
    """Whether a stored payload and an envelope are one message, perhaps re-signed at another time: equal but
    for `issued_at` (a dead letter replayed after its window, whose first signing had arrived after all)."""
    try:
        first = msgspec.json.decode(stored, type=Envelope)
    except msgspec.ValidationError:
        return False
    return msgspec.structs.replace(first, issued_at=other.issued_at) == other


def open_checked(payload: bytes, *, signer: str, me: str, now: datetime) -> Envelope:
    """The envelope of a verified payload, or Refused: malformed, misaddressed, or outside the window."""
    try:
        envelope = msgspec.json.decode(payload, type=Envelope)
    except msgspec.ValidationError as error:
        raise Refused("exchange.malformed") from error
    if envelope.from_node != signer:
        raise Refused("exchange.wrong_sender")
    if envelope.to_node != me:
        raise Refused("exchange.wrong_node")
    if envelope.issued_at.tzinfo is None:
        raise Refused("exchange.malformed")
    if envelope.issued_at > now + MAX_SKEW:
        raise Refused("exchange.from_future")
    if envelope.issued_at < now - MAX_AGE:
        raise Refused("exchange.expired")
    return envelope
