"""Incidents, their append-only history, idempotency keys, external reference numbers, and crime thresholds."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from advanced_alchemy.base import BigIntBase, UUIDv7AuditBase
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column


class Incident(UUIDv7AuditBase):
    """One enforcement case. `payload` is the validated input; the columns beside it are derived for queries."""

    __tablename__ = "incidents"
    __table_args__ = (
        CheckConstraint("goods_value_vnd IS NULL OR goods_value_vnd >= 0", name="goods_value_not_negative"),
        Index("ix_incidents_agency_recorded", "agency_id", "recorded_at"),
        Index("ix_incidents_recorded", "recorded_at", "id"),
        # The list's two common filters, newest first (GET /api/incidents: a kind, a unit): the page is read off
        # the index instead of walking every recent incident for matches. They also serve kind = / unit = alone.
        # The kind's carries the date and acts too: a page's ids by kind, date and act come off the index alone.
        Index(
            "ix_incidents_kind_recorded",
            "kind",
            "recorded_at",
            "id",
            postgresql_include=["occurred_at", "infringement_acts"],
        ),
        Index("ix_incidents_unit_recorded", "unit_2025", "recorded_at", "id"),
        Index("ix_incidents_subject_matter", "subject_matter", postgresql_using="gin"),
        Index("ix_incidents_acts", "infringement_acts", postgresql_using="gin"),
    )

    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30), default="recorded", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    detected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    lon: Mapped[float | None] = mapped_column(Float, default=None)
    lat: Mapped[float | None] = mapped_column(Float, default=None)
    location_source: Mapped[str] = mapped_column(String(10))
    unit_2025: Mapped[str | None] = mapped_column(String(5), default=None)
    commune_2024: Mapped[str | None] = mapped_column(String(5), index=True, default=None)
    district_2024: Mapped[str | None] = mapped_column(String(5), index=True, default=None)
    district_2024_split: Mapped[bool] = mapped_column(Boolean, default=False)
    subject_matter: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    infringement_acts: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    is_counterfeit: Mapped[bool] = mapped_column(Boolean, default=False)
    is_ip_infringement: Mapped[bool] = mapped_column(Boolean, default=True)
    goods_value_vnd: Mapped[int | None] = mapped_column(BigInteger, default=None)
    crime_signs: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    search_text: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # One case counted once: incidents a coordinator linked share a case (service/cases).
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("linked_cases.id"), index=True, default=None)
    # Retention: when the violator's personal data was anonymised (service/retention); None while kept.
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class IncidentEvent(BigIntBase):
    """Append-only history: who changed what, when and why. Never updated, never deleted."""

    __tablename__ = "incident_events"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)  # None: the system
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class IdempotencyKey(BigIntBase):
    """A client's Idempotency-Key for a POST: the same key and body return the first result."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="user_key"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(100))
    request_sha256: Mapped[str] = mapped_column(String(64))
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CrimeThreshold(BigIntBase):
    """Versioned Penal Code threshold: reaching it is a sign of a crime (DOMAIN.md §5)."""

    __tablename__ = "crime_thresholds"

    article: Mapped[str] = mapped_column(String(40))
    acts: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    measure: Mapped[str] = mapped_column(String(20))
    threshold_vnd: Mapped[int] = mapped_column(BigInteger)
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)


class IncidentReference(BigIntBase):
    """An external reference number of an incident (QLTT INS case, customs declaration, court case, ...).

    Derived from the incident's payload whenever it is recorded or corrected; ``number_key`` is the number folded
    to upper-case letters and digits, so "INS 2026/015" and "ins-2026-015" are the same number.
    """

    __tablename__ = "incident_references"
    __table_args__ = (
        UniqueConstraint("incident_id", "kind", "number_key", name="incident_reference_once"),
        Index("ix_incident_references_kind_key", "kind", "number_key"),
        Index("ix_incident_references_key", "number_key"),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(200))
    number_key: Mapped[str] = mapped_column(String(200))
