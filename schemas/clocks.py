"""A running time limit, shown on referrals and incidents."""

from __future__ import annotations

from datetime import date

from schemas.base import Schema


class ClockOut(Schema, kw_only=True):
    """A running time limit: when it is due, how many days are left, whether it is overdue."""

    name: str
    rule: str
    legal_basis: str
    due_on: date
    days_left: int
    overdue: bool
