"""URLs a request names: http(s) only, never a private, loopback or link-local address (pure: parsed, never
resolved or fetched; the server does not visit the URLs, the agency's staff do)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from service.errors import Invalid

# Names that only ever mean a machine of one's own network.
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet")


class BadScheme(Invalid):
    code = "takedown.url_scheme"


class PrivateAddress(Invalid):
    code = "takedown.url_private"


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, also in the legacy IPv4 forms browsers accept (127.1, 0x7f.0.0.1)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if all(part and all(ch in "0123456789abcdefx" for ch in part) for part in host.split(".")):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_public_host(host: str) -> bool:
    """Whether a host may be on the public internet: a global IP literal, or a dotted name not reserved locally."""
    host = host.rstrip(".").lower()
    address = _ip(host)
    if address is not None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return address.is_global and not address.is_multicast
    return "." in host and host != "localhost" and not host.endswith(_PRIVATE_SUFFIXES)


def checked_url(raw: str, field: str) -> tuple[str, str]:
    """(the URL, its host) when it is http(s) and public; else a 400 naming `field`."""
    url = raw.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        raise BadScheme(field=field) from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise BadScheme(field=field)
    if parts.username is not None or not is_public_host(host):
        raise PrivateAddress(field=field, host=host[:100])
    return url, host.rstrip(".").lower()
