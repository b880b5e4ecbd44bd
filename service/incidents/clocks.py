"""Running clocks of an incident (DOMAIN.md §6): the sanction decision, customs suspension, limitation."""

from __future__ import annotations

from datetime import date, datetime

from schemas.clocks import ClockOut
from schemas.codes import WITHDRAWN
from service.calendar.duedates import clock_out
from service.calendar.models import DeadlineRule
from service.calendar.repository import Rules
from service.calendar.workdays import due_date
from service.clock import local_day
from service.incidents.models import Incident

# Statuses in which no administrative decision is pending any more.
_DECIDED = frozenset({"sanctioned", "closed", WITHDRAWN})


_MEMO_SIZE = 20_000  # clocks kept per Rules (a list page asks for up to 150; pages repeat)


def _clock(name: str, rule: DeadlineRule, start: date, rules: Rules, today: date) -> ClockOut:
    """The clock of this rule from `start`, computed once per (rule, start, today) for the same Rules."""
    key = ("incident_clock", name, rule.code, start, today)
    clock: ClockOut | None = rules.memo.get(key)
    if clock is None:
        clock = clock_out(name, rule, due_date(start, rule.amount, rule.unit, rules.calendar), today, duty="agency")
        if len(rules.memo) >= _MEMO_SIZE:
            rules.memo.clear()
        rules.memo[key] = clock
    return clock


def incident_clocks(incident: Incident, rules: Rules, today: date) -> list[ClockOut]:
    """The incident's open time limits, each with its due date, days left and whether it has passed."""
    start = incident.payload.get("suspension_start")
    return clocks_of(incident.kind, incident.status, incident.recorded_at, incident.occurred_at, start, rules, today)


def clocks_of(
    kind: str,
    status: str,
    recorded_at: datetime,
    occurred_at: datetime,
    suspension_start: str | None,
    rules: Rules,
    today: date,
) -> list[ClockOut]:
    """incident_clocks from the columns it reads (the list passes selected columns, not incidents)."""
    if status in _DECIDED:
        return []
    out = []
    decision = rules.by_code.get("sanction_decision")
    if decision is not None and kind != "dispute" and kind != "mediation_outcome":
        out.append(_clock("sanction_decision", decision, local_day(recorded_at), rules, today))
    customs = rules.by_code.get("customs_suspension")
    if customs is not None and kind == "customs_suspension" and suspension_start:
        out.append(_clock("customs_suspension", customs, date.fromisoformat(suspension_start), rules, today))
    limitation = rules.by_code.get("limitation")
    if limitation is not None:
        out.append(_clock("limitation", limitation, local_day(occurred_at), rules, today))
    return out
