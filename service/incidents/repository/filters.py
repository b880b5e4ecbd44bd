"""The incident list's filters as conditions, shared by the list, the pages, the exports and the sanctions list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, or_, select

from service.auth.models import Agency
from service.cases.models import DuplicateFlag
from service.clock import LOCAL_TZ
from service.errors import Invalid
from service.incidents.models import Incident, IncidentReference
from service.incidents.references import number_key
from service.text import fold

UNIT_FILTER = re.compile(r"^(2024|2025):(\d{3}|\d{5})$")


@dataclass(frozen=True)
class IncidentFilters:
    """What the list can be narrowed by; every field optional."""

    kind: str | None = None
    agency: str | None = None
    unit: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    subject_matter: str | None = None
    act: str | None = None
    status: str | None = None
    q: str | None = None
    ref: str | None = None  # an external reference number, compared folded (service/incidents/references.py)
    duplicates: str | None = None  # "flagged": an open likely-duplicate flag; "linked": part of a linked case


def _unit_condition(unit: str) -> Any:
    match = UNIT_FILTER.match(unit)
    if not match:
        raise Invalid(field="unit").with_code("incident.bad_unit_filter")
    generation, code = match.groups()
    if generation == "2025":
        return Incident.unit_2025 == code
    return Incident.district_2024 == code if len(code) == 3 else Incident.commune_2024 == code


def _duplicates_condition(which: str) -> Any:
    if which == "linked":
        return Incident.case_id.is_not(None)
    involved = or_(DuplicateFlag.incident_a_id == Incident.id, DuplicateFlag.incident_b_id == Incident.id)
    return exists().where(DuplicateFlag.status == "open", involved)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LOCAL_TZ)


def filter_conditions(filters: IncidentFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.kind:
        conditions.append(Incident.kind == filters.kind)
    if filters.agency:
        # A subquery, not a condition on a join: the list finds a page's ids without joining agencies.
        conditions.append(
            Incident.agency_id == select(Agency.id).where(Agency.code == filters.agency).scalar_subquery()
        )
    if filters.unit:
        conditions.append(_unit_condition(filters.unit))
    if filters.occurred_from:
        conditions.append(Incident.occurred_at >= _local_midnight(filters.occurred_from))
    if filters.occurred_to:
        conditions.append(Incident.occurred_at < _local_midnight(filters.occurred_to + timedelta(days=1)))
    if filters.subject_matter:
        conditions.append(Incident.subject_matter.contains([filters.subject_matter]))
    if filters.act:
        conditions.append(Incident.infringement_acts.contains([filters.act]))
    if filters.status:
        conditions.append(Incident.status == filters.status)
    if filters.ref:
        conditions.append(reference_condition(filters.ref))
    if filters.duplicates:
        conditions.append(_duplicates_condition(filters.duplicates))
    for word in fold(filters.q or "").split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Incident.search_text.like(f"%{escaped}%"))
    return conditions


def reference_condition(number: str) -> Any:
    """An incident-list condition: the incident carries this number (any kind), compared folded."""
    key = number_key(number)
    return Incident.id.in_(select(IncidentReference.incident_id).where(IncidentReference.number_key == key))
