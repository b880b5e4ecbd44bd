"""Security headers on every response; pages get a Content-Security-Policy with a per-request script nonce."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

NONCE_KEY = "csp_nonce"
BASE_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    # The record form uses the phone's position and camera; nothing else may.
    "permissions-policy": "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()",
}


def tile_origin(tile_url: str | None) -> str:
    """The origin base-map tiles come from, for img-src ('' when tiles are off or on ipcoord itself)."""
    if not tile_url or tile_url.startswith("/"):
        return ""
    parts = urlsplit(tile_url.replace("{s}", "a"))
    host = parts.netloc if "{s}" not in tile_url else "*." + parts.netloc.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def content_security_policy(nonce: str, tiles: str, *, framed: bool = False) -> str:
    """Only ipcoord's own scripts (plus inline ones carrying this response's nonce), styles, images and fonts;
    framed only by ipcoord's own pages when ``framed`` (the dashboard's maps), else by none."""
    images = " ".join(part for part in ("'self'", "data:", "blob:", tiles) if part)
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            # Leaflet and the map legend set style attributes; no script can be injected through them.
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'" if framed else "frame-ancestors 'none'",
        )
    )


def nonce_of(scope: Scope | Any) -> str:
    """The script nonce of this request (templates put it on every inline <script>)."""
    return str(scope.get("state", {}).get(NONCE_KEY, ""))


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response, and the CSP to HTML ones."""

    def __init__(self, app: ASGIApp, tile_url: str | None = None) -> None:
        self.app = app
        self.tiles = tile_origin(tile_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Generate the nonce, then decorate the response start."""
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})[NONCE_KEY] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in BASE_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    # A page that says SAMEORIGIN itself (the dashboard's map frames) may be framed by ipcoord.
                    framed = headers.get("x-frame-options") == "SAMEORIGIN"
                    headers["content-security-policy"] = content_security_policy(nonce, self.tiles, framed=framed)
            await send(message)

        await self.app(scope, receive, send_with_headers)
