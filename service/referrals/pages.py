"""Agency staff pages: referral inbox and outbox with clocks, one referral with its timeline and actions."""

from __future__ import annotations

from litestar import Controller

from service.auth.guards import require_login


class ReferralPageController(Controller):
    """Placeholder until its pages land."""

    path = "/referrals"
    guards = [require_login]
    include_in_schema = False
