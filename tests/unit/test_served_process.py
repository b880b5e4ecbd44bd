"""The served process (uvicorn --factory service.asgi:app_from_env) leaves what start-up loaded out of the garbage
collector's full collections: a full collection that walks ~500,000 long-lived objects takes ~0.2 s, the p99 of a
list under load (tests/benchmarks/bench_incidents.py measures it)."""

from __future__ import annotations

import gc

import pytest

from service import asgi
from tests.conftest import TEST_SECRET


def test_the_served_app_freezes_its_start_up_objects_after_its_own_start_up(
    monkeypatch: pytest.MonkeyPatch, database_url: str
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setattr(asgi, "configure_logging", lambda _level: None)  # the suite's own log handling stays
    app = asgi.app_from_env()
    assert app.on_startup[-1] is asgi.freeze_start_up_objects  # after the geo registry is loaded
    try:
        asgi.freeze_start_up_objects()
        assert gc.get_freeze_count() > 10_000  # the libraries and the app, at least
    finally:
        gc.unfreeze()
