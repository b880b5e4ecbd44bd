"""Incidents: one tagged union on `kind` for input, one output shape, corrections and history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

import msgspec

from schemas.base import Latitude, Longitude, Schema
from schemas.clocks import ClockOut
from schemas.codes import (
    AdMedium,
    CustomsRequester,
    DisputeRoute,
    ExternalRefKind,
    IncidentKind,
    IncidentStatus,
    InfringementAct,
    MediationOutcome,
    Recognition,
    SubjectMatter,
    ViolatorType,
)

AwareDatetime = Annotated[datetime, msgspec.Meta(tz=True, description="ISO 8601 có múi giờ / with time zone")]
Vnd = Annotated[int, msgspec.Meta(ge=0, le=10**15, description="Số tiền (đồng) / Amount in VND, whole đồng")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
LongText = Annotated[str, msgspec.Meta(max_length=5000)]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="SHA-256, hex")]
Url = Annotated[str, msgspec.Meta(min_length=4, max_length=2000, pattern=r"^https?://")]


class LocationIn(Schema, kw_only=True):
    """A GPS point (WGS84) with an optional address."""

    lon: Longitude
    lat: Latitude
    address: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class UnitPick(Schema, kw_only=True):
    """An administrative unit chosen by the reporter when there is no GPS."""

    generation: Literal["2024", "2025"]
    code: Annotated[str, msgspec.Meta(pattern=r"^\d{3,5}$")]


class RightHolder(Schema, kw_only=True):
    """The owner of the infringed right."""

    name: Text
    mark: Text | None = None
    registration_number: Text | None = None


class Violator(Schema, kw_only=True):
    """Who infringed; ID numbers are shown only to the recording agency and coordinators."""

    type: ViolatorType
    name: Text
    id_number: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    tax_code: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    address: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class LegalBasis(Schema, kw_only=True):
    """One provision relied on: document, article, clause, point."""

    document: Text
    article: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    clause: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    point: Annotated[str, msgspec.Meta(max_length=20)] | None = None


class GoodsLine(Schema, kw_only=True):
    """One line of seized goods; its value is quantity × unit price."""

    description: Text
    infringed_mark: Text
    quantity: Annotated[int, msgspec.Meta(ge=1, le=10**9)]
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
    unit_price_vnd: Vnd


class DecisionRef(Schema, kw_only=True):
    """A numbered, dated decision (e.g. temporary seizure)."""

    number: Text
    date: date


class ExternalRef(Schema, kw_only=True):
    """A number another system gave the same case: QLTT's INS case, a customs declaration, a court case..."""

    kind: ExternalRefKind
    number: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"[0-9A-Za-z]")]


class Party(Schema, kw_only=True):
    """A party to a dispute."""

    role: Literal["claimant", "respondent", "other"]
    name: Text


class _IncidentIn(Schema, tag_field="kind", kw_only=True):
    """Fields every incident has."""

    # Either a GPS point or a picked unit (schemas/rules.py reads this; the service checks it too).
    one_of: ClassVar[tuple[tuple[tuple[str, ...], str], ...]] = ((("location", "unit"), "incident.place_required"),)
    occurred_at: AwareDatetime
    detected_at: AwareDatetime | None = None
    team: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    location: LocationIn | None = None
    unit: UnitPick | None = None
    subject_matter: Annotated[list[SubjectMatter], msgspec.Meta(min_length=1, max_length=15)]
    infringement_acts: Annotated[list[InfringementAct], msgspec.Meta(min_length=1, max_length=15)]
    right_holder: RightHolder | None = None
    violator: Violator | None = None
    legal_basis: Annotated[list[LegalBasis], msgspec.Meta(max_length=20)] = []
    external_refs: Annotated[list[ExternalRef], msgspec.Meta(max_length=10)] = []
    is_counterfeit: bool = False
    is_ip_infringement: bool = True
    illegal_profit_vnd: Vnd | None = None
    damage_vnd: Vnd | None = None
    summary: LongText = ""


class SeizureIn(_IncidentIn, tag="seizure", kw_only=True):
    """Kiểm tra, thu giữ hàng hóa vi phạm / Inspection and seizure of infringing goods."""

    record_number: Text
    goods: Annotated[list[GoodsLine], msgspec.Meta(min_length=1, max_length=200)]
    temporary_seizure_decision: DecisionRef | None = None
    storage_place: Annotated[str, msgspec.Meta(max_length=300)] | None = None


class CustomsSuspensionIn(_IncidentIn, tag="customs_suspension", kw_only=True):
    """Tạm dừng làm thủ tục hải quan / Suspension of customs clearance."""

    declaration_number: Text
    border_gate: Text = "Ma Lù Thàng"
    requester: CustomsRequester
    requester_name: Text | None = None
    security_deposit_vnd: Vnd
    suspension_start: date
    suspension_end: date | None = None


