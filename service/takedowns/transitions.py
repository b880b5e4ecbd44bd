"""The takedown request's statuses as a table (pure): what each action leads to, and from where."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A request's status; labels live in i18n."""

    DRAFTED = "drafted"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    PARTLY_DONE = "partly_done"
    DONE = "done"
    REFUSED = "refused"
    OVERDUE = "overdue"


# The platform's clocks run in these; the request is closed in DONE and REFUSED.
OPEN = frozenset({Status.SENT, Status.ACKNOWLEDGED, Status.PARTLY_DONE, Status.OVERDUE})
CLOSED = frozenset({Status.DONE, Status.REFUSED})
# The platform's answer (what the agency records): the status it leads to, from any open status.
ANSWERS: dict[str, Status] = {
    "acknowledged": Status.ACKNOWLEDGED,
    "partly_done": Status.PARTLY_DONE,
    "done": Status.DONE,
    "refused": Status.REFUSED,
}
# Acknowledging again after the platform has acted in part would move the request back.
_NOT_FROM: dict[str, frozenset[Status]] = {"acknowledged": frozenset({Status.PARTLY_DONE})}
# Statuses the sweep marks overdue once the action clock has run out.
CAN_RUN_OUT = frozenset({Status.SENT, Status.ACKNOWLEDGED})
# Statuses still waiting for the platform's report (a result: done, partly done or refused meets the report clock).
REPORT_PENDING = frozenset({Status.SENT, Status.ACKNOWLEDGED, Status.OVERDUE})
REPORT_LATE = "report_late"  # the timeline action of a report clock that ran out (the status is kept)


def after_answer(current: Status, outcome: str) -> Status | None:
    """The status after the platform's answer, or None when the answer does not fit the current status."""
    if current not in OPEN or current in _NOT_FROM.get(outcome, frozenset()):
        return None
    return ANSWERS.get(outcome)
