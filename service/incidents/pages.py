"""Inspector pages: record an incident on a phone, my incidents."""

from __future__ import annotations

from litestar import Controller

from service.auth.guards import require_login


class IncidentPageController(Controller):
    """Placeholder until its pages land."""

    path = "/incidents"
    guards = [require_login]
    include_in_schema = False
