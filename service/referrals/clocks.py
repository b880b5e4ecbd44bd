"""Legal clocks of referrals: due dates from the versioned rules and the holiday table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.clocks import ClockOut
from service.calendar.models import DeadlineRule
from service.calendar.repository import load_calendar
from service.calendar.workdays import WorkCalendar, days_left, due_date
from service.referrals.models import Referral
from service.referrals.transitions import OPEN, Status


@dataclass(frozen=True)
class Rules:
    """The rules in force and the calendar (days off, working weekend days), loaded once per request."""

    by_code: dict[str, DeadlineRule]
    calendar: WorkCalendar

    def default_for(self, referral_type: str) -> DeadlineRule | None:
        """The first rule listed for this referral type (DOMAIN.md §6), if any."""
        return next((r for r in self.by_code.values() if r.applies_to == referral_type), None)


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


def set_clocks(referral: Referral, rules: Rules, sent_on: date, acknowledged_on: date | None) -> None:
    """(Re)compute the referral's acknowledgement SLA and its legal clock."""
    acknowledge = rules.by_code.get("acknowledge")
    referral.ack_due_on = _due(acknowledge, sent_on, rules) if acknowledge else None
    rule = rules.by_code.get(referral.due_rule or "") or rules.default_for(referral.type)
    if rule is None:
        referral.due_on, referral.due_rule = None, None
        return
    referral.due_rule = rule.code
    start = sent_on if rule.starts == "sent" else acknowledged_on
    referral.due_on = _due(rule, start, rules) if start else None


def clocks(referral: Referral, rules: Rules, today: date) -> list[ClockOut]:
    """The running clocks of an open referral (none once it is closed, returned or refused)."""
    if Status(referral.status) not in OPEN:
        return []
    out = []
    acknowledge = rules.by_code.get("acknowledge")
    if referral.status == Status.SENT and referral.ack_due_on and acknowledge:
        out.append(_clock("acknowledge", acknowledge, referral.ack_due_on, today))
    rule = rules.by_code.get(referral.due_rule or "")
    if referral.due_on and rule:
        out.append(_clock("decision", rule, referral.due_on, today))
    return out


def _clock(name: str, rule: DeadlineRule, due_on: date, today: date) -> ClockOut:
    left = days_left(due_on, today)
    return ClockOut(
        name=name, rule=rule.code, legal_basis=rule.legal_basis, due_on=due_on, days_left=left, overdue=left < 0
    )
