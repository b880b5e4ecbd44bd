"""GET /.well-known/ipcoord-exchange: the node descriptor, public (partners fetch it to pin the key)."""

from __future__ import annotations

from litestar import Router, get
from litestar.di import NamedDependency, Provide

from schemas.exchange import DescriptorOut
from service.contract.declare import documented
from service.db import DbSession
from service.exchange import service
from service.exchange.service import Node
from service.settings import Settings

DESCRIPTOR_PATH = "/.well-known/ipcoord-exchange"
NodeDep = NamedDependency[Node]


@get(DESCRIPTOR_PATH, tags=["exchange"], opt=documented())
async def exchange_descriptor(node: NodeDep, db_session: DbSession) -> DescriptorOut:
    """Mô tả nút trao đổi (công khai) / This node's exchange descriptor (public): id, inbox, keys, agencies."""
    return await service.descriptor(db_session, node)


def exchange_router(settings: Settings) -> Router:
    """The exchange routes with this process's node (its key loaded once)."""
    node = Node.of(settings)

    def provide_node() -> Node:
        return node

    return Router(
        path="/",
        route_handlers=[exchange_descriptor],
        dependencies={"node": Provide(provide_node, sync_to_thread=False)},
    )
