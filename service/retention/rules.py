"""Which incidents are due for anonymisation (pure: no database, no clock of its own).

**Record class.** ``withdrawn`` for an incident withdrawn as recorded in error, else the incident's kind. Each class
has a number of years (settings ``RETENTION_YEARS``, defaults in ``service.settings.DEFAULT_RETENTION_YEARS``).

**Closed.** An incident is closed when nothing about it is still being worked:

- no referral of it is open (status ``sent``, ``acknowledged`` or ``in_progress``: DA_GUI, DA_TIEP_NHAN,
  DANG_XU_LY; ``service.referrals.transitions.OPEN``), and
- no sanction decision on it still awaits execution (payment status ``unpaid``, ``partly_paid`` or ``suspended``).

The incident's own status does not hold a case open: ``closed``, ``sanctioned`` and ``withdrawn`` incidents are
closed by these two conditions, and so is one left ``recorded``, ``under_verification`` or ``referred`` with every
referral ended, since nothing has happened to it for at least the class's years (with the defaults, far beyond the
2-year limitation to sanction).

**Last activity.** The latest of: when the incident occurred, its last history entry (anonymisation entries aside,
so that anonymising one member of a case never restarts the clock of the others), the last time one of its
referrals ended (``closed_at``) and the last change of one of its sanction decisions (``updated_at``).

**Case.** Incidents a coordinator linked share a ``case_id`` and are one case; an unlinked incident is a case of its
own. A case is due when every member is closed and the case's last activity (the latest of its members') is older
than the longest rule among its members' classes: the period runs that many calendar years from the local day of
the last activity (29 February to 28 February), a last day that is a day off moves to the next working day of the
calendar (Bộ luật Dân sự 2015, Điều 148 khoản 5; ``service.calendar``), and the case is due once that day has
ended. Then every member not yet anonymised is due, under that rule; already anonymised members are never due
again (the sweep is idempotent).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from schemas.codes import WITHDRAWN
from service.calendar.workdays import WorkCalendar, due_date
from service.clock import local_day
from service.referrals.transitions import OPEN

OPEN_REFERRAL_STATUSES: frozenset[str] = frozenset(status.value for status in OPEN)
PENDING_PAYMENT_STATUSES: frozenset[str] = frozenset({"unpaid", "partly_paid", "suspended"})
ANONYMISED_ACTION = "anonymised"


def record_class(kind: str, status: str) -> str:
    """The retention class of an incident: ``withdrawn`` when it was withdrawn, else its kind."""
    return WITHDRAWN if status == WITHDRAWN else kind


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment `years` calendar years earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def retention_ends(last_activity: datetime, years: int, work_calendar: WorkCalendar) -> date:
    """The last day of the retention period: `years` years after the last activity's local day, off days skipped."""
    return due_date(local_day(last_activity), years, "years", work_calendar)


@dataclass(frozen=True)
class IncidentFacts:
    """What the rule needs to know about one incident (read by service.retention.service)."""

    id: uuid.UUID
    kind: str
    status: str
    case_id: uuid.UUID | None
    occurred_at: datetime
    anonymised_at: datetime | None = None
    last_event_at: datetime | None = None  # history entries other than anonymisation
    last_referral_closed_at: datetime | None = None
    last_sanction_change_at: datetime | None = None
    open_referrals: int = 0
    pending_sanctions: int = 0

    @property
    def record_class(self) -> str:
        """``withdrawn`` or the kind."""
        return record_class(self.kind, self.status)

    @property
    def closed(self) -> bool:
        """No open referral and no sanction decision awaiting execution."""
        return self.open_referrals == 0 and self.pending_sanctions == 0

    @property
    def last_activity(self) -> datetime:
        """The latest of occurrence, history, referrals ended and sanction decisions changed."""
        moments = (self.last_event_at, self.last_referral_closed_at, self.last_sanction_change_at)
        return max((self.occurred_at, *(m for m in moments if m is not None)))

    @property
    def case_key(self) -> uuid.UUID:
        """The linked case, or the incident itself when it is not linked."""
        return self.case_id or self.id


@dataclass(frozen=True)
class RetentionRules:
    """Years of retention per record class."""

    years: Mapping[str, int]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, int]]) -> RetentionRules:
        """From the settings' ``retention_years`` pairs."""
        return cls(dict(pairs))

    def years_of(self, cls: str) -> int:
        """The class's years; an unknown class (a kind added without a rule) gets the longest rule there is."""
        return self.years.get(cls, max(self.years.values()))

    @property
    def shortest(self) -> int:
        """The fewest years of any class: nothing that occurred after now minus this can be due."""
        return min(self.years.values())


@dataclass(frozen=True)
class Due:
    """An incident due for anonymisation, and the rule that made it due."""

    id: uuid.UUID
    record_class: str  # the incident's own class
    rule_class: str  # the class whose rule applied (for a linked case, the longest among its members)
    years: int
    linked: bool  # one of several incidents linked as a case
    last_activity: datetime  # the case's


def due(facts: Iterable[IncidentFacts], rules: RetentionRules, now: datetime, work_calendar: WorkCalendar) -> list[Due]:
    """The incidents due now, by case; `facts` must hold every member of each case it touches."""
    cases: dict[uuid.UUID, list[IncidentFacts]] = defaultdict(list)
    for fact in facts:
        cases[fact.case_key].append(fact)
    found: list[Due] = []
    for members in cases.values():
        if not all(member.closed for member in members):
            continue
        rule_class = max((m.record_class for m in members), key=lambda c: (rules.years_of(c), c))
        years = rules.years_of(rule_class)
        last_activity = max(member.last_activity for member in members)
        if local_day(now) <= retention_ends(last_activity, years, work_calendar):
            continue
        found += [
            Due(m.id, m.record_class, rule_class, years, len(members) > 1, last_activity)
            for m in members
            if m.anonymised_at is None
        ]
    return sorted(found, key=lambda d: (d.last_activity, str(d.id)))
