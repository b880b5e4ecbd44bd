"""The referral status table of DOMAIN.md §4, as data, and the outcomes each type may close with (pure)."""

from __future__ import annotations

from enum import StrEnum
from typing import get_args

from schemas.codes import MediationOutcome
from schemas.referrals import ReferralType


class Status(StrEnum):
    """Stored referral statuses; overdue is derived from the clocks, never stored."""

    SENT = "sent"  # DA_GUI
    ACKNOWLEDGED = "acknowledged"  # DA_TIEP_NHAN
    IN_PROGRESS = "in_progress"  # DANG_XU_LY
    CLOSED = "closed"  # DA_KET_THUC (with an outcome)
    RETURNED = "returned"  # TRA_LAI
    REFUSED = "refused"  # TU_CHOI


class Action(StrEnum):
    """What the receiving agency can do, and the sender's answer to a request for information."""

    ACKNOWLEDGE = "acknowledge"
    START = "start"
    REQUEST_INFORMATION = "request_information"
    CLOSE = "close"
    RETURN = "return"
    REFUSE = "refuse"
    PROVIDE_INFORMATION = "provide_information"  # the sender's, only while the receiver waits for it


TRANSITIONS: dict[tuple[Status, Action], Status] = {
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
TERMINAL: frozenset[Status] = frozenset({Status.CLOSED, Status.RETURNED, Status.REFUSED})
OPEN: frozenset[Status] = frozenset(Status) - TERMINAL

# One source for each list: the API's Literals (schemas/); tests/unit/test_transitions.py ties Status to them.
REFERRAL_TYPES: tuple[str, ...] = get_args(ReferralType)
_MEDIATION: tuple[str, ...] = get_args(MediationOutcome)
OUTCOMES: dict[str, tuple[str, ...]] = {
    "CHUYEN_HO_SO_HINH_SU": ("KHOI_TO", "KHONG_KHOI_TO", "TAM_DINH_CHI"),
    "CHUYEN_HOA_GIAI": _MEDIATION,
    "CHUYEN_TRONG_TAI": (*_MEDIATION, "QD_CONG_NHAN_TRONG_TAI", "PHAN_QUYET"),
    "CHUYEN_TOA_AN": (*_MEDIATION, "CONG_NHAN", "KHONG_CONG_NHAN"),
}
DEFAULT_OUTCOMES: tuple[str, ...] = ("HOAN_THANH",)  # completed (opinion given, verification done, …)


# The sender's actions: answering a request for information leaves the status as it is (and restarts the clock).
SENDER_ACTIONS: frozenset[Action] = frozenset({Action.PROVIDE_INFORMATION})


def sender_actions(current: Status, awaiting_information: bool) -> list[Action]:
    """Actions the sender may take now: answering, while the receiver waits for information on an open referral."""
    return [Action.PROVIDE_INFORMATION] if awaiting_information and current in OPEN else []


def next_status(current: Status, action: Action) -> Status | None:
    """The status an action leads to, or None when the table does not allow it."""
    return TRANSITIONS.get((current, action))


def allowed_actions(current: Status) -> list[Action]:
    """Actions the receiver may take now, in table order."""
    return [action for (status, action) in TRANSITIONS if status == current]


def outcomes_for(referral_type: str) -> tuple[str, ...]:
    """Outcome codes a referral of this type may close with."""
    return OUTCOMES.get(referral_type, DEFAULT_OUTCOMES)
