"""A sent request's two clocks (pure): the platform's action and its report, due to the minute from the rules
in force when the request was sent (Nghị định 17/2023/NĐ-CP, Điều 113, as summarised; see docs/takedowns.md)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Final

from schemas.takedowns import TakedownClockOut
from service.calendar.models import DeadlineRule
from service.calendar.workdays import WorkCalendar, due_moment
from service.takedowns.models import TakedownRequest
from service.takedowns.transitions import CLOSED, Status

ACTION_RULE: Final = "takedown_action"
REPORT_RULE: Final = "takedown_report"
# What meets each clock: the platform acted (done), or answered with a result (done, in part, or refused).
_MEETS = {"action": frozenset({Status.DONE}), "report": frozenset({Status.DONE, Status.PARTLY_DONE, Status.REFUSED})}


def set_clocks(request: TakedownRequest, rules: dict[str, DeadlineRule], work_calendar: WorkCalendar) -> None:
    """Fix the request's due moments from its sending time and the rules in force then."""
    assert request.sent_at is not None  # noqa: S101 - only a sent request has clocks
    action, report = rules.get(ACTION_RULE), rules.get(REPORT_RULE)
    request.action_rule = action.code if action else None
    request.action_due_at = due_moment(request.sent_at, action.amount, action.unit, work_calendar) if action else None
    request.report_rule = report.code if report else None
    request.report_due_at = due_moment(request.sent_at, report.amount, report.unit, work_calendar) if report else None


def clocks(request: TakedownRequest, rules: dict[str, DeadlineRule], moment: datetime) -> list[TakedownClockOut]:
    """The clocks of a sent request, with hours left at `moment` (negative once run out)."""
    out = []
    for name, code, due in (
        ("action", request.action_rule, request.action_due_at),
        ("report", request.report_rule, request.report_due_at),
    ):
        rule = rules.get(code or "")
        if due is None or rule is None:
            continue
        status = Status(request.status)
        met = status in _MEETS[name]
        hours_left = math.floor((due - moment).total_seconds() / 3600)
        out.append(
            TakedownClockOut(
                name="action" if name == "action" else "report",
                rule=rule.code,
                legal_basis=rule.legal_basis,
                amount=rule.amount,
                unit=rule.unit,
                due_at=due,
                hours_left=hours_left,
                overdue=not met and status not in CLOSED and moment > due,
                met=met,
            )
        )
    return out
