"""POST /api/exchange/v1/messages refuses what it must, each with a clear 4xx in both languages, storing nothing;
and coordinators see every message exchanged (API and page). The partner DBN here is a key this test holds."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import msgspec
import pytest
from joserfc.jwk import OKPKey
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency
from service.clock import now
from service.exchange import keys
from service.exchange.envelope import Envelope
from service.exchange.models import ExchangeMessage, ExchangePartner
from service.incidents.models import Incident
from service.referrals.models import Referral
from tests.builders import logged_in

PARTNER = "DBN"
INBOX = "/api/exchange/v1/messages"
JOSE = {"Content-Type": "application/jose"}


@pytest.fixture
async def partner_key(db: AsyncSession) -> OKPKey:
    """DBN pinned on this node (LCU), with its QLTT as the agency DBN:QLTT."""
    key = OKPKey.generate_key("Ed25519")
    db.add(
        ExchangePartner(
            node_id=PARTNER,
            name="Điện Biên",
            descriptor_url="http://dbn.invalid/.well-known/ipcoord-exchange",
            inbox_url="http://dbn.invalid/api/exchange/v1/messages",
            fingerprint=keys.fingerprint(key),
            public_jwk=keys.public_jwk(key),
        )
    )
    db.add(Agency(code=f"{PARTNER}:QLTT", name_vi="QLTT Điện Biên", name_en="DBN market", valid_from=now().date()))
    await db.commit()
    return key


def referral_body(to_agency: str = "QLTT") -> dict[str, Any]:
    return {
        "referral_id": str(uuid.uuid4()),
        "from_agency": "QLTT",
        "to_agency": to_agency,
        "referral_type": "PHOI_HOP_XAC_MINH",
        "message": "Hàng từ kho ở Lai Châu",
        "incident": {
            "kind": "seizure",
            "occurred_at": "2026-03-02T09:30:00+07:00",
            "place": {"lon": 103.0, "lat": 21.4, "units": []},
            "subject_matter": ["NHAN_HIEU"],
            "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
            "goods_value_vnd": 2_000_000,
        },
    }


def signed(
    key: OKPKey,
    body: dict[str, Any],
    *,
    kind: str = "referral",
    to_node: str = "LCU",
    at: datetime | None = None,
) -> str:
    envelope = Envelope(
        id=uuid.uuid4(), type=kind, from_node=PARTNER, to_node=to_node, issued_at=at or now(), body=body
    )  # type: ignore[arg-type]
    return keys.sign(key, msgspec.json.encode(envelope))


async def stored(db: AsyncSession) -> tuple[int, int, int]:
    await db.rollback()  # a fresh snapshot
    return (
        await db.scalar(select(func.count()).select_from(ExchangeMessage)) or 0,
        await db.scalar(select(func.count()).select_from(Referral)) or 0,
        await db.scalar(select(func.count()).select_from(Incident)) or 0,
    )


def assert_refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["code"] == code and answer["message_vi"] and answer["message_en"] and answer["field"]
    assert answer["message_vi"] != answer["message_en"]


async def test_a_referral_is_stored_once_and_lands_in_the_inbox(
    client: AsyncTestClient[Litestar], db: AsyncSession, partner_key: OKPKey
):
    token = signed(partner_key, referral_body())
    first = await client.post(INBOX, content=token, headers=JOSE)
    assert first.status_code == 202, first.text
    assert first.json()["result"] == "accepted"
    after_first = await stored(db)
    assert after_first == (1, 1, 1)
    again = await client.post(INBOX, content=token, headers=JOSE)
    assert_refused(again, 409, "exchange.duplicate")
    assert first.json()["referral_id"] in again.json()["message_en"]
    assert await stored(db) == after_first
    _, headers = await logged_in(client, db, role="agency_staff", agency="QLTT")
    inbox = (await client.get("/api/referrals/inbox", headers=headers)).json()
    assert [(r["from_agency"], r["status"]) for r in inbox] == [(f"{PARTNER}:QLTT", "sent")]
    referral_id, incident_id = inbox[0]["id"], inbox[0]["incident_id"]
    for path in (f"/api/incidents/{incident_id}", f"/incidents/{incident_id}", f"/referrals/{referral_id}"):
        shown = await client.get(path, headers=headers)
        assert shown.status_code == 200, (path, shown.text[:2000])


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("unknown key", 401, "exchange.unknown_key"),
        ("modified body", 401, "exchange.bad_signature"),
        ("agency not accepted", 422, "exchange.agency_not_accepted"),
        ("status for a referral never sent", 422, "exchange.unknown_referral"),
        ("too old", 422, "exchange.expired"),
        ("from the future", 422, "exchange.from_future"),
        ("for another node", 422, "exchange.wrong_node"),
        ("body off the schema", 422, "exchange.bad_body"),
        ("not a JWS", 401, "exchange.bad_signature"),
    ],
)
async def test_bad_messages_are_refused_and_store_nothing(
    client: AsyncTestClient[Litestar], db: AsyncSession, partner_key: OKPKey, case: str, status: int, code: str
):
    body = referral_body()
    token = {
        "unknown key": lambda: signed(OKPKey.generate_key("Ed25519"), body),  # a changed key is unknown too
        "modified body": lambda: _modified(signed(partner_key, body)),
        "agency not accepted": lambda: signed(partner_key, referral_body(to_agency="NOPE")),
        "status for a referral never sent": lambda: signed(
            partner_key,
            {
                "referral_id": str(uuid.uuid4()),
                "action": "acknowledge",
                "status": "acknowledged",
                "at": "2026-03-02T10:00:00Z",
            },
            kind="status",
        ),
        "too old": lambda: signed(partner_key, body, at=now() - timedelta(days=8)),
        "from the future": lambda: signed(partner_key, body, at=now() + timedelta(hours=1)),
        "for another node": lambda: signed(partner_key, body, to_node="HGI"),
        "body off the schema": lambda: signed(partner_key, body | {"surprise": 1}),
        "not a JWS": lambda: "hello",
    }[case]()
    before = await stored(db)
    assert_refused(await client.post(INBOX, content=token, headers=JOSE), status, code)
    assert await stored(db) == before


def _modified(token: str) -> str:
    """Another valid payload under the first one's signature."""
    header, _, signature = token.split(".")
    other = signed(OKPKey.generate_key("Ed25519"), referral_body()).split(".")[1]
    return f"{header}.{other}.{signature}"


async def test_coordinators_see_every_exchange_and_others_do_not(
    client: AsyncTestClient[Litestar], db: AsyncSession, partner_key: OKPKey
):
    assert (await client.post(INBOX, content=signed(partner_key, referral_body()), headers=JOSE)).status_code == 202
    _, headers = await logged_in(client, db, role="agency_staff", agency="QLTT")
    assert (await client.get("/api/exchange/v1/log", headers=headers)).status_code == 403
    assert (await client.get("/exchange", headers=headers)).status_code == 403
    await client.post("/api/auth/logout", headers=headers)
    _, headers = await logged_in(client, db, role="coordinator", agency="QLTT")
    log = (await client.get("/api/exchange/v1/log", headers=headers)).json()
    assert [(m["direction"], m["partner_node"], m["type"], m["result"]) for m in log] == [
        ("in", PARTNER, "referral", "accepted")
    ]
    assert len(log[0]["sha256"]) == 64
    partners = (await client.get("/api/exchange/v1/partners", headers=headers)).json()
    assert [p["node_id"] for p in partners] == [PARTNER]
    page = await client.get("/exchange", headers=headers)
    assert page.status_code == 200 and "Điện Biên" in page.text and log[0]["sha256"][:16] in page.text
