"""Legal clocks of referrals: due dates from the versioned rules and the holiday table, each with whose duty it is.

A referral may carry three clocks. The sender's duty (the criminal referral's "transfer immediately", BLXLVPHC
Điều 62 khoản 1) is met by sending and shown as met. The receiver's acknowledgement SLA runs from sending. The
receiver's decision clock runs from sending or acknowledgement as its rule says, never ends before the
acknowledgement clock, and stops while the receiver waits for the sender's information (`information_pause`).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.clocks import ClockOut, Duty
from service import i18n
from service.auth.principal import Principal
from service.calendar.duedates import clock_out
from service.calendar.models import DeadlineRule
from service.calendar.repository import SENDER, Rules, load_rules
from service.calendar.service import Recompute
from service.calendar.workdays import due_date, next_working_day
from service.clock import local_day, now
from service.referrals import repository
from service.referrals.models import Referral, ReferralEvent
from service.referrals.transitions import OPEN, Status

RECEIVER: Final = "receiver"
PAUSE_RULE = "information_pause"


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
    return clock_out(name, rule, due_on, today, duty=duty, met=met, paused=paused)


ClockChange = tuple[str, date | None, date | None]  # (clock name, old due date, new due date)


async def recompute_open_referrals(
    session: AsyncSession, principal: Principal, day: date, reason: str = "referral.deadline_recomputed"
) -> list[uuid.UUID]:
    """Recompute every open referral's clocks with the rules and the calendar as stored now; log each change."""
    rules = await load_rules(session, local_day(now()))
    changed = []
    for referral in await repository.locked_open(session):
        changes = _recompute(referral, rules)
        if changes:
            session.add(_recomputed_event(referral, principal, day, changes, reason))
            changed.append(referral.id)
    await session.flush()
    return changed


def _recompute(referral: Referral, rules: Rules) -> list[ClockChange]:
    before = {"acknowledge": referral.ack_due_on, "decision": referral.due_on}
    acknowledged_on = local_day(referral.acknowledged_at) if referral.acknowledged_at else None
    set_clocks(referral, rules, local_day(referral.sent_at), acknowledged_on)
    after = {"acknowledge": referral.ack_due_on, "decision": referral.due_on}
    return [(name, before[name], after[name]) for name in before if before[name] != after[name]]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _recomputed_event(
    referral: Referral, principal: Principal, day: date, changes: list[ClockChange], reason: str
) -> ReferralEvent:
    """One event per referral: the legal clock's change first when it moved, every change under `clocks`."""
    name, old, new = next((c for c in changes if c[0] == "decision"), changes[0])
    listed = [{"clock": c, "old": _iso(o), "new": _iso(n)} for c, o, n in changes]
    text = ", ".join(f"{c} {_iso(o)} → {_iso(n)}" for c, o, n in changes)
    vi, en = i18n.both(reason, day=day.isoformat(), changes=text)
    return ReferralEvent(
        referral_id=referral.id,
        actor_id=principal.user_id,
        action="deadline_recomputed",
        from_status=referral.status,
        to_status=referral.status,
        note=f"{vi} / {en}",
        details={"clock": name, "old": _iso(old), "new": _iso(new), "holiday": day.isoformat(), "clocks": listed},
    )


def provide_recompute() -> Recompute:
    """Dependency for the calendar's admin routes: what a calendar change recomputes (open referrals' clocks)."""
    return recompute_open_referrals
