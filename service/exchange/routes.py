"""The exchange's routes: the public descriptor and inbox (authenticated by the message's signature), and the
coordinators' view of partners and of every message exchanged (docs/exchange.md)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import HeaderParameter, PathParameter, RawBody
from litestar.status_codes import HTTP_202_ACCEPTED

from schemas.exchange import ArrivedOut, DescriptorOut, ExchangeMessageOut, PartnerOut
from service.attachments.routes import STORED_TYPES
from service.attachments.service import AttachmentConfig
from service.auth.guards import require_coordinator
from service.clock import now
from service.contract.declare import documented
from service.db import DbSession
from service.exchange import fetch, inbox, repository, service
from service.exchange.incoming_pages import IncomingFilePages
from service.exchange.pages import ExchangePages
from service.exchange.relay import MEDIA_TYPE
from service.exchange.service import INBOX_PATH, Node
from service.settings import Settings, SettingsDep

DESCRIPTOR_PATH = "/.well-known/ipcoord-exchange"
NodeDep = NamedDependency[Node]


@get(DESCRIPTOR_PATH, tags=["exchange"], opt=documented())
async def exchange_descriptor(node: NodeDep, db_session: DbSession) -> DescriptorOut:
    """Mô tả nút trao đổi (công khai) / This node's exchange descriptor (public): id, inbox, keys, agencies."""
    return await service.descriptor(db_session, node)


@post(
    INBOX_PATH,
    status_code=HTTP_202_ACCEPTED,
    tags=["exchange"],
    opt=documented(*inbox.REFUSALS, 413, consumes=MEDIA_TYPE),
)
async def receive_message(body: RawBody, node: NodeDep, db_session: DbSession) -> ArrivedOut:
    """Nhận thông điệp từ nút đối tác (xác thực bằng chữ ký) / Receive a partner node's signed message.

    The request body is a compact JWS, `Content-Type: application/jose` (docs/exchange.md §4)."""
    token = body.decode("ascii", errors="replace").strip()
    return ArrivedOut(**await inbox.receive(db_session, node, token, now()))


@get(
    "/api/exchange/v1/attachments/{sha256:str}",
    tags=["exchange"],
    media_type="application/octet-stream",
    opt={"skip_compression": True, **documented(*fetch.REFUSALS, produces=STORED_TYPES)},
)
async def fetch_attachment(
    sha256: Annotated[str, PathParameter(pattern=r"^[0-9a-f]{64}$")],
    node: NodeDep,
    settings: SettingsDep,
    db_session: DbSession,
    authorization: Annotated[
        str | None,
        HeaderParameter(name="Authorization", description="Ipcoord-Exchange <JWS of a fetch envelope>"),
    ] = None,
) -> Response[bytes]:
    """Tệp của phiếu chuyển, cho nút đối tác (yêu cầu có chữ ký) / A referral's file for the partner it was sent to
    (signed request: `Authorization: Ipcoord-Exchange <JWS>`, docs/exchange.md §6)."""
    store = AttachmentConfig.from_settings(settings).store
    attachment, content = await fetch.fetch(db_session, node, store, authorization, sha256, now())
    return Response(content, media_type=attachment.content_type)


@get("/api/exchange/v1/partners", tags=["exchange"], guards=[require_coordinator], opt=documented())
async def list_partners(db_session: DbSession) -> list[PartnerOut]:
    """Các nút đối tác / Partner nodes and their pinned keys (coordinators)."""
    return [service.partner_out(p) for p in await repository.list_partners(db_session)]


@get("/api/exchange/v1/log", tags=["exchange"], guards=[require_coordinator], opt=documented())
async def message_log(db_session: DbSession) -> list[ExchangeMessageOut]:
    """Nhật ký trao đổi / Every message that left or arrived, newest first (coordinators)."""
    return [service.message_out(m) for m in await repository.message_log(db_session)]


def exchange_router(settings: Settings) -> Router:
    """The exchange routes with this process's node (its key loaded once)."""
    node = Node.of(settings)

    def provide_node() -> Node:
        return node

    handlers: list[Any] = [
        exchange_descriptor,
        receive_message,
        fetch_attachment,
        list_partners,
        message_log,
        ExchangePages,
        IncomingFilePages,
    ]
    return Router(
        path="/",
        route_handlers=handlers,
        dependencies={"node": Provide(provide_node, sync_to_thread=False)},
    )
