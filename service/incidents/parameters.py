"""The incident list's query parameters as one dependency: the list (GET /api/incidents) and its export
(GET /api/incidents/export) take exactly the same filters."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter

from schemas.codes import IncidentKind, IncidentStatus, InfringementAct, SubjectMatter
from service.incidents.repository.filters import IncidentFilters

REF_DESCRIPTION = "Số hiệu bên ngoài (INS, tờ khai, số vụ án) / External number, spaces and dashes ignored"
UnitParam = Annotated[str | None, QueryParameter(description="2025:03388, 2024:105 hoặc/or 2024:03386")]
TextParam = Annotated[str | None, QueryParameter(max_length=200, description="Tìm có/không dấu / Text search")]
DuplicatesParam = Annotated[
    Literal["flagged", "linked"] | None,
    QueryParameter(description="flagged: nghi trùng chưa xử lý / open likely duplicate; linked: đã gộp / in a case"),
]
RefParam = Annotated[str | None, QueryParameter(max_length=100, description=REF_DESCRIPTION)]


def provide_incident_filters(
    kind: FromQuery[IncidentKind | None] = None,
    agency: FromQuery[str | None] = None,
    unit: UnitParam = None,
    occurred_from: FromQuery[date | None] = None,
    occurred_to: FromQuery[date | None] = None,
    subject_matter: FromQuery[SubjectMatter | None] = None,
    act: FromQuery[InfringementAct | None] = None,
    status: FromQuery[IncidentStatus | None] = None,
    q: TextParam = None,
    ref: RefParam = None,
    duplicates: DuplicatesParam = None,
) -> IncidentFilters:
    """Dependency: the list's filters from the query string (dates are local days, both ends included)."""
    return IncidentFilters(
        kind, agency, unit, occurred_from, occurred_to, subject_matter, act, status, q, ref, duplicates
    )


IncidentFiltersDep = NamedDependency[IncidentFilters]
INCIDENT_FILTERS = {"incident_filters": Provide(provide_incident_filters, sync_to_thread=False)}
