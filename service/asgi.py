"""The ASGI entry point for uvicorn and other servers: settings from the environment, JSON logs."""

from __future__ import annotations

import gc

from litestar import Litestar

from service.app import create_app
from service.observability import configure_logging
from service.settings import Settings


def app_from_env() -> Litestar:
    """Build the app from the environment (used with `uvicorn --factory service.asgi:app_from_env`)."""
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    app = create_app(settings)
    app.on_startup.append(freeze_start_up_objects)  # after the app's own start-up: the geo registry is loaded
    return app


def freeze_start_up_objects() -> None:
    """Leave what start-up loaded (the libraries, the geo registry: about a million objects that live as long as
    the process) out of the garbage collector's full collections, which otherwise walk it all (~100 ms each, the
    p99 of a list under load). Done by the served process only; tests build many apps in one process."""
    gc.collect()
    gc.freeze()
