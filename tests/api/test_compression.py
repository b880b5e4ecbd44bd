"""The app-wide gzip: text (JSON, CSV) is compressed for a browser that asks; compressed files are sent as they are."""

from __future__ import annotations

import gzip

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.test_exports import read_csv, read_xlsx
from tests.builders import logged_in
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]
GZIP = {"accept-encoding": "gzip"}


async def _some_incidents(client: Client, db: AsyncSession, count: int = 4) -> None:
    _, headers = await logged_in(client, db, agency="QLTT")
    for _ in range(count):
        response = await client.post("/api/incidents", json=body("seizure"), headers=headers)
        assert response.status_code == 201, response.text


async def test_an_xlsx_export_is_not_gzipped_again_while_json_and_csv_are(client: Client, db: AsyncSession):
    await _some_incidents(client, db)
    listed = await client.get("/api/incidents", headers=GZIP)
    assert listed.status_code == 200 and listed.headers["content-encoding"] == "gzip"
    xlsx = await client.get("/api/incidents/export", params={"format": "xlsx"}, headers=GZIP)
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.headers["content-type"]
    assert "content-encoding" not in xlsx.headers
    assert xlsx.content.startswith(b"PK") and len(read_xlsx(xlsx.content)) == 5  # the zip itself, header + 4 rows
    csv = await client.get("/api/incidents/export", params={"format": "csv"}, headers=GZIP)
    assert csv.status_code == 200 and csv.headers["content-encoding"] == "gzip"
    assert len(read_csv(csv.content)) == 5  # httpx decodes it


async def test_a_referral_queue_xlsx_is_sent_as_written(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="CA")
    xlsx = await client.get("/api/referrals/export", params={"format": "xlsx"}, headers=GZIP)
    assert xlsx.status_code == 200 and "content-encoding" not in xlsx.headers
    assert read_xlsx(xlsx.content)[0][0] == "Mã hồ sơ chuyển"


async def test_a_gzipped_list_is_plain_gzip_of_the_same_json_with_its_length(client: Client, db: AsyncSession):
    await _some_incidents(client, db, count=6)
    plain = await client.get("/api/incidents", headers={"accept-encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    async with client.stream("GET", "/api/incidents", headers=GZIP) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.headers["content-encoding"] == "gzip" and "accept-encoding" in response.headers["vary"].lower()
    assert int(response.headers["content-length"]) == len(raw) < len(plain.content)
    assert gzip.decompress(raw) == plain.content


async def test_a_small_answer_is_not_gzipped(client: Client, db: AsyncSession):
    health = await client.get("/health", headers=GZIP)
    assert health.status_code == 200 and len(health.content) < 1000
    assert "content-encoding" not in health.headers


async def test_a_streamed_csv_export_is_one_gzip_stream_of_every_row(client: Client, db: AsyncSession):
    await _some_incidents(client, db, count=3)
    params = {"format": "csv"}
    plain = await client.get("/api/incidents/export", params=params, headers={"accept-encoding": "identity"})
    async with client.stream("GET", "/api/incidents/export", params=params, headers=GZIP) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.headers["content-encoding"] == "gzip" and "content-length" not in response.headers
    assert gzip.decompress(raw) == plain.content and len(read_csv(plain.content)) == 4
