"""/health tells an operator whether workers run and how much work waits; /health/live and /health/ready probe."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.clock import now
from service.health.heartbeats import beat
from service.jobs import QUEUE, connected
from service.settings import Settings
from tests.builders import logged_in
from tests.conftest import TEST_SECRET, create_database, drop_database

HTML = {"Accept": "text/html"}


async def test_health_says_no_worker_for_10_minutes_when_none_was_seen(client: AsyncTestClient[Litestar]):
    response = await client.get("/health")
    assert response.status_code == 200
    health = response.json()
    assert health["status"] == "degraded" and health["database"] == "ok" and health["workers"] == []
    assert [n["code"] for n in health["notices"]] == ["health.no_worker"]
    assert "10 phút" in health["notices"][0]["message_vi"] and "10 minutes" in health["notices"][0]["message_en"]


async def test_health_lists_each_worker_last_seen_and_the_queue_depth(
    client: AsyncTestClient[Litestar], db: AsyncSession, database_url: str
):
    started = now() - timedelta(hours=1)
    await beat(db, "host-a:101", started, now() - timedelta(minutes=30), QUEUE)  # gone since
    await beat(db, "host-b:202", started, now(), QUEUE)
    await db.commit()
    async with connected(database_url) as job_app:
        job_id = await job_app.configure_task(name="notifications.deliver", queue=QUEUE).defer_async()
    try:
        health = (await client.get("/health")).json()
    finally:
        await db.execute(text("SET LOCAL search_path TO procrastinate"))  # its triggers name their tables bare
        await db.execute(text("DELETE FROM procrastinate_jobs WHERE id = :id"), {"id": job_id})
        await db.commit()
    assert job_id and health["status"] == "ok" and health["notices"] == []
    assert [w["name"] for w in health["workers"]] == ["host-b:202", "host-a:101"]
    assert health["queue_depth"] == 1


async def test_a_worker_silent_for_more_than_10_minutes_is_reported_missing(
    client: AsyncTestClient[Litestar], db: AsyncSession
):
    await beat(db, "host-a:101", now() - timedelta(days=1), now() - timedelta(minutes=11), QUEUE)
    await db.commit()
    health = (await client.get("/health")).json()
    assert health["status"] == "degraded" and [n["code"] for n in health["notices"]] == ["health.no_worker"]


async def test_the_dashboard_warns_administrators_when_no_worker_runs(
    client: AsyncTestClient[Litestar], db: AsyncSession
):
    await logged_in(client, db, agency="SKHCN", role="admin")
    page = (await client.get("/dashboard", headers=HTML)).text
    assert 'id="no-worker"' in page and "Không thấy tiến trình xử lý nền" in page
    await beat(db, "host-b:202", now(), now(), QUEUE)
    await db.commit()
    page = (await client.get("/dashboard", headers=HTML)).text
    assert 'id="no-worker"' not in page


async def test_liveness_and_readiness_of_a_migrated_service(client: AsyncTestClient[Litestar]):
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    assert (await client.get("/health/ready")).json() == {"status": "ok"}


async def test_readiness_is_refused_while_the_schema_is_not_at_head(server_url: str, tmp_root: Path):
    empty = await asyncio.to_thread(create_database, server_url, "ipcoord_unmigrated")
    try:
        settings = Settings.from_env(
            {"DATABASE_URL": empty, "SECRET_KEY": TEST_SECRET, "IPCOORD_DATA_DIR": str(tmp_root)}
        )
        async with AsyncTestClient(app=create_app(settings, check_schema=False)) as fresh:
            ready = await fresh.get("/health/ready")
            live = await fresh.get("/health/live")
    finally:
        await asyncio.to_thread(drop_database, server_url, empty)
    assert ready.status_code == 503 and ready.json()["code"] == "health.not_migrated"
    assert live.status_code == 200
