"""The map answers cache: a second view comes from PostgreSQL (for every app instance), every write to what the
maps count makes the next view fresh, answers are scoped, and the cache stays bounded."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.jobs import app as job_app
from service.map_views import repository
from service.map_views.jobs import FOLD
from service.map_views.models import MapDataChange, MapResult
from service.settings import Settings
from tests.builders import logged_in, make_incident, make_user

Client = AsyncTestClient[Litestar]
H3 = {"areas": "h3", "resolution": "7"}


async def _province_count(client: Client) -> float:
    response = await client.get("/api/maps/choropleth")
    assert response.status_code == 200, response.text
    return float(response.json()["province_totals"]["count"])


async def test_a_second_view_is_the_stored_answer_on_any_app_instance(
    client: Client, db: AsyncSession, settings: Settings
):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    for _ in range(3):
        await make_incident(db, user)
    first = await client.get("/api/maps/hotspots", params=H3)
    assert first.status_code == 200 and first.json()["incidents"] == 3
    assert await db.scalar(select(func.count()).select_from(MapResult)) == 1
    # Mark the stored answer: a view that shows the mark was served from the cache, not computed again.
    stored = json.loads((await db.scalar(select(MapResult.body))) or b"{}")
    await db.execute(
        text("UPDATE map_results SET body = :body"), {"body": json.dumps(stored | {"incidents": 777}).encode()}
    )
    await db.commit()
    assert (await client.get("/api/maps/hotspots", params=H3)).json()["incidents"] == 777
    async with AsyncTestClient(app=create_app(settings)) as other_instance:
        await logged_in(other_instance, db, agency="SKHCN", role="coordinator")
        assert (await other_instance.get("/api/maps/hotspots", params=H3)).json()["incidents"] == 777
        assert (await other_instance.get("/api/maps/hotspots", params=H3 | {"alpha": "0.05"})).json()["incidents"] == 3


async def test_recording_withdrawing_and_linking_incidents_show_on_the_next_view(client: Client, db: AsyncSession):
    inspector, headers = await logged_in(client, db, agency="QLTT", role="inspector")
    first = await make_incident(db, inspector)
    assert await _province_count(client) == 1
    second = await make_incident(db, inspector)
    assert await _province_count(client) == 2
    withdrawn = await client.post(
        f"/api/incidents/{second.id}/withdraw", json={"version": 1, "reason": "Ghi nhầm vụ"}, headers=headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert await _province_count(client) == 1
    third = await make_incident(db, inspector)
    assert await _province_count(client) == 2
    _, coordinator_headers = await logged_in(client, db, agency="SKHCN", role="coordinator")
    link = {"incident_ids": [str(first.id), str(third.id)], "reason": "Cùng một vụ thu giữ"}
    linked = await client.post("/api/cases", json=link, headers=coordinator_headers)
    assert linked.status_code == 201, linked.text
    assert await _province_count(client) == 1  # a linked case counts once


async def test_an_agency_sees_its_own_answer_not_the_province_one_stored_before(client: Client, db: AsyncSession):
    qltt = await make_user(db, agency="QLTT")
    police = await make_user(db, agency="CA")
    await make_incident(db, qltt)
    await make_incident(db, police)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    assert (await client.get("/api/maps/choropleth")).json()["totals"]["count"] == 2
    await logged_in(client, db, agency="CA", role="agency_staff")
    own = (await client.get("/api/maps/choropleth")).json()
    assert own["scope"] == "agency" and own["totals"]["count"] == 1 and own["province_totals"]["count"] == 2


async def test_every_statement_writing_what_maps_count_moves_the_data_version_and_nothing_else_does(db: AsyncSession):
    user = await make_user(db, agency="QLTT")
    incident = await make_incident(db, user)  # (make_user and make_incident commit)
    seen = [await repository.data_version(db)]
    for statement in (
        "UPDATE incidents SET lon = lon + 0.001",  # a correction, an import's row, an anonymisation
        "UPDATE agencies SET name_en = name_en WHERE code = 'CA'",
        "DELETE FROM incidents WHERE id = :id",
    ):
        await db.execute(text(statement), {"id": incident.id})
        await db.commit()
        seen.append(await repository.data_version(db))
    assert seen == sorted(set(seen)), seen  # strictly growing
    await db.execute(text("UPDATE users SET username = username"))
    await db.commit()
    assert await repository.data_version(db) == seen[-1]
    await db.execute(text("UPDATE incidents SET lat = lat"))
    await db.rollback()  # a write that never commits changes nothing
    assert await repository.data_version(db) == seen[-1]


async def test_the_cache_keeps_only_current_recent_answers_and_folds_the_change_rows(db: AsyncSession):
    version = await repository.data_version(db)
    for i in range(8):
        await repository.store_result(db, f"old-{i}", version, b"{}", timedelta(hours=1), max_entries=5)
        await db.commit()
    assert await db.scalar(select(func.count()).select_from(MapResult)) == 5  # the newest five
    await repository.store_result(db, "gone", version, b"{}", timedelta(seconds=-1), max_entries=5)
    assert await repository.cached_result(db, "gone", version) is None  # expired: never read
    assert await repository.cached_result(db, "old-7", version) == b"{}"
    assert await repository.cached_result(db, "old-2", version) is None  # past the newest five
    assert await repository.cached_result(db, "old-7", version + 1) is None  # another version: not this answer
    db.add_all([MapDataChange(weight=1) for _ in range(150)])
    await db.commit()
    newer = await repository.data_version(db)
    assert newer == version + 150
    await repository.store_result(db, "new", newer, b"[]", timedelta(hours=1), max_entries=5)
    await db.commit()
    assert await repository.data_version(db) == newer  # folded, the version kept
    assert await db.scalar(select(func.count()).select_from(MapDataChange)) == 1
    assert list(await db.scalars(select(MapResult.key))) == ["new"]  # older versions' answers deleted


async def test_a_map_page_drawn_once_is_drawn_again_after_a_write(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await make_incident(db, user)  # in Đoàn Kết (03388)
    html = {"Accept": "text/html"}
    first = (await client.get("/maps/choropleth", headers=html)).text
    second = (await client.get("/maps/choropleth", headers=html)).text
    assert _without_nonces(second) == _without_nonces(first)
    assert await db.scalar(select(func.count()).select_from(MapResult)) == 2  # the figures and the drawn page
    await make_incident(db, user)
    again = (await client.get("/maps/choropleth", headers=html)).text
    assert re.search(r"Đoàn Kết</a> \(1\)", first) and re.search(r"Đoàn Kết</a> \(2\)", again)


def _without_nonces(page: str) -> str:
    return re.sub(r'nonce="[^"]+"', "", page)


async def test_the_hourly_job_folds_the_change_rows_when_no_map_is_viewed(db: AsyncSession):
    """Writes leave a row each; with no map stored to fold them, the worker's hourly job does, the version kept."""
    db.add_all([MapDataChange(weight=1) for _ in range(40)])  # fewer than a store folds
    await db.commit()
    version = await repository.data_version(db)
    assert await repository.fold_changes(db) >= 40
    await db.commit()
    assert await repository.data_version(db) == version
    assert await db.scalar(select(func.count()).select_from(MapDataChange)) == 1
    assert await repository.fold_changes(db) == 0  # one row: nothing to fold
    assert FOLD in {periodic.task.name for periodic in job_app.periodic_registry.periodic_tasks.values()}
