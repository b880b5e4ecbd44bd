"""Growing delays after consecutive failures of one account (pure): the account slows down, whatever the address.

Failed sign-ins and failed second-factor codes are counted per user (users.failed_sign_ins,
users.failed_second_factors). The first few failures are free; from then on each one doubles the wait before
the next attempt is even checked, up to a ceiling. A success resets the count. Per-address limits (the rate
limiter in service/app.py) still apply on top.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FREE_SIGN_IN_FAILURES = 3
FREE_SECOND_FACTOR_FAILURES = 5
MAX_DELAY = timedelta(minutes=15)


def delay_after(failures: int, free: int) -> timedelta:
    """The wait imposed after `failures` consecutive failures: none for the first `free`, then 1 s doubling."""
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - free)), MAX_DELAY)


def retry_after(failures: int, last_failure: datetime | None, free: int, now: datetime) -> int:
    """Whole seconds until the account may try again (0: now)."""
    if last_failure is None:
        return 0
    wait = last_failure + delay_after(failures, free) - now
    return max(0, int(wait.total_seconds() + 0.999))
