"""The referral export's clock columns say what the queue's own clocks say, for every kind of referral (pure)."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, time, timedelta

import pytest

from service.calendar.repository import Rules
from service.calendar.workdays import WorkCalendar
from service.clock import LOCAL_TZ
from service.exports.referral_clocks import ClockInputs, ClockSummaries
from service.referrals.clocks import clocks
from service.referrals.models import Referral
from service.referrals.transitions import Status
from tests.unit.test_referral_clocks import RULES

TODAY = date(2026, 12, 7)
DAYS = (None, TODAY - timedelta(days=3), TODAY, TODAY + timedelta(days=5))
WITHOUT_ACK_OR_PAUSE = Rules(
    by_code={code: rule for code, rule in RULES.by_code.items() if code not in ("acknowledge", "information_pause")},
    calendar=WorkCalendar(),
)


def _expected(rules: Rules, row: tuple[object, ...]) -> tuple[object, ...]:
    """The summary of what clocks() shows for a referral with these stored values."""
    status, kind, sent_on, ack_due_on, due_on, due_rule, paused = row
    sent_at = datetime.combine(sent_on, time(9), LOCAL_TZ)  # type: ignore[arg-type]
    referral = Referral(
        id=uuid.uuid4(), status=status, type=kind, sent_at=sent_at, ack_due_on=ack_due_on, due_on=due_on,
        due_rule=due_rule, information_requested_at=sent_at if paused else None,
    )  # fmt: skip
    running = clocks(referral, rules, TODAY)
    if not running:
        return (None, None, False)
    return (min(c.due_on for c in running), min(c.days_left for c in running), any(c.overdue for c in running))


@pytest.mark.parametrize("rules", [RULES, WITHOUT_ACK_OR_PAUSE], ids=["all rules", "no acknowledge or pause rule"])
def test_the_exported_clock_columns_are_the_queues_clocks_summed_up(rules: Rules):
    rows = list(
        itertools.product(
            [status.value for status in Status],
            ["CHUYEN_HO_SO_HINH_SU", "BAO_CAO", "TRUNG_CAU_GIAM_DINH"],
            [TODAY - timedelta(days=10), TODAY],
            DAYS,
            DAYS,
            [None, "police_decision", "same_day_answer", "criminal_referral", "no_such_rule"],
            [False, True],
        )
    )
    at = ClockInputs(status=0, type=1, sent_on=2, ack_due_on=3, due_on=4, due_rule=5, paused=6)
    due, left, overdue = ClockSummaries(rules, TODAY).columns(rows, at)
    expected = [_expected(rules, row) for row in rows]
    assert list(zip(due, left, overdue, strict=True)) == expected
    assert {e[2] for e in expected} == {True, False} and None in due and any(d is not None for d in due)


def test_an_empty_batch_has_empty_clock_columns():
    at = ClockInputs(status=0, type=1, sent_on=2, ack_due_on=3, due_on=4, due_rule=5, paused=6)
    assert ClockSummaries(RULES, TODAY).columns([], at) == ([], [], [])
