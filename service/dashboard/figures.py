"""The dashboard's tables from grouped counts: pure, no database (the SQL is in repository.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from schemas.codes import INCIDENT_KINDS
from service import labels


@dataclass(frozen=True)
class Periods:
    """This month and this year in Lai Châu, as half-open ranges of local days."""

    today: date
    month_start: date
    next_month: date
    year_start: date
    next_year: date

    @property
    def month_label(self) -> str:
        """'11/2026'."""
        return self.month_start.strftime("%m/%Y")

    @property
    def month_end(self) -> date:
        """The month's last day (inclusive, as list filters take it)."""
        return date.fromordinal(self.next_month.toordinal() - 1)

    @property
    def year_end(self) -> date:
        """31 December."""
        return date(self.year_start.year, 12, 31)


def periods(today: date) -> Periods:
    """The month and the year containing ``today`` (a local day)."""
    month_start = today.replace(day=1)
    next_month = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return Periods(today, month_start, next_month, date(today.year, 1, 1), date(today.year + 1, 1, 1))


@dataclass(frozen=True)
class CountRow:
    """Incidents of one kind or one agency: this month and this year."""

    code: str
    name: tuple[str, str]
    month: int
    year: int


@dataclass(frozen=True)
class Counts:
    """The two count tables and their totals."""

    by_kind: list[CountRow]
    by_agency: list[CountRow]
    month: int = 0
    year: int = 0


@dataclass(frozen=True)
class IncidentGroup:
    """One row of the grouped query: kind × recording agency."""

    kind: str
    agency: str
    agency_vi: str
    agency_en: str
    month: int
    year: int


def counts(groups: Iterable[IncidentGroup]) -> Counts:
    """Counts by kind (every kind, in the catalogue's order) and by agency (those with incidents, most first)."""
    kinds = {kind: [0, 0] for kind in INCIDENT_KINDS}
    agencies: dict[str, tuple[tuple[str, str], list[int]]] = {}
    for group in groups:
        kinds.setdefault(group.kind, [0, 0])
        _, totals = agencies.setdefault(group.agency, ((group.agency_vi, group.agency_en), [0, 0]))
        for target in (kinds[group.kind], totals):
            target[0] += group.month
            target[1] += group.year
    by_kind = [CountRow(kind, labels.KINDS.get(kind, (kind, kind)), *kinds[kind]) for kind in kinds]
    by_agency = [CountRow(code, name, *totals) for code, (name, totals) in agencies.items()]
    by_agency.sort(key=lambda row: (-row.year, row.code))
    return Counts(by_kind, by_agency, sum(r.month for r in by_kind), sum(r.year for r in by_kind))


@dataclass(frozen=True)
class OverdueRow:
    """Open and overdue referrals received by one agency."""

    code: str
    name: tuple[str, str]
    open: int
    overdue: int


@dataclass(frozen=True)
class Overdue:
    """Receiving agencies with open referrals, most overdue first, and the province's totals."""

    rows: list[OverdueRow] = field(default_factory=list)

    @property
    def open(self) -> int:
        """Open referrals in the province."""
        return sum(row.open for row in self.rows)

    @property
    def overdue(self) -> int:
        """Overdue referrals in the province."""
        return sum(row.overdue for row in self.rows)


def overdue(rows: Iterable[OverdueRow]) -> Overdue:
    """The overdue table, most overdue first, then most open."""
    return Overdue(sorted(rows, key=lambda row: (-row.overdue, -row.open, row.code)))
