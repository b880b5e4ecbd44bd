"""The national record of administrative violations: sanction decisions in the field set of Decree 20/2016/NĐ-CP.

Article 9 of Decree 20/2016/NĐ-CP (the national database on handling administrative violations) lists what each
sanction decision carries: the violator (a person's name, date of birth, ID card or passport number and sex; an
organisation's name, registration number, address and legal representative), the decision's number and date, the
acts, the sanction and fine, the remedial measures, the deciding agency and the decider's title, and its execution.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from schemas.base import Schema
from schemas.codes import (
    AdditionalSanction,
    InfringementAct,
    PaymentStatus,
    PrincipalSanction,
    RemedialMeasure,
    Sex,
    ViolatorType,
)

FIELD_SET = "Nghị định 20/2016/NĐ-CP, Điều 9 / Decree 20/2016/NĐ-CP, Art. 9"


class NationalRecordItem(Schema, kw_only=True):
    """Một quyết định xử phạt theo trường của CSDL quốc gia / One decision in the national record's fields.

    ``missing`` names the fields Article 9 asks for this violator that the record does not hold yet (to complete
    on the sanction form before the record is sent).
    """

    sanction_id: uuid.UUID
    incident_id: uuid.UUID
    violator_type: ViolatorType
    violator_name: str | None
    violator_birth_date: date | None
    violator_sex: Sex | None
    violator_id_number: str | None
    violator_address: str | None
    registration_number: str | None
    tax_code: str | None
    legal_representative: str | None
    decision_number: str
    decided_on: date
    acts: list[InfringementAct]
    principal_sanction: PrincipalSanction
    additional_sanctions: list[AdditionalSanction]
    fine_vnd: int
    remedial_measures: list[RemedialMeasure]
    deciding_agency_code: str
    deciding_agency_name: str
    decider_name: str
    decider_title: str
    execution_status: PaymentStatus
    executed_on: date | None
    missing: list[str]


class NationalRecord(Schema, kw_only=True):
    """Các quyết định xử phạt trong kỳ / The period's decisions, oldest decided first, for the national database."""

    field_set: str
    decided_from: date
    decided_to: date
    generated_at: datetime
    items: list[NationalRecordItem]
