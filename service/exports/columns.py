"""The columns of each export: a catalogue code for the header, a cell type, and how the API view fills it.

Cells are read from the same Structs the list routes return (IncidentOut, ReferralOut, SanctionListItem), so an
export shows exactly what the API shows that caller: personal ID numbers are already redacted when they must be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Literal, TypeVar

from schemas.incidents import IncidentOut
from schemas.referrals import ReferralOut
from schemas.sanctions import SanctionListItem
from service import i18n, labels
from service.admin_units.service import bundled_registry

CellType = Literal["text", "date", "number", "money"]
Cell = str | int | float | date | None
T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its header (catalogue code), the type of its cells and the cell of one item."""

    header: str
    type: CellType
    cell: Callable[[T], Cell]


def headers(columns: Sequence[Column[Any]], lang: i18n.Language = "vi") -> list[str]:
    """The header row in one language."""
    return [i18n.message(column.header, lang) for column in columns]


def cells(columns: Sequence[Column[T]], item: T) -> tuple[Cell, ...]:
    """One row."""
    return tuple(column.cell(item) for column in columns)


def _yes_no(value: bool) -> str:
    return i18n.message("export.yes" if value else "export.no")


def _unit_name(code: str | None, generation: str) -> str | None:
    if code is None:
        return None
    names = bundled_registry().names.get((code, generation))
    return names[1] if names else code


def _labels(table: dict[str, tuple[str, str]], out: IncidentOut, key: str) -> str:
    return "; ".join(labels.label(table, str(code)) for code in out.data.get(key) or ())


def _violator(out: IncidentOut, key: str) -> str | None:
    violator = out.data.get("violator") or {}
    value = violator.get(key)
    return None if value is None else str(value)


INCIDENT_COLUMNS: tuple[Column[IncidentOut], ...] = (
    Column("export.incident.id", "text", lambda o: str(o.id)),
    Column("export.incident.kind", "text", lambda o: labels.label(labels.KINDS, o.kind)),
    Column("export.incident.status", "text", lambda o: i18n.message(f"export.incident_status.{o.status}")),
    Column("export.incident.agency", "text", lambda o: o.agency_code),
    Column("export.incident.recorded_by", "text", lambda o: o.recorded_by),
    Column("export.incident.occurred_on", "date", lambda o: o.occurred_at.date()),
    Column("export.incident.recorded_on", "date", lambda o: o.recorded_at.date()),
    Column("export.incident.unit_2025", "text", lambda o: o.place.unit_2025),
    Column("export.incident.unit_2025_name", "text", lambda o: _unit_name(o.place.unit_2025, "2025")),
    Column("export.incident.district_2024", "text", lambda o: o.place.district_2024),
    Column("export.incident.district_2024_name", "text", lambda o: _unit_name(o.place.district_2024, "2024")),
    Column("export.incident.address", "text", lambda o: o.place.address),
    Column("export.incident.lon", "number", lambda o: o.place.lon),
    Column("export.incident.lat", "number", lambda o: o.place.lat),
    Column("export.incident.subject_matter", "text", lambda o: _labels(labels.SUBJECT_MATTERS, o, "subject_matter")),
    Column("export.incident.acts", "text", lambda o: _labels(labels.INFRINGEMENT_ACTS, o, "infringement_acts")),
    Column("export.incident.goods_value", "money", lambda o: o.goods_value_vnd),
    Column("export.incident.violator", "text", lambda o: _violator(o, "name")),
    Column("export.incident.violator_id", "text", lambda o: _violator(o, "id_number")),
    Column("export.incident.violator_tax_code", "text", lambda o: _violator(o, "tax_code")),
    Column("export.incident.crime_signs", "text", lambda o: _yes_no(bool(o.crime_signs))),
    Column("export.incident.summary", "text", lambda o: o.data.get("summary") or None),
)  # fmt: skip


