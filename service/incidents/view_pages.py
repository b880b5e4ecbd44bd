"""One incident as a page: its facts, history, attachments and referrals."""

from __future__ import annotations

from litestar import Controller

from service.auth.guards import require_login


class IncidentViewPageController(Controller):
    """Placeholder until its pages land."""

    path = "/incidents"
    guards = [require_login]
    include_in_schema = False