class AdvertisingViolationIn(_IncidentIn, tag="advertising_violation", kw_only=True):
    """Quảng cáo vi phạm / Advertising infringing IP."""

    one_of: ClassVar[tuple[tuple[tuple[str, ...], str], ...]] = (
        *_IncidentIn.one_of,
        (("content", "url"), "incident.ad_content_required"),
    )

    medium: AdMedium
    advertiser: Text
    content: LongText | None = None
    url: Url | None = None
    product: Text


class OnlineInfringementIn(_IncidentIn, tag="online_infringement", kw_only=True):
    """Xâm phạm trên môi trường mạng / Online infringement."""

    platform: Text
    url: Url
    seller_account: Text
    captured_at: AwareDatetime
    screenshot_sha256: Sha256 | None = None


class CopyrightInfringementIn(_IncidentIn, tag="copyright_infringement", kw_only=True):
    """Xâm phạm quyền tác giả, quyền liên quan / Copyright or related-rights infringement."""

    work_title: Text
    copy_type: Text
    copies: Annotated[int, msgspec.Meta(ge=1, le=10**9)]


class PlantVarietyInfringementIn(_IncidentIn, tag="plant_variety_infringement", kw_only=True):
    """Xâm phạm quyền đối với giống cây trồng / Plant-variety-right infringement."""

    variety_name: Text
    certificate_number: Text
    quantity: Annotated[int, msgspec.Meta(ge=1, le=10**9)]
    quantity_unit: Annotated[str, msgspec.Meta(min_length=1, max_length=30)] = "kg"


class DisputeIn(_IncidentIn, tag="dispute", kw_only=True):
    """Tranh chấp SHTT / An IP dispute (civil or commercial)."""

    parties: Annotated[list[Party], msgspec.Meta(min_length=2, max_length=20)]
    claim: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]
    amount_claimed_vnd: Vnd | None = None
    route: DisputeRoute


class MediationOutcomeIn(_IncidentIn, tag="mediation_outcome", kw_only=True):
    """Kết quả hòa giải / The outcome of mediating a dispute."""

    settles_incident_id: uuid.UUID
    mediator: Text
    outcome: MediationOutcome
    outcome_date: date
    recognition: Recognition | None = None


IncidentIn = (
    SeizureIn
    | CustomsSuspensionIn
    | AdvertisingViolationIn
    | OnlineInfringementIn
    | CopyrightInfringementIn
    | PlantVarietyInfringementIn
    | DisputeIn
    | MediationOutcomeIn
)
INCIDENT_INPUTS: dict[str, type[_IncidentIn]] = {cls.__struct_config__.tag: cls for cls in IncidentIn.__args__}


class IncidentCorrection(Schema, kw_only=True):
    """A correction: the changed fields of the incident's input, and why (required)."""

    version: Annotated[
        int, msgspec.Meta(ge=1, le=2_147_483_647, description="Phiên bản đang sửa / The version being corrected")
    ]
    reason: Annotated[str, msgspec.Meta(min_length=5, max_length=2000)]
    changes: dict[str, Any]


class IncidentWithdrawal(Schema, kw_only=True):
    """Withdraw an incident recorded in error; it stays on record."""

    version: Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]
    reason: Annotated[str, msgspec.Meta(min_length=5, max_length=2000)]


class PlaceOut(Schema, kw_only=True):
    """Where an incident happened, in both generations."""

    lon: float | None
    lat: float | None
    address: str | None
    source: Literal["gps", "picked", "crosswalk"]
    unit_2025: str | None
    commune_2024: str | None
    district_2024: str | None
    district_2024_split: bool


class CrimeSign(Schema, kw_only=True):
    """A criminal threshold the incident reaches: refer it to the police."""

    article: str
    measure: Literal["goods_value", "illegal_profit", "damage"]
    threshold_vnd: int
    value_vnd: int
    legal_basis: str


class IncidentOut(Schema, kw_only=True):
    """An incident as its readers see it."""

    id: uuid.UUID
    kind: IncidentKind
    status: IncidentStatus
    version: int
    agency_code: str
    recorded_by: str
    recorded_at: datetime
    updated_at: datetime
    occurred_at: datetime
    place: PlaceOut
    goods_value_vnd: int | None
    crime_signs: list[CrimeSign]
    clocks: list[ClockOut]
    data: dict[str, Any]
    case_id: uuid.UUID | None = None  # incidents a coordinator linked as one case share it
    anonymised_at: datetime | None = None  # when the violator's personal data was anonymised (retention); None: kept


class HistoryEntryOut(Schema, kw_only=True):
    """One append-only entry of an incident's history."""

    version: int
    action: str
    actor: str | None  # the user's name; None: the system (e.g. the retention job's "anonymised" entry)
    at: datetime
    reason: str | None
    changes: dict[str, Any]
