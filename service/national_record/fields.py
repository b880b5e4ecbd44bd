"""Pure: one decision and its incident as the national record's item, what Article 9 still misses, the sheet's
columns. No database, no Litestar."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schemas.national_record import NationalRecordItem
from service import i18n, labels
from service.exports.columns import Cell, CellType
from service.incidents.models import Incident
from service.sanctions.models import SanctionDecision

# What Article 9 asks of each kind of violator; a household business is registered but answered for by a person.
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "individual": ("violator_name", "violator_birth_date", "violator_sex", "violator_id_number"),
    "household_business": ("violator_name", "violator_birth_date", "violator_sex", "violator_id_number"),
    "organisation": ("violator_name", "registration_number", "violator_address", "legal_representative"),
}


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def item(decision: SanctionDecision, incident: Incident, agency_code: str, agency_name: str) -> NationalRecordItem:
    """The national record's item of one decision; ``missing`` lists what Article 9 asks and the record lacks."""
    violator = incident.payload.get("violator") or {}
    violator_type = str(violator.get("type") or "individual")
    tax_code = _text(violator.get("tax_code"))
    fields: dict[str, Any] = {
        "violator_name": _text(violator.get("name")),
        "violator_birth_date": decision.violator_birth_date,
        "violator_sex": decision.violator_sex,
        "violator_id_number": _text(violator.get("id_number")),
        "violator_address": _text(violator.get("address")),
        # An enterprise's registration number is its tax code (Law on Enterprises 2020, Art. 29).
        "registration_number": decision.registration_number or (tax_code if violator_type != "individual" else None),
        "tax_code": tax_code,
        "legal_representative": decision.legal_representative,
    }
    missing = [name for name in REQUIRED[violator_type] if fields[name] is None]
    return NationalRecordItem(
        sanction_id=decision.id,
        incident_id=incident.id,
        violator_type=violator_type,  # type: ignore[arg-type]
        decision_number=decision.number,
        decided_on=decision.decided_on,
        acts=list(decision.acts),  # type: ignore[arg-type]
        principal_sanction=decision.principal_sanction,  # type: ignore[arg-type]
        additional_sanctions=list(decision.additional_sanctions),  # type: ignore[arg-type]
        fine_vnd=decision.fine_vnd,
        remedial_measures=list(decision.remedial_measures),  # type: ignore[arg-type]
        deciding_agency_code=agency_code,
        deciding_agency_name=agency_name,
        decider_name=decision.decider_name,
        decider_title=decision.decider_title,
        execution_status=decision.payment_status,  # type: ignore[arg-type]
        executed_on=decision.executed_on,
        missing=missing,
        **fields,
    )


def _value(code: str) -> str:
    key = f"ui.incident.value.{code}"
    return i18n.message(key) if key in i18n.MESSAGES else code


def _values(codes: Sequence[str]) -> str | None:
    return "; ".join(_value(code) for code in codes) or None


def _sex(value: str | None) -> str | None:
    return i18n.message(f"national_record.sex.{value}") if value else None


def _acts(record: NationalRecordItem) -> str:
    return "; ".join(labels.label(labels.INFRINGEMENT_ACTS, act) for act in record.acts)


def _missing(record: NationalRecordItem) -> str | None:
    return "; ".join(i18n.message(f"national_record.field.{name}") for name in record.missing) or None


@dataclass(frozen=True)
class Column:
    """One column of the sheet: its header (catalogue code), its cell type and its cell."""

    header: str
    type: CellType
    cell: Callable[[NationalRecordItem], Cell]


COLUMNS: tuple[Column, ...] = (
    Column("national_record.col.decision_number", "text", lambda o: o.decision_number),
    Column("national_record.col.decided_on", "date", lambda o: o.decided_on),
    Column("national_record.col.violator_type", "text", lambda o: _value(o.violator_type)),
    Column("national_record.col.violator_name", "text", lambda o: o.violator_name),
    Column("national_record.col.birth_date", "date", lambda o: o.violator_birth_date),
    Column("national_record.col.sex", "text", lambda o: _sex(o.violator_sex)),
    Column("national_record.col.id_number", "text", lambda o: o.violator_id_number),
    Column("national_record.col.registration_number", "text", lambda o: o.registration_number),
    Column("national_record.col.address", "text", lambda o: o.violator_address),
    Column("national_record.col.legal_representative", "text", lambda o: o.legal_representative),
    Column("national_record.col.acts", "text", _acts),
    Column("national_record.col.principal", "text", lambda o: _value(o.principal_sanction)),
    Column("national_record.col.fine", "money", lambda o: o.fine_vnd),
    Column("national_record.col.additional", "text", lambda o: _values(o.additional_sanctions)),
    Column("national_record.col.remedial", "text", lambda o: _values(o.remedial_measures)),
    Column("national_record.col.agency", "text", lambda o: o.deciding_agency_name),
    Column("national_record.col.decider_name", "text", lambda o: o.decider_name),
    Column("national_record.col.decider_title", "text", lambda o: o.decider_title),
    Column("national_record.col.execution", "text", lambda o: _value(o.execution_status)),
    Column("national_record.col.executed_on", "date", lambda o: o.executed_on),
    Column("national_record.col.missing", "text", _missing),
)  # fmt: skip


def row(record: NationalRecordItem) -> tuple[Cell, ...]:
    """One row of the sheet."""
    return tuple(column.cell(record) for column in COLUMNS)
