"""ALLOWED_HOSTS as deployers write it: host names, matched on any port.

Litestar's own allowed-hosts check compares the whole `Host` header, port included, so `localhost` refused
`localhost:8000`. This middleware compares only the host part: `localhost`, `127.0.0.1`, `[::1]`,
`ipcoord.laichau.gov.vn` (exact, case-insensitive) and `*.laichau.gov.vn` (any subdomain, not the domain
itself, as Litestar does); `*` turns the check off. A refused request gets the contract's 400 `request.bad_host`.
`/health` (and the paths under it) is answered whatever the Host: the container's health check asks
`127.0.0.1:8000`, which a deployer rarely lists, and a health answer carries nothing built from the Host.
"""

from __future__ import annotations

import re

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from service.errors import AppError

HEALTH_PATHS = re.compile(r"^/health(/|$)")


def _is_health(scope: Scope) -> bool:
    return bool(HEALTH_PATHS.match(scope.get("path", "")))


class BadHost(AppError):
    """The request's Host header names a host outside ALLOWED_HOSTS."""

    status = 400
    code = "request.bad_host"


def host_of(header: str) -> str:
    """The host part of a Host header, lower-cased, without its port: 'LocalHost:8000' -> 'localhost'."""
    header = header.strip().lower()
    if header.startswith("["):  # IPv6 literal: [::1]:8000
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostMatcher:
    """Whether a Host header names one of the allowed hosts (patterns as in ALLOWED_HOSTS)."""

    def __init__(self, allowed: tuple[str, ...]) -> None:
        patterns = [host_of(h) if not h.startswith("*.") else h.strip().lower() for h in allowed]
        self.any = "*" in patterns
        self.exact = {p for p in patterns if not p.startswith("*.")}
        self.suffixes = tuple(p[1:] for p in patterns if p.startswith("*."))  # "*.a.vn" -> ".a.vn"

    def allows(self, header: str | None) -> bool:
        """True when the header's host is allowed; a missing or empty host is refused unless '*'."""
        if self.any:
            return True
        host = host_of(header or "")
        return bool(host) and (host in self.exact or host.endswith(self.suffixes))


class AllowedHostsMiddleware(ASGIMiddleware):
    """Refuse requests whose Host is not allowed (inside Litestar's error handling, so the contract renders it)."""

    # By the request's path (a route's own path pattern would miss handlers mounted under a router).
    should_bypass_for_scope = staticmethod(_is_health)

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.matcher = HostMatcher(allowed)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Pass the request on, or raise BadHost."""
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        if not self.matcher.allows(host):
            raise BadHost()
        await next_app(scope, receive, send)
