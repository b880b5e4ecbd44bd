"""Legal clocks of referrals: due dates from the versioned rules and the holiday table, each with whose duty it is.

A referral may carry three clocks. The sender's duty (the criminal referral's "transfer immediately", BLXLVPHC
Điều 62 khoản 1) is met by sending and shown as met. The receiver's acknowledgement SLA runs from sending. The
receiver's decision clock runs from sending or acknowledgement as its rule says, never ends before the
acknowledgement clock, and stops while the receiver waits for the sender's information (`information_pause`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.clocks import ClockOut, Duty
from service.calendar.models import DeadlineRule
from service.calendar.repository import load_calendar
from service.calendar.workdays import WorkCalendar, days_left, due_date, next_working_day
from service.clock import local_day
from service.referrals.models import Referral
from service.referrals.transitions import OPEN, Status

SENDER: Final = "sender"
RECEIVER: Final = "receiver"
PAUSE_RULE = "information_pause"


@dataclass(frozen=True)
class Rules:
    """The rules in force and the calendar (days off, working weekend days), loaded once per request."""

    by_code: dict[str, DeadlineRule]
    calendar: WorkCalendar

    def default_for(self, referral_type: str) -> DeadlineRule | None:
        """The receiver's first rule listed for this referral type (DOMAIN.md §6), if any."""
        return next((r for r in self.for_type(referral_type) if r.duty != SENDER), None)

    def sender_duty(self, referral_type: str) -> DeadlineRule | None:
        """The sender's own duty for this type (met by sending), if any."""
        return next((r for r in self.for_type(referral_type) if r.duty == SENDER), None)

    def for_type(self, referral_type: str) -> list[DeadlineRule]:
        """Every rule in force for this referral type, in the order listed."""
        return [r for r in self.by_code.values() if r.applies_to == referral_type]


async def load_rules(session: AsyncSession, around: date) -> Rules:
    """Rules valid on `around`, and the calendar's exceptions within three years of it."""
    rules = await session.scalars(
        select(DeadlineRule)
        .where(DeadlineRule.valid_from <= around)
        .where((DeadlineRule.valid_to.is_(None)) | (DeadlineRule.valid_to >= around))
        .order_by(DeadlineRule.id)
    )
    window = (around - timedelta(days=366), around + timedelta(days=3 * 366))
    work_calendar = await load_calendar(session, *window)
    by_code: dict[str, DeadlineRule] = {}
    for rule in rules:
        by_code.setdefault(rule.code, rule)
    return Rules(by_code=by_code, calendar=work_calendar)


def _due(rule: DeadlineRule, start: date, rules: Rules) -> date:
    return due_date(start, rule.amount, rule.unit, rules.calendar)


def decision_rule(referral: Referral, rules: Rules) -> DeadlineRule | None:
    """The receiver's decision rule: the one chosen for the referral, else its type's default (never the sender's)."""
    chosen = rules.by_code.get(referral.due_rule or "")
    if chosen is not None and chosen.duty != SENDER:
        return chosen
    return rules.default_for(referral.type)


def set_clocks(referral: Referral, rules: Rules, sent_on: date, acknowledged_on: date | None) -> None:
    """(Re)compute the referral's acknowledgement SLA and its legal clock."""
    acknowledge = rules.by_code.get("acknowledge")
    referral.ack_due_on = _due(acknowledge, sent_on, rules) if acknowledge else None
    rule = decision_rule(referral, rules)
    if rule is None:
        referral.due_on, referral.due_rule = None, None
        return
    referral.due_rule = rule.code
    start = sent_on if rule.starts == "sent" else acknowledged_on
    if start is None:
        referral.due_on = None
        return
    due = _due(rule, start, rules)
    if referral.paused_days:  # days waited for the sender's information do not count (information_pause)
        due = next_working_day(due + timedelta(days=referral.paused_days), rules.calendar)
    # The receiver cannot be due to decide before it is due to acknowledge.
    referral.due_on = max(due, referral.ack_due_on) if referral.ack_due_on else due


def pause_days(referral: Referral, rules: Rules, answered_on: date) -> int:
    """Calendar days the receiver waited for the sender's information, when the pause rule is in force."""
    if referral.information_requested_at is None or PAUSE_RULE not in rules.by_code:
        return 0
    return max(0, (answered_on - local_day(referral.information_requested_at)).days)


def clocks(referral: Referral, rules: Rules, today: date) -> list[ClockOut]:
    """The clocks of an open referral: the sender's met duty, then the receiver's running clocks."""
    if Status(referral.status) not in OPEN:
        return []
    out = []
    sender = rules.sender_duty(referral.type)
    if sender is not None:
        sent_on = local_day(referral.sent_at)
        out.append(_clock("transfer", sender, sent_on, today, duty=SENDER, met=True))
    acknowledge = rules.by_code.get("acknowledge")
    if referral.status == Status.SENT and referral.ack_due_on and acknowledge:
        out.append(_clock("acknowledge", acknowledge, referral.ack_due_on, today))
    rule = rules.by_code.get(referral.due_rule or "")
    if referral.due_on and rule:
        paused = referral.information_requested_at is not None and PAUSE_RULE in rules.by_code
        out.append(_clock("decision", rule, referral.due_on, today, paused=paused))
    return out


def _clock(
    name: str,
    rule: DeadlineRule,
    due_on: date,
    today: date,
    *,
    duty: Duty = RECEIVER,
    met: bool = False,
    paused: bool = False,
) -> ClockOut:
    left = days_left(due_on, today)
    return ClockOut(
        name=name,
        rule=rule.code,
        legal_basis=rule.legal_basis,
        due_on=due_on,
        days_left=left,
        overdue=left < 0 and not met and not paused,
        duty=duty,
        met=met,
        paused=paused,
    )
