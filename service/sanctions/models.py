"""Sanction decisions on incidents and the versioned fine ceilings they are checked against."""

from __future__ import annotations

import uuid
from datetime import date

from advanced_alchemy.base import BigIntBase, UUIDv7AuditBase
from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column


class SanctionDecision(UUIDv7AuditBase):
    """A sanction decision (quyết định xử phạt) attached to an incident; fines are whole VND."""

    __tablename__ = "sanction_decisions"
    __table_args__ = (
        CheckConstraint("fine_vnd >= 0", name="fine_not_negative"),
        CheckConstraint("violator_sex IN ('male', 'female')", name="violator_sex_known"),
        Index("ix_sanction_decisions_decided", "decided_on", "id"),  # the list's order and its cursor
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[date] = mapped_column(Date)
    decider_name: Mapped[str] = mapped_column(String(200))
    decider_title: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    acts: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    principal_sanction: Mapped[str] = mapped_column(String(20))
    additional_sanctions: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    remedial_measures: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    fine_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    payment_status: Mapped[str] = mapped_column(String(20), default="unpaid")
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # The national record's fields (Decree 20/2016/NĐ-CP, Art. 9) the incident does not hold. Birth date, sex and
    # the legal representative are personal data: shown as the violator's ID number is, scrubbed by retention.
    violator_birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    violator_sex: Mapped[str | None] = mapped_column(String(10), default=None)
    registration_number: Mapped[str | None] = mapped_column(String(60), default=None)
    legal_representative: Mapped[str | None] = mapped_column(String(200), default=None)
    executed_on: Mapped[date | None] = mapped_column(Date, default=None)


class FineCeiling(BigIntBase):
    """Versioned maximum administrative fine per sector and violator type (DOMAIN.md §5)."""

    __tablename__ = "fine_ceilings"

    sector: Mapped[str] = mapped_column(String(30))
    violator_type: Mapped[str] = mapped_column(String(30))
    max_fine_vnd: Mapped[int] = mapped_column(BigInteger)
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)
