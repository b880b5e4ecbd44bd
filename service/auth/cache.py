"""A short-lived, per-process cache of authenticated principals, so a request need not look its caller up.

Entries live AUTH_CACHE_SECONDS (10 s): a token revoked or a user deactivated on another instance stops
working there within that time; on this instance at once (the service invalidates its own entries).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable

from service.auth.principal import Principal

AUTH_CACHE_SECONDS = 10.0
MAX_ENTRIES = 10_000


class PrincipalCache:
    """Key -> Principal with a time to live and a size bound (oldest evicted first)."""

    def __init__(self, ttl: float = AUTH_CACHE_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Principal]] = OrderedDict()

    def get(self, key: Hashable) -> Principal | None:
        """The cached principal, if still fresh."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, principal = entry
        if expires < time.monotonic():
            self._entries.pop(key, None)
            return None
        return principal

    def put(self, key: Hashable, principal: Principal) -> None:
        """Remember a principal for the time to live."""
        self._entries[key] = (time.monotonic() + self.ttl, principal)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def forget_user(self, user_id: object) -> None:
        """Drop every entry of one user (after revocation, deactivation or a role change)."""
        for key in [k for k, (_, p) in self._entries.items() if p.user_id == user_id]:
            self._entries.pop(key, None)

    def clear(self) -> None:
        """Drop everything."""
        self._entries.clear()


principals = PrincipalCache()
