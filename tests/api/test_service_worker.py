"""The service worker keeps every file the inspector's pages link, under the very URLs they link."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.builders import logged_in

Client = AsyncTestClient[Litestar]


@pytest.mark.parametrize("path", ["/incidents/new", "/incidents/mine"])
async def test_every_file_an_inspector_page_links_is_kept_by_the_worker(client: Client, db: AsyncSession, path: str):
    await logged_in(client, db)
    page = (await client.get(path, headers={"accept": "text/html"})).text
    worker = (await client.get("/sw.js")).text
    linked = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert linked and {url.replace("&amp;", "&") for url in linked} <= set(re.findall(r'"(/static/[^"]+)"', worker))
    assert f'"{path}"' in worker


async def test_the_worker_answers_anyone_without_a_cookie(client: Client):
    response = await client.get("/sw.js")
    assert response.status_code == 200 and "set-cookie" not in response.headers
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
