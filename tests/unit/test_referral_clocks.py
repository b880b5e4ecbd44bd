"""Referral clocks say whose duty they are: the sender's met duty, the receiver's clocks in their order (pure)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from service.calendar.models import DeadlineRule
from service.calendar.workdays import WorkCalendar
from service.clock import LOCAL_TZ
from service.referrals.clocks import Rules, clocks, pause_days, set_clocks
from service.referrals.models import Referral
from service.web.formatting import due_day

SUNDAY = date(2026, 12, 6)


def _rule(code: str, applies_to: str, starts: str, amount: int, unit: str, duty: str = "receiver") -> DeadlineRule:
    return DeadlineRule(
        code=code,
        applies_to=applies_to,
        starts=starts,
        amount=amount,
        unit=unit,
        duty=duty,
        is_sla=False,
        legal_basis=f"basis of {code}",
        valid_from=date(2020, 1, 1),
    )


RULES = Rules(
    by_code={
        r.code: r
        for r in (
            _rule("criminal_referral", "CHUYEN_HO_SO_HINH_SU", "sent", 0, "immediate", duty="sender"),
            _rule("police_decision", "CHUYEN_HO_SO_HINH_SU", "acknowledged", 20, "calendar_days"),
            _rule("same_day_answer", "BAO_CAO", "sent", 0, "immediate"),
            _rule("acknowledge", "*", "sent", 1, "working_days"),
            _rule("information_pause", "*", "information_requested", 0, "pause"),
        )
    },
    calendar=WorkCalendar(),
)


def _referral(type_: str, sent_on: date = SUNDAY, **extra: object) -> Referral:
    sent_at = datetime.combine(sent_on, time(9), tzinfo=LOCAL_TZ)
    return Referral(id=uuid.uuid4(), type=type_, sent_at=sent_at, paused_days=0, **{"status": "sent", **extra})


def test_police_referral_sent_on_sunday_shows_transfer_met_and_acknowledgement_due_monday():
    referral = _referral("CHUYEN_HO_SO_HINH_SU")
    set_clocks(referral, RULES, SUNDAY, None)
    shown = {c.name: c for c in clocks(referral, RULES, SUNDAY)}
    assert shown["transfer"].met and shown["transfer"].duty == "sender" and not shown["transfer"].overdue
    assert shown["acknowledge"].due_on == date(2026, 12, 7) and shown["acknowledge"].duty == "receiver"
    # The police's decision clock starts on acknowledgement: it cannot be "due today" on the Sunday it was sent.
    assert "decision" not in shown and referral.due_rule == "police_decision"


def test_sender_duty_is_never_the_receivers_decision_rule_even_when_stored():
    referral = _referral("CHUYEN_HO_SO_HINH_SU", due_rule="criminal_referral")
    set_clocks(referral, RULES, SUNDAY, date(2026, 12, 7))
    assert referral.due_rule == "police_decision"
    assert referral.due_on == date(2026, 12, 28)  # 20 days from Mon 7/12 is Sun 27/12: the next working day


def test_receivers_decision_clock_never_ends_before_its_acknowledgement_clock():
    referral = _referral("BAO_CAO")
    set_clocks(referral, RULES, SUNDAY, None)
    assert referral.ack_due_on == date(2026, 12, 7)
    assert referral.due_on == referral.ack_due_on  # not the Sunday of sending


def test_days_waited_for_information_move_the_decision_clock_and_survive_a_recomputation():
    referral = _referral("CHUYEN_HO_SO_HINH_SU", status="acknowledged")
    referral.information_requested_at = datetime(2026, 12, 8, 10, tzinfo=LOCAL_TZ)
    set_clocks(referral, RULES, SUNDAY, date(2026, 12, 7))
    assert next(c for c in clocks(referral, RULES, date(2026, 12, 9)) if c.name == "decision").paused
    referral.paused_days = pause_days(referral, RULES, date(2026, 12, 11))
    referral.information_requested_at = None
    set_clocks(referral, RULES, SUNDAY, date(2026, 12, 7))
    assert referral.paused_days == 3 and referral.due_on == date(2026, 12, 31)


def test_due_days_name_their_weekday_in_both_languages():
    assert due_day(date(2026, 12, 7), "vi") == "Thứ Hai, 07/12/2026"
    assert due_day(date(2026, 12, 6), "en") == "Sunday, 06/12/2026"
