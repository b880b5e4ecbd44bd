"""GET /exchange: the coordinators' page of partner nodes and of every message exchanged with them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, get
from litestar.response import Template

from service.auth.guards import require_coordinator
from service.db import DbSession
from service.exchange import repository, service
from service.web.context import page


class ExchangePages(Controller):
    """Trao đổi với các tỉnh / The exchange with other nodes (coordinators and admins)."""

    path = "/exchange"
    guards = [require_coordinator]
    include_in_schema = False

    @get("/", media_type=MediaType.HTML)
    async def index(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        """Partners with their pinned fingerprints, then the message log, newest first."""
        partners = [service.partner_out(p) for p in await repository.list_partners(db_session)]
        messages = [service.message_out(m) for m in await repository.message_log(db_session)]
        return page(request, "exchange/index.html.j2", partners=partners, messages=messages)
