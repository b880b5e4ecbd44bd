"""Sanction decisions (quyết định xử phạt) of DOMAIN.md §3 and their payment status."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from schemas.base import Schema
from schemas.codes import (
    AdditionalSanction,
    IncidentKind,
    InfringementAct,
    PaymentStatus,
    PrincipalSanction,
    RemedialMeasure,
    Sex,
)

DecisionNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=100, description="Số quyết định / Number")]
PersonText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
FineVnd = Annotated[
    int,
    msgspec.Meta(ge=0, le=10**15, description="Số tiền phạt (đồng, số nguyên) / Fine in whole VND"),
]
Reason = Annotated[str, msgspec.Meta(min_length=5, max_length=2000, description="Lý do / Reason")]
RegistrationNumber = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=60,
        pattern=r"^[0-9A-Za-z/.\-]+$",
        description="Mã số doanh nghiệp / số giấy chứng nhận đăng ký, giấy phép thành lập / Registration number",
    ),
]
Representative = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, description="Người đại diện theo pháp luật / Legal representative")
]
ExecutedOn = Annotated[
    date,
    msgspec.Meta(description="Ngày thi hành xong (khi đã nộp phạt hoặc cưỡng chế) / Day the decision was carried out"),
]


class _SanctionFields(Schema, kw_only=True):
    """What a sanction decision states."""

    number: DecisionNumber
    decided_on: date
    decider_name: PersonText
    decider_title: PersonText
    acts: Annotated[list[InfringementAct], msgspec.Meta(min_length=1, max_length=15)]
    principal_sanction: PrincipalSanction
    additional_sanctions: Annotated[list[AdditionalSanction], msgspec.Meta(max_length=4)] = []
    remedial_measures: Annotated[list[RemedialMeasure], msgspec.Meta(max_length=9)] = []
    fine_vnd: FineVnd
    payment_status: PaymentStatus = "unpaid"
    # What the national record of administrative violations (Decree 20/2016/NĐ-CP, Art. 9) asks and the incident
    # does not hold: optional, checked against the violator's type and the decision's day.
    violator_birth_date: Annotated[date, msgspec.Meta(description="Ngày sinh (cá nhân) / Date of birth")] | None = None
    violator_sex: Annotated[Sex, msgspec.Meta(description="Giới tính (cá nhân) / Sex")] | None = None
    registration_number: RegistrationNumber | None = None
    legal_representative: Representative | None = None
    executed_on: ExecutedOn | None = None


# The decision's fields that are the violator's personal data: null for readers the violator's ID number is hidden
# from (agencies the incident was only referred to), and scrubbed with the incident's personal data by retention.
PERSONAL_FIELDS = ("violator_birth_date", "violator_sex", "legal_representative")


class SanctionIn(_SanctionFields, kw_only=True):
    """Ghi quyết định xử phạt / Record a sanction decision on an incident."""


class SanctionOut(_SanctionFields, kw_only=True):
    """Quyết định xử phạt / A sanction decision as its readers see it."""

    id: uuid.UUID
    incident_id: uuid.UUID
    agency_code: str
    created_at: datetime


class PaymentUpdate(Schema, kw_only=True):
    """Cập nhật tình trạng thi hành / Change a decision's payment status, with the reason."""

    payment_status: PaymentStatus
    reason: Reason
    executed_on: ExecutedOn | None = None


# The province-wide list of sanction decisions (GET /api/sanctions): each decision with its incident's facts.


class SanctionListItem(SanctionOut, kw_only=True):
    """Quyết định xử phạt trong danh sách / A decision in the list, with its incident's kind, time, place, violator.

    The violator's ID number and tax code are null for readers the incident API hides them from (agencies the
    incident was only referred to), exactly as in GET /api/incidents/{id}.
    """

    incident_kind: IncidentKind
    incident_agency_code: str
    incident_occurred_at: datetime
    unit_2025: str | None
    violator_name: str | None
    violator_id_number: str | None
    violator_tax_code: str | None


class SanctionPage(Schema, kw_only=True):
    """One page of sanction decisions, newest decided first, and the cursor of the next."""

    items: list[SanctionListItem]
    next_cursor: str | None
