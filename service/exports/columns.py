"""The columns of each export: a catalogue code for the header, a cell type, and how its cells are filled.

Every export is projected (``Field``): its statement selects plain values, redaction included
(service/exports/repository.py), and each field turns a batch's column of values into cells at once, labels looked
up once per distinct code. The tests hold each export to what its list's API shows the same caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from service import i18n, labels
from service.admin_units.service import bundled_registry

CellType = Literal["text", "date", "number", "money"]
Cell = str | int | float | date | None
Show = Callable[[Sequence[Any]], list[Cell]]


def headers(columns: Sequence[Field], lang: i18n.Language = "vi") -> list[str]:
    """The header row in one language."""
    return [i18n.message(column.header, lang) for column in columns]


def _yes_no(value: bool) -> str:
    return i18n.message("export.yes" if value else "export.no")


def _unit_name(code: str | None, generation: str) -> str | None:
    if code is None:
        return None
    names = bundled_registry().names.get((code, generation))
    return names[1] if names else code


def each(show: Callable[[Any], Cell]) -> Show:
    """A column whose cells depend on one value each (labels, names): computed once per distinct value."""

    def column(values: Sequence[Any]) -> list[Cell]:
        known = {value: show(value) for value in set(values)}
        return [known[value] for value in values]

    return column


def as_is(values: Sequence[Any]) -> list[Cell]:
    return list(values)


@dataclass(frozen=True)
class Field:
    """One column of a projected export: header, cell type and its cells from the selected values (vectorised).

    The i-th field shows the i-th value of the export's statement (service/exports/repository.py).
    """

    header: str
    type: CellType
    show: Show = as_is


def _label_list(table: dict[str, tuple[str, str]]) -> Callable[[str | None], Cell]:
    """A JSON list of codes (as stored in the payload) as its labels, "; "-separated; none: an empty cell text."""

    def show(codes: str | None) -> str:
        return "; ".join(labels.label(table, str(code)) for code in (json.loads(codes) if codes else None) or ())

    return show


def _status(status: str) -> str:
    return i18n.message(f"export.incident_status.{status}")


INCIDENT_FIELDS: tuple[Field, ...] = (
    Field("export.incident.id", "text"),
    Field("export.incident.kind", "text", each(lambda kind: labels.label(labels.KINDS, kind))),
    Field("export.incident.status", "text", each(_status)),
    Field("export.incident.agency", "text"),
    Field("export.incident.recorded_by", "text"),
    Field("export.incident.occurred_on", "date"),
    Field("export.incident.recorded_on", "date"),
    Field("export.incident.unit_2025", "text"),
    Field("export.incident.unit_2025_name", "text", each(lambda code: _unit_name(code, "2025"))),
    Field("export.incident.district_2024", "text"),
    Field("export.incident.district_2024_name", "text", each(lambda code: _unit_name(code, "2024"))),
    Field("export.incident.address", "text"),
    Field("export.incident.lon", "number"),
    Field("export.incident.lat", "number"),
    Field("export.incident.subject_matter", "text", each(_label_list(labels.SUBJECT_MATTERS))),
    Field("export.incident.acts", "text", each(_label_list(labels.INFRINGEMENT_ACTS))),
    Field("export.incident.goods_value", "money"),
    Field("export.incident.violator", "text"),
    Field("export.incident.violator_id", "text"),
    Field("export.incident.violator_tax_code", "text"),
    Field("export.incident.crime_signs", "text", each(_yes_no)),
    Field("export.incident.summary", "text"),
)  # fmt: skip


def _message(prefix: str) -> Show:
    return each(lambda code: i18n.message(f"{prefix}.{code}"))


REFERRAL_FIELDS: tuple[Field, ...] = (
    Field("export.referral.id", "text"),
    Field("export.referral.incident_id", "text"),
    Field("export.referral.from_agency", "text"),
    Field("export.referral.to_agency", "text"),
    Field("export.referral.type", "text", _message("export.referral_type")),
    Field("export.referral.status", "text", _message("export.referral_status")),
    Field("export.referral.sent_on", "date"),
    Field("export.referral.acknowledged_on", "date"),
    Field("export.referral.closed_on", "date"),
    Field("export.referral.due_on", "date"),  # due_on, days_left, overdue: from the clocks (service.py)
    Field("export.referral.days_left", "number"),
    Field("export.referral.overdue", "text", each(_yes_no)),
    Field("export.referral.outcome", "text"),
    Field("export.referral.message", "text"),
)


def _value(code: str) -> str:
    """A sanction code (principal or additional sanction, remedial measure, payment status) as its label."""
    return i18n.message(f"ui.incident.value.{code}") if f"ui.incident.value.{code}" in i18n.MESSAGES else code


def _values(codes: str) -> str | None:
    """Comma-separated sanction codes (repository._codes) as their labels, "; "-separated; none: no cell."""
    return "; ".join(_value(code) for code in codes.split(",") if code) or None


def _acts(codes: str) -> str:
    return "; ".join(labels.label(labels.INFRINGEMENT_ACTS, code) for code in codes.split(",") if code)


SANCTION_FIELDS: tuple[Field, ...] = (
    Field("export.sanction.id", "text"),
    Field("export.sanction.number", "text"),
    Field("export.sanction.decided_on", "date"),
    Field("export.sanction.agency", "text"),
    Field("export.sanction.decider_name", "text"),
    Field("export.sanction.decider_title", "text"),
    Field("export.sanction.acts", "text", each(_acts)),
    Field("export.sanction.principal", "text", each(_value)),
    Field("export.sanction.fine", "money"),
    Field("export.sanction.additional", "text", each(_values)),
    Field("export.sanction.remedial", "text", each(_values)),
    Field("export.sanction.payment", "text", each(_value)),
    Field("export.sanction.incident_id", "text"),
    Field("export.sanction.incident_kind", "text", each(lambda kind: labels.label(labels.KINDS, kind))),
    Field("export.sanction.incident_agency", "text"),
    Field("export.sanction.occurred_on", "date"),
    Field("export.sanction.unit_2025", "text"),
    Field("export.sanction.unit_2025_name", "text", each(lambda code: _unit_name(code, "2025"))),
    Field("export.sanction.violator", "text"),
    Field("export.sanction.violator_id", "text"),
    Field("export.sanction.violator_tax_code", "text"),
)  # fmt: skip
