"""The referral status table, checked exhaustively."""

from __future__ import annotations

import itertools

import pytest

from service.referrals.transitions import (
    OPEN,
    TERMINAL,
    TRANSITIONS,
    Action,
    Status,
    allowed_actions,
    next_status,
    outcomes_for,
)

EXPECTED = {
    (Status.SENT, Action.ACKNOWLEDGE): Status.ACKNOWLEDGED,
    (Status.SENT, Action.RETURN): Status.RETURNED,
    (Status.SENT, Action.REFUSE): Status.REFUSED,
    (Status.ACKNOWLEDGED, Action.START): Status.IN_PROGRESS,
    (Status.ACKNOWLEDGED, Action.REQUEST_INFORMATION): Status.ACKNOWLEDGED,
    (Status.ACKNOWLEDGED, Action.RETURN): Status.RETURNED,
    (Status.ACKNOWLEDGED, Action.REFUSE): Status.REFUSED,
    (Status.IN_PROGRESS, Action.REQUEST_INFORMATION): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, Action.CLOSE): Status.CLOSED,
    (Status.IN_PROGRESS, Action.RETURN): Status.RETURNED,
}


@pytest.mark.parametrize(("status", "action"), list(itertools.product(Status, Action)))
def test_every_status_and_action_pair(status: Status, action: Action):
    assert next_status(status, action) == EXPECTED.get((status, action))


def test_terminal_statuses_allow_nothing():
    assert all(allowed_actions(s) == [] for s in TERMINAL)
    assert all(allowed_actions(s) for s in OPEN)


def test_closing_is_only_possible_from_in_progress():
    assert [s for (s, a) in TRANSITIONS if a == Action.CLOSE] == [Status.IN_PROGRESS]


def test_every_status_can_be_reached_from_sent():
    reached, frontier = {Status.SENT}, [Status.SENT]
    while frontier:
        current = frontier.pop()
        for action in allowed_actions(current):
            target = next_status(current, action)
            if target is not None and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(Status)


def test_criminal_referral_outcomes():
    assert outcomes_for("CHUYEN_HO_SO_HINH_SU") == ("KHOI_TO", "KHONG_KHOI_TO", "TAM_DINH_CHI")
    assert "THANH" in outcomes_for("CHUYEN_HOA_GIAI")
    assert outcomes_for("TRUNG_CAU_GIAM_DINH") == ("HOAN_THANH",)


def test_the_runtime_lists_are_the_api_literals():
    from typing import get_args

    import msgspec

    from schemas.codes import MediationOutcome
    from schemas.referrals import ReferralActionIn, ReferralStatus, ReferralType
    from service.referrals.transitions import REFERRAL_TYPES

    assert {status.value for status in Status} == set(get_args(ReferralStatus))
    tags = {msgspec.inspect.type_info(member).tag for member in get_args(ReferralActionIn)}
    assert {action.value for action in Action} == tags
    assert set(REFERRAL_TYPES) == set(get_args(ReferralType))
    for referral_type in ("CHUYEN_HOA_GIAI", "CHUYEN_TRONG_TAI", "CHUYEN_TOA_AN"):
        assert set(get_args(MediationOutcome)) <= set(outcomes_for(referral_type))
