"""GET /.well-known/ipcoord-exchange: the node descriptor partners pin."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from service.exchange import keys
from service.settings import Settings


async def test_the_descriptor_names_the_node_its_inbox_key_and_agencies(
    client: AsyncTestClient[Litestar], settings: Settings
):
    response = await client.get("/.well-known/ipcoord-exchange")  # no login: partners fetch it
    assert response.status_code == 200
    body = response.json()
    assert body["node_id"] == settings.exchange_node_id
    assert body["protocol"] == "ipcoord-exchange/1"
    assert body["inbox_url"] == f"{settings.exchange_public_url}/api/exchange/v1/messages"
    [jwk] = body["jwks"]["keys"]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    on_disk = keys.load_or_create(None, settings.data_dir)
    assert jwk["kid"] == keys.fingerprint(on_disk)
    assert "QLTT" in {agency["code"] for agency in body["agencies"]}
