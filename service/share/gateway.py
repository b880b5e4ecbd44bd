"""The province's LGSP gateway may authenticate partners itself and forward their calls naming the partner
application in a header. It is believed only when SHARE_GATEWAY_ENABLED is on and the call carries the gateway's
shared secret or comes from one of its configured addresses (docs/sharing.md); otherwise the header is a spoof."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from service.errors import AppError
from service.settings import Settings

PARTNER_HEADER = "X-LGSP-Client-Id"
SECRET_HEADER = "X-LGSP-Gateway-Secret"  # noqa: S105 - a header name, not a secret


class GatewayRefused(AppError):
    """A call naming a partner in the gateway's header that does not come from the gateway."""

    status = 401
    code = "share.gateway_refused"


def named_client(headers: Mapping[str, str]) -> str | None:
    """The client id named in the gateway's header, if the call has one."""
    client_id = headers.get(PARTNER_HEADER, "").strip()[:40]
    return client_id or None


def check_sent_by_gateway(settings: Settings, headers: Mapping[str, str], client_host: str | None) -> None:
    """A 401 unless the gateway sent this call: the setting on, and its secret or one of its addresses."""
    if not settings.share_gateway_enabled:
        raise GatewayRefused()
    secret = headers.get(SECRET_HEADER, "")
    by_secret = settings.share_gateway_secret is not None and hmac.compare_digest(
        secret.encode(), settings.share_gateway_secret.encode()
    )
    by_address = client_host is not None and client_host in settings.share_gateway_addresses
    if not (by_secret or by_address):
        raise GatewayRefused()
