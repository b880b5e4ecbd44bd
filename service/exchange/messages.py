"""The bodies of exchange messages, as msgspec Structs (their JSON Schema is docs/exchange-schema.json), and
what of an incident each referral type may carry to another node (pure).

Only the shared subset of an incident leaves the node: its kind, dates, place (coordinates and unit codes and
names), goods, values and legal basis. The violator's personal data leaves only for the referral types in
`VIOLATOR_SHARED`, where the receiver's duty needs it; every other type carries no violator at all.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import msgspec

from schemas.referrals import ReferralStatus, ReferralType
from service.exchange.envelope import Envelope, Moment

StatusAction = Literal["acknowledge", "start", "request_information", "close", "return", "refuse"]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="SHA-256, lower-case hex")]

# Referral type → the law that makes the receiver need the violator's identity. Absent: never sent.
VIOLATOR_SHARED: dict[str, str] = {
    "CHUYEN_HO_SO_HINH_SU": "Luật XLVPHC 2012 Điều 62; BLTTHS 2015 Điều 146 (tin báo về tội phạm)",
    "TRA_HO_SO_XU_PHAT": "Luật XLVPHC 2012 Điều 63 (chuyển hồ sơ để xử phạt vi phạm hành chính)",
    # DOMAIN.md names no article for the transfer itself, only its decision clock (Art. 66.1.a): to be confirmed.
    "CHUYEN_THAM_QUYEN": "Luật XLVPHC 2012 Điều 66 khoản 1 điểm a (hồ sơ chuyển người có thẩm quyền xử phạt) (verify)",
}


class Struct(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=False):
    """A message part: unknown fields are refused (exchange.malformed)."""


class Unit(Struct, kw_only=True):
    """An administrative unit by its national code, with its name (the two generations of 2024 and 2025)."""

    generation: Literal["2024", "2025"]
    level: Literal["district", "commune"]
    code: str
    name: str | None = None


class Place(Struct, kw_only=True):
    """Where: WGS 84 coordinates when known, and the units."""

    lon: float | None = None
    lat: float | None = None
    units: list[Unit] = []


class GoodsLine(Struct, kw_only=True):
    description: str
    infringed_mark: str
    quantity: int
    unit: str
    unit_price_vnd: int


class LegalBasis(Struct, kw_only=True):
    document: str
    article: str | None = None
    clause: str | None = None
    point: str | None = None


class Violator(Struct, kw_only=True):
    """Personal data: present only for the types of VIOLATOR_SHARED."""

    type: str
    name: str
    id_number: str | None = None
    tax_code: str | None = None
    address: str | None = None


class SharedIncident(Struct, kw_only=True):
    """The de-personalised subset of an incident that travels with a referral."""

    kind: str
    occurred_at: Moment
    detected_at: Moment | None = None
    place: Place
    subject_matter: list[str]
    infringement_acts: list[str]
    is_counterfeit: bool = False
    goods: list[GoodsLine] = []
    goods_value_vnd: int | None = None
    illegal_profit_vnd: int | None = None
    damage_vnd: int | None = None
    legal_basis: list[LegalBasis] = []
    violator: Violator | None = None


class AttachmentRef(Struct, kw_only=True):
    """A file by its SHA-256; the receiver fetches it from `url` with a signed request (docs/exchange.md §6)."""

    sha256: Sha256
    file_name: str
    content_type: str
    size_bytes: int
    url: str


class ReferralBody(Struct, kw_only=True):
    """`body` of a `referral` message."""

    referral_id: uuid.UUID  # the sender's; status messages quote it back
    from_agency: str
    to_agency: str  # the receiver's own code, without the node prefix
    referral_type: ReferralType
    message: str
    incident: SharedIncident
    attachments: list[AttachmentRef] = []


class StatusBody(Struct, kw_only=True):
    """`body` of a `status` message: what the receiver did with a referral it was sent."""

    referral_id: uuid.UUID  # the original sender's id
    action: StatusAction
    status: ReferralStatus
    outcome: str | None = None
    note: str = ""
    at: Moment


class AnswerBody(Struct, kw_only=True):
    """`body` of an `answer` message: the sender's answer to the receiver's request for information."""

    referral_id: uuid.UUID  # the sender's id, as in the referral message
    note: str = ""
    attachments: list[AttachmentRef] = []  # files added with the answer, fetched like the referral's
    at: Moment


class FetchBody(Struct, kw_only=True):
    """`body` of a `fetch` request (a signed GET of an attachment)."""

    sha256: Sha256


def schema() -> dict[str, Any]:
    """The JSON Schema of the envelope and every body (draft 2020-12), as published in docs/exchange-schema.json."""
    (envelope, *_bodies), components = msgspec.json.schema_components(
        [Envelope, ReferralBody, StatusBody, AnswerBody, FetchBody], ref_template="#/$defs/{name}"
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "ipcoord-exchange/1",
        "title": "ipcoord-exchange/1 message payload (the JWS payload) and the bodies of its types",
        **envelope,
        "$defs": components,
    }
