"""The login cache forgets entries after their time to live, on request, and beyond its size."""

from __future__ import annotations

import time
import uuid

from service.auth.cache import PrincipalCache
from service.auth.models import Role
from service.auth.principal import Principal


def _principal() -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        username="u",
        agency_id=uuid.uuid4(),
        agency_code="QLTT",
        role=Role.INSPECTOR,
        method="token",
    )


def test_entries_expire():
    cache = PrincipalCache(ttl=0.05)
    cache.put("k", _principal())
    assert cache.get("k") is not None
    time.sleep(0.06)
    assert cache.get("k") is None


def test_forgetting_a_user_drops_all_their_entries():
    cache, someone, other = PrincipalCache(), _principal(), _principal()
    cache.put(("token", "a"), someone)
    cache.put(("user", "b"), someone)
    cache.put(("token", "c"), other)
    cache.forget_user(someone.user_id)
    assert cache.get(("token", "a")) is None and cache.get(("user", "b")) is None
    assert cache.get(("token", "c")) is other


def test_size_is_bounded_oldest_first():
    cache = PrincipalCache(max_entries=2)
    first, second, third = _principal(), _principal(), _principal()
    cache.put(1, first)
    cache.put(2, second)
    cache.put(3, third)
    assert cache.get(1) is None and cache.get(2) is second and cache.get(3) is third
