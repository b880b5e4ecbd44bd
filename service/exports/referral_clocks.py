"""The referral export's clock columns (next due day, days left, overdue) for a whole batch, without ORM objects.

They are what ``referrals.clocks.clocks`` shows a queue reader, summed up: the earliest due day of the referral's
clocks, the fewest days left, and whether any of them is overdue. The rules are looked up once per batch instead
of once per referral (``clocks`` asks ``Rules.sender_duty`` for every one), so a row costs a few comparisons.
tests/unit/test_export_referral_clocks.py checks the summary against ``clocks`` itself, clock for clock.

Pure: rows in, columns out; no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from service.calendar.repository import Rules
from service.referrals.clocks import PAUSE_RULE
from service.referrals.transitions import OPEN, Status

Summary = tuple[date | None, int | None, bool]  # next due day, fewest days left, overdue
NO_CLOCK: Summary = (None, None, False)
_OPEN = frozenset(status.value for status in OPEN)


@dataclass(frozen=True)
class ClockInputs:
    """The positions, in a selected row, of what a referral's clocks depend on."""

    status: int
    type: int
    sent_on: int
    ack_due_on: int
    due_on: int
    due_rule: int
    paused: int  # information requested (the pause rule stops the decision clock while it is)


class ClockSummaries:
    """The rules in force on `today`, read once; then each referral's summary as ``clocks`` would give it."""

    def __init__(self, rules: Rules, today: date) -> None:
        self.today = today
        self.rules = rules
        self.sender_duty: dict[str, bool] = {}
        self.acknowledge = rules.by_code.get("acknowledge") is not None
        self.pausing = PAUSE_RULE in rules.by_code

    def _has_sender_duty(self, kind: str) -> bool:
        known = self.sender_duty.get(kind)
        if known is None:
            known = self.sender_duty[kind] = self.rules.sender_duty(kind) is not None
        return known

    def one(self, status: str, kind: str, sent_on: date, ack_due_on: date | None, due_on: date | None,
            due_rule: str | None, paused: bool) -> Summary:  # fmt: skip
        """One referral's summary: its running clocks' earliest due day, fewest days left, any overdue."""
        if status not in _OPEN:  # a closed referral has no running clock
            return NO_CLOCK
        due: date | None = sent_on if self._has_sender_duty(kind) else None  # the sender's duty, met by sending
        overdue = False
        if status == Status.SENT and ack_due_on is not None and self.acknowledge:
            due = ack_due_on if due is None or ack_due_on < due else due
            overdue = ack_due_on < self.today
        if due_on is not None and self.rules.by_code.get(due_rule or "") is not None:
            due = due_on if due is None or due_on < due else due
            overdue = overdue or (due_on < self.today and not (paused and self.pausing))
        return NO_CLOCK if due is None else (due, (due - self.today).days, overdue)

    def columns(self, rows: Sequence[Sequence[Any]], at: ClockInputs) -> tuple[list[Any], list[Any], list[Any]]:
        """The batch's three columns: next due day, days left, overdue."""
        one, summaries = self.one, []
        for row in rows:
            summaries.append(one(row[at.status], row[at.type], row[at.sent_on], row[at.ack_due_on], row[at.due_on],
                                 row[at.due_rule], row[at.paused]))  # fmt: skip
        if not summaries:
            return [], [], []
        due, left, overdue = zip(*summaries, strict=True)
        return list(due), list(left), list(overdue)
