"""The ASGI entry point for uvicorn and other servers: settings from the environment, JSON logs."""

from __future__ import annotations

from litestar import Litestar

from service.app import create_app
from service.observability import configure_logging
from service.settings import Settings


def app_from_env() -> Litestar:
    """Build the app from the environment (used with `uvicorn --factory service.asgi:app_from_env`)."""
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    return create_app(settings)
