"""The only routes that answer without a login: part of the contract (every other operation may answer 401/403).

The authentication middleware (service/auth/middleware.py) lets these through; tests/test_routes_guarded.py checks
that every other route of the app refuses an anonymous request.
"""

from __future__ import annotations

PUBLIC_PATHS: tuple[str, ...] = (
    r"^/health(/live|/ready)?$",
    r"^/api/auth/login$",
    r"^/login$",
    r"^/lang$",
    r"^/schema(/.*)?$",
    r"^/static/",
    r"^/sw\.js$",  # the service worker: a script, no data (service/web/offline.py)
    # The exchange descriptor is public: partner nodes fetch it to pin this node's key (docs/exchange.md).
    r"^/\.well-known/ipcoord-exchange$",
    # A partner node's message is authenticated by its signature under the key pinned for that partner.
    r"^/api/exchange/v1/messages$",
    r"^/api/exchange/v1/attachments/[^/]+$",  # likewise: a signed request of a partner node
    r"^/api/share/v1/token$",  # OAuth 2 client credentials: authenticated by the partner's secret
)