def _next_due(out: ReferralOut) -> date | None:
    return min((clock.due_on for clock in out.clocks), default=None)


def _days_left(out: ReferralOut) -> int | None:
    return min((clock.days_left for clock in out.clocks), default=None)


def _local_day(value: Any) -> date | None:
    return None if value is None else value.date()


REFERRAL_COLUMNS: tuple[Column[ReferralOut], ...] = (
    Column("export.referral.id", "text", lambda o: str(o.id)),
    Column("export.referral.incident_id", "text", lambda o: str(o.incident_id)),
    Column("export.referral.from_agency", "text", lambda o: o.from_agency),
    Column("export.referral.to_agency", "text", lambda o: o.to_agency),
    Column("export.referral.type", "text", lambda o: i18n.message(f"export.referral_type.{o.type}")),
    Column("export.referral.status", "text", lambda o: i18n.message(f"export.referral_status.{o.status}")),
    Column("export.referral.sent_on", "date", lambda o: o.sent_at.date()),
    Column("export.referral.acknowledged_on", "date", lambda o: _local_day(o.acknowledged_at)),
    Column("export.referral.closed_on", "date", lambda o: _local_day(o.closed_at)),
    Column("export.referral.due_on", "date", _next_due),
    Column("export.referral.days_left", "number", _days_left),
    Column("export.referral.overdue", "text", lambda o: _yes_no(o.overdue)),
    Column("export.referral.outcome", "text", lambda o: o.outcome),
    Column("export.referral.message", "text", lambda o: o.message or None),
)


def _value(code: str) -> str:
    """A sanction code (principal or additional sanction, remedial measure, payment status) as its label."""
    return i18n.message(f"ui.incident.value.{code}") if f"ui.incident.value.{code}" in i18n.MESSAGES else code


def _values(codes: Sequence[str]) -> str | None:
    return "; ".join(_value(code) for code in codes) or None


def _acts(out: SanctionListItem) -> str:
    return "; ".join(labels.label(labels.INFRINGEMENT_ACTS, code) for code in out.acts)


SANCTION_COLUMNS: tuple[Column[SanctionListItem], ...] = (
    Column("export.sanction.id", "text", lambda o: str(o.id)),
    Column("export.sanction.number", "text", lambda o: o.number),
    Column("export.sanction.decided_on", "date", lambda o: o.decided_on),
    Column("export.sanction.agency", "text", lambda o: o.agency_code),
    Column("export.sanction.decider_name", "text", lambda o: o.decider_name),
    Column("export.sanction.decider_title", "text", lambda o: o.decider_title),
    Column("export.sanction.acts", "text", _acts),
    Column("export.sanction.principal", "text", lambda o: _value(o.principal_sanction)),
    Column("export.sanction.fine", "money", lambda o: o.fine_vnd),
    Column("export.sanction.additional", "text", lambda o: _values(o.additional_sanctions)),
    Column("export.sanction.remedial", "text", lambda o: _values(o.remedial_measures)),
    Column("export.sanction.payment", "text", lambda o: _value(o.payment_status)),
    Column("export.sanction.incident_id", "text", lambda o: str(o.incident_id)),
    Column("export.sanction.incident_kind", "text", lambda o: labels.label(labels.KINDS, o.incident_kind)),
    Column("export.sanction.incident_agency", "text", lambda o: o.incident_agency_code),
    Column("export.sanction.occurred_on", "date", lambda o: o.incident_occurred_at.date()),
    Column("export.sanction.unit_2025", "text", lambda o: o.unit_2025),
    Column("export.sanction.unit_2025_name", "text", lambda o: _unit_name(o.unit_2025, "2025")),
    Column("export.sanction.violator", "text", lambda o: o.violator_name),
    Column("export.sanction.violator_id", "text", lambda o: o.violator_id_number),
    Column("export.sanction.violator_tax_code", "text", lambda o: o.violator_tax_code),
)  # fmt: skip
