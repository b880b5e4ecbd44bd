"""Time: stored in UTC, shown and reasoned about in Lai Châu's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def local_day(moment: datetime) -> date:
    """The calendar day in Lai Châu on which `moment` falls (what legal dates refer to)."""
    return moment.astimezone(LOCAL_TZ).date()


def in_force(valid_from: date, valid_to: date | None, on: date) -> bool:
    """True when a versioned rule (valid_from … valid_to, both inclusive) applies on `on`."""
    return valid_from <= on and (valid_to is None or on <= valid_to)


class Versioned(Protocol):
    """A rule in force from `valid_from` to `valid_to` (inclusive; None: still in force), with its legal basis."""

    @property
    def legal_basis(self) -> str: ...

    @property
    def valid_from(self) -> date: ...

    @property
    def valid_to(self) -> date | None: ...


def is_in_force(rule: Versioned, on: date) -> bool:
    """True when the versioned rule applies on `on`."""
    return in_force(rule.valid_from, rule.valid_to, on)
