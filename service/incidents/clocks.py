"""Running clocks of an incident (DOMAIN.md §6): the sanction decision, customs suspension, limitation."""

from __future__ import annotations

from datetime import date

from schemas.clocks import ClockOut
from schemas.codes import WITHDRAWN
from service.calendar.models import DeadlineRule
from service.calendar.repository import Rules
from service.calendar.workdays import days_left, due_date
from service.clock import local_day
from service.incidents.models import Incident

# Statuses in which no administrative decision is pending any more.
_DECIDED = frozenset({"sanctioned", "closed", WITHDRAWN})


def _clock(name: str, rule: DeadlineRule, start: date, rules: Rules, today: date) -> ClockOut:
    due_on = due_date(start, rule.amount, rule.unit, rules.calendar)
    left = days_left(due_on, today)
    return ClockOut(
        name=name,
        rule=rule.code,
        legal_basis=rule.legal_basis,
        due_on=due_on,
        days_left=left,
        overdue=left < 0,
        duty="agency",
    )


def incident_clocks(incident: Incident, rules: Rules, today: date) -> list[ClockOut]:
    """The incident's open time limits, each with its due date, days left and whether it has passed."""
    if incident.status in _DECIDED:
        return []
    out = []
    decision = rules.by_code.get("sanction_decision")
    if decision is not None and incident.kind != "dispute" and incident.kind != "mediation_outcome":
        out.append(_clock("sanction_decision", decision, local_day(incident.recorded_at), rules, today))
    customs = rules.by_code.get("customs_suspension")
    start = incident.payload.get("suspension_start")
    if customs is not None and incident.kind == "customs_suspension" and start:
        out.append(_clock("customs_suspension", customs, date.fromisoformat(start), rules, today))
    limitation = rules.by_code.get("limitation")
    if limitation is not None:
        out.append(_clock("limitation", limitation, local_day(incident.occurred_at), rules, today))
    return out
