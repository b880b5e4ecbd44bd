"""Reminders, escalations and digests: queued once whatever runs the sweeps, delivered once across restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from service.clock import local_day, now
from service.notifications import repository
from service.notifications.delivery import deliver_pending
from service.notifications.models import OutboxMessage
from service.referrals.models import Referral
from service.referrals.reminders import daily_digest, sweep_escalations, sweep_reminders
from service.settings import Settings
from service.worker import run_worker
from tests.conftest import TEST_SECRET
from tests.loopback import Mailbox, smtp_server
from tests.notification_builders import channels, make_person, make_referral, sessions

TUESDAY = date(2026, 3, 10)  # a working day; Wednesday 11 March is the next one


@pytest.fixture
async def mailbox() -> AsyncIterator[Mailbox]:
    """A loopback SMTP server for the test."""
    async with smtp_server() as box:
        yield box


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """The HTTP client webhook deliveries go out with."""
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


async def _keys(db: AsyncSession, kind: str) -> list[str]:
    stmt = select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == kind).order_by(OutboxMessage.dedupe_key)
    return list(await db.scalars(stmt))


async def test_a_clock_due_tomorrow_is_reminded_once_however_often_the_sweep_runs(db: AsyncSession):
    referral = await make_referral(db, due_on=TUESDAY + timedelta(days=1))
    first = await sweep_reminders(db, TUESDAY)
    again = await sweep_reminders(db, TUESDAY)
    await db.commit()
    assert (first, again) == (1, 0)
    assert await _keys(db, "reminder") == [f"reminder:{referral.id}:decision:2026-03-11"]


async def test_two_workers_sweeping_at_the_same_moment_queue_one_reminder(db: AsyncSession, engine: AsyncEngine):
    await make_referral(db, due_on=TUESDAY)
    await make_referral(db, due_on=TUESDAY + timedelta(days=1), status="sent", ack_due_on=TUESDAY)

    async def worker() -> int:
        async with sessions(engine)() as session:
            queued = await sweep_reminders(session, TUESDAY)
            await session.commit()
            return queued

    counts = await asyncio.gather(worker(), worker())
    assert sum(counts) == 3  # two clocks of the unacknowledged referral, one of the other
    assert len(await _keys(db, "reminder")) == 3


async def test_a_clock_moved_to_another_day_is_reminded_again_for_its_new_day(db: AsyncSession):
    referral = await make_referral(db, due_on=TUESDAY + timedelta(days=1))
    assert await sweep_reminders(db, TUESDAY) == 1
    await db.commit()
    referral.due_on = TUESDAY  # the clock recomputed (a day off removed from the calendar)
    await db.commit()
    assert (await sweep_reminders(db, TUESDAY), await sweep_reminders(db, TUESDAY)) == (1, 0)
    assert await _keys(db, "reminder") == [
        f"reminder:{referral.id}:decision:2026-03-10",
        f"reminder:{referral.id}:decision:2026-03-11",
    ]


async def test_a_reminder_queued_before_the_upgrade_is_not_queued_again(db: AsyncSession):
    referral = await make_referral(db, due_on=TUESDAY)
    assert await sweep_reminders(db, TUESDAY) == 1
    await db.commit()
    # A database upgraded with this reminder already queued: its referral carries no mark yet.
    await db.execute(update(Referral).values(reminded_due_for=None, reminded_ack_for=None))
    await db.commit()
    assert await sweep_reminders(db, TUESDAY) == 0
    assert await _keys(db, "reminder") == [f"reminder:{referral.id}:decision:2026-03-10"]


async def test_two_workers_escalating_at_the_same_moment_tell_each_audience_once(db: AsyncSession, engine: AsyncEngine):
    referral = await make_referral(db, due_on=TUESDAY - timedelta(days=1), status="sent", ack_due_on=TUESDAY)

    async def worker() -> int:
        async with sessions(engine)() as session:
            queued = await sweep_escalations(session, TUESDAY + timedelta(days=1))
            await session.commit()
            return queued

    counts = await asyncio.gather(worker(), worker())
    assert sum(counts) == 4  # both clocks ran out: the agency's heads and SKHCN told of each
    prefix = f"escalation:{referral.id}"
    assert await _keys(db, "escalation") == [
        f"{prefix}:acknowledge:2026-03-10:head",
        f"{prefix}:acknowledge:2026-03-10:skhcn",
        f"{prefix}:decision:2026-03-09:head",
        f"{prefix}:decision:2026-03-09:skhcn",
    ]
    assert await sweep_escalations(db, TUESDAY + timedelta(days=1)) == 0


async def test_clocks_further_off_or_of_closed_referrals_are_not_reminded(db: AsyncSession):
    await make_referral(db, due_on=TUESDAY + timedelta(days=3))  # Friday: three working days away
    await make_referral(db, due_on=TUESDAY, status="closed")
    assert await sweep_reminders(db, TUESDAY) == 0
    assert await sweep_reminders(db, TUESDAY, days_before=3) == 1


async def test_overdue_clock_escalates_to_the_agency_head_and_skhcn_only(
    db: AsyncSession, engine: AsyncEngine, mailbox: Mailbox, http: httpx.AsyncClient
):
    await make_person(db, "truong.ca@test.invalid", role="agency_head")
    await make_person(db, "canbo.ca@test.invalid", role="agency_staff")
    await make_person(db, "dieuphoi@test.invalid", agency="SKHCN", role="coordinator")
    await make_referral(db, due_on=TUESDAY - timedelta(days=1))
    assert await sweep_escalations(db, TUESDAY) == 2
    assert await sweep_escalations(db, TUESDAY) == 0
    await db.commit()
    async with sessions(engine)() as session:
        await deliver_pending(session, now(), channels(http, mailbox.port))
    assert len(mailbox.subjects("truong.ca@test.invalid")) == 1
    assert len(mailbox.subjects("dieuphoi@test.invalid")) == 1
    assert mailbox.subjects("canbo.ca@test.invalid") == []
    assert "Quá hạn" in mailbox.subjects("truong.ca@test.invalid")[0]
    assert "Overdue" in mailbox.subjects("dieuphoi@test.invalid")[0]


async def test_digest_summarises_open_incoming_referrals_once_a_day(db: AsyncSession):
    await make_referral(db, due_on=TUESDAY - timedelta(days=2))
    await make_referral(db, due_on=TUESDAY + timedelta(days=1))
    await make_referral(db, due_on=TUESDAY + timedelta(days=1), to="QLTT")
    assert await daily_digest(db, TUESDAY) == 2  # CA and QLTT
    assert await daily_digest(db, TUESDAY) == 0
    assert await daily_digest(db, TUESDAY + timedelta(days=1)) == 2
    police = (await db.scalars(select(OutboxMessage).where(OutboxMessage.payload["agency"].astext == "CA"))).first()
    assert police is not None
    assert police.payload["open"] == 2 and police.payload["overdue"] == 1 and police.payload["due_soon"] == 1


async def test_delivery_interrupted_between_claim_and_send_delivers_each_reminder_once(
    db: AsyncSession, engine: AsyncEngine, mailbox: Mailbox, http: httpx.AsyncClient
):
    await make_person(db, "canbo.ca@test.invalid")
    await make_referral(db, due_on=TUESDAY)
    await sweep_reminders(db, TUESDAY)
    await db.commit()
    async with sessions(engine)() as crashed:
        assert await repository.claim_next(crashed, now()) is not None
        await crashed.rollback()  # the worker died holding the message: nothing was sent or recorded
    async with sessions(engine)() as first, sessions(engine)() as second:
        reports = await asyncio.gather(
            deliver_pending(first, now(), channels(http, mailbox.port)),
            deliver_pending(second, now(), channels(http, mailbox.port)),
        )
    async with sessions(engine)() as restarted:
        again = await deliver_pending(restarted, now(), channels(http, mailbox.port))
    assert sum(r.sent for r in reports) == 1 and again.sent == 0
    assert len(mailbox.subjects("canbo.ca@test.invalid")) == 1


async def test_worker_stopped_and_restarted_sends_each_reminder_once(
    db: AsyncSession, database_url: str, tmp_root: Path, mailbox: Mailbox
):
    await make_person(db, "canbo.ca@test.invalid")
    referral = await make_referral(db, due_on=local_day(now()))
    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET,
            "IPCOORD_DATA_DIR": str(tmp_root / "worker"),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(mailbox.port),
            "SMTP_STARTTLS": "0",
        }
    )
    for _ in range(2):  # the procrastinate worker runs, stops, and starts again
        await run_worker(settings, once=True, install_signal_handlers=False)
    reminders = [s for s in mailbox.subjects("canbo.ca@test.invalid") if "Due on" in s]
    assert len(reminders) == 1
    assert await _keys(db, "reminder") == [f"reminder:{referral.id}:decision:{local_day(now()).isoformat()}"]
