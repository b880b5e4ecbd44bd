"""The coordinator's dashboard page."""

from __future__ import annotations

from litestar import Controller

from service.auth.guards import require_login


class DashboardPageController(Controller):
    """Placeholder until its pages land."""

    path = "/dashboard"
    guards = [require_login]
    include_in_schema = False
