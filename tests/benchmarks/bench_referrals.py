"""Benchmark of referral queues: inbox latency over real HTTP, and one overdue sweep against a plain count.

Run: ``.venv/bin/python tests/benchmarks/bench_referrals.py [--referrals 50000] [--incidents 2000]
[--requests 500] [--concurrency 8] [--smoke]``. Not collected by pytest. It creates a throwaway database on the server
the tests use (DATABASE_URL, else 127.0.0.1:5432, else the embedded one), migrates it, creates one
agency_staff user with an API token per seeded agency and a coordinator, bulk-inserts incidents, referrals
and their 'sent' events with COPY, ANALYZEs, starts uvicorn (one worker) on a free port of 127.0.0.1 and
measures GET /api/referrals/inbox for the busiest receiving agency. Then it times the overdue sweep's SQL
against ``SELECT count(*) FROM referrals``. The server is stopped and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import aims
import asyncpg
from harness import BenchUser, create_users, load_average, plain_dsn, run_main, server_env, serving, throwaway_database
from load_runs import Layout, client_for, failed, loaded_and_alone

from service.auth.seed import AGENCIES
from service.calendar.rules import RULES, holiday_rows
from service.calendar.workdays import WorkCalendar, due_date
from service.clock import local_day, now
from service.referrals.transitions import OPEN, REFERRAL_TYPES, Status, outcomes_for

AIM_SWEEP_RATIO = 10.0
SEED = 20261125
RUN_TIMEOUT_S = 30.0  # per load run: the whole bench stays under 3 minutes even on a busy machine
LAYOUT = Layout(route=22, rate=5, ms=6, client=False)
SWEEP_REPEATS = 5
SWEEP_FAILURES: list[str] = []  # reminders sweeps that raised: the bench ends with a failure
RECORDED_AS = {"suffix": ""}  # added to the names of recorded aims: the second sweep run has candidate indexes
AGENCY_CODES = [row[0] for row in AGENCIES]
COORDINATOR = ("bench.coord", "SKHCN", "coordinator")

# Who records incidents (and so sends referrals about them), and who receives each referral type.
RECORDERS = {
    "QLTT": 30, "HQ": 10, "BP": 8, "CA": 8, "SKHCN": 8, "SVHTTDL": 8, "SNN": 8, "UBND_XA": 6, "UBND_TINH": 4,
    "SCT": 3, "VKS": 2, "TOA_AN": 2, "HOA_GIAI": 2, "TRONG_TAI": 1,
}  # fmt: skip
SANCTIONING = ("QLTT", "HQ", "SKHCN", "SVHTTDL", "SNN", "UBND_TINH", "UBND_XA", "BP")
RECEIVERS: dict[str, tuple[str, ...]] = {
    "CHUYEN_HO_SO_HINH_SU": ("CA",),
    "TRA_HO_SO_XU_PHAT": SANCTIONING,
    "CHUYEN_THAM_QUYEN": SANCTIONING,
    "TRUNG_CAU_GIAM_DINH": ("SKHCN", "SKHCN", "SVHTTDL", "SNN"),
    "PHOI_HOP_XAC_MINH": tuple(AGENCY_CODES),
    "CHUYEN_HOA_GIAI": ("HOA_GIAI", "HOA_GIAI", "TOA_AN"),
    "CHUYEN_TRONG_TAI": ("TRONG_TAI",),
    "CHUYEN_TOA_AN": ("TOA_AN",),
    "BAO_CAO": ("UBND_TINH", "SKHCN", "SCT", "VKS"),
}
TYPE_WEIGHTS = {
    "CHUYEN_HO_SO_HINH_SU": 10, "TRA_HO_SO_XU_PHAT": 4, "CHUYEN_THAM_QUYEN": 14, "TRUNG_CAU_GIAM_DINH": 15,
    "PHOI_HOP_XAC_MINH": 22, "CHUYEN_HOA_GIAI": 8, "CHUYEN_TRONG_TAI": 3, "CHUYEN_TOA_AN": 7, "BAO_CAO": 17,
}  # fmt: skip
OPEN_WEIGHTS = {Status.SENT: 10, Status.ACKNOWLEDGED: 30, Status.IN_PROGRESS: 60}
TERMINAL_WEIGHTS = {Status.CLOSED: 80, Status.RETURNED: 10, Status.REFUSED: 10}
INCIDENT_KINDS = {"seizure": 50, "online_infringement": 15, "advertising_violation": 10, "customs_suspension": 8,
                  "copyright_infringement": 8, "plant_variety_infringement": 4, "dispute": 5}  # fmt: skip
MESSAGES = {
    "CHUYEN_HO_SO_HINH_SU": "Chuyển hồ sơ vụ việc có dấu hiệu tội phạm",
    "TRA_HO_SO_XU_PHAT": "Trả hồ sơ để xử phạt hành chính",
    "CHUYEN_THAM_QUYEN": "Chuyển người có thẩm quyền xử phạt",
    "TRUNG_CAU_GIAM_DINH": "Đề nghị ý kiến chuyên môn về dấu hiệu xâm phạm",
    "PHOI_HOP_XAC_MINH": "Đề nghị phối hợp xác minh nguồn gốc hàng hóa",
    "CHUYEN_HOA_GIAI": "Chuyển hòa giải tranh chấp",
    "CHUYEN_TRONG_TAI": "Chuyển trọng tài thương mại",
    "CHUYEN_TOA_AN": "Chuyển Tòa án giải quyết tranh chấp",
    "BAO_CAO": "Báo cáo kết quả xử lý",
}

INCIDENT_COLUMNS = [
    "id", "kind", "status", "version", "agency_id", "recorded_by_id", "recorded_at", "occurred_at", "detected_at",
    "location_source", "unit_2025", "district_2024", "district_2024_split", "subject_matter", "infringement_acts",
    "is_counterfeit", "is_ip_infringement", "goods_value_vnd", "crime_signs", "search_text", "payload",
    "created_at", "updated_at",
]  # fmt: skip
REFERRAL_COLUMNS = [
    "id", "incident_id", "from_agency_id", "to_agency_id", "type", "status", "version", "message", "attachment_ids",
    "outcome", "sent_at", "acknowledged_at", "closed_at", "due_on", "due_rule", "ack_due_on", "sent_by_id",
    "created_at", "updated_at",
]  # fmt: skip
EVENT_COLUMNS = ["referral_id", "actor_id", "action", "from_status", "to_status", "at", "note", "details"]


# --- Set-up -----------------------------------------------------------------------------------------


@dataclass
class Setup:
    """Per agency code: its staff user (agency id, user id, token); and the coordinator's token."""

    staff: dict[str, BenchUser]
    coordinator_token: str = ""


async def prepare(database_url: str) -> Setup:
    """One agency_staff user with an API token per seeded agency, and a coordinator, committed."""
    users = {f"bench.{code.lower()}": (code, "agency_staff") for code in AGENCY_CODES}
    made = await create_users(database_url, users | {COORDINATOR[0]: COORDINATOR[1:]})
    coordinator = made.pop(COORDINATOR[0])
    return Setup({code: made[f"bench.{code.lower()}"] for code in AGENCY_CODES}, coordinator.token)


@dataclass(frozen=True)
class Calendar:
    """What set_clocks needs, from the same seed data as the migrations: the work calendar and each type's rule."""

    work_calendar: WorkCalendar
    ack: tuple[int, str]  # the acknowledgement SLA (amount, unit), from the day sent
    by_type: dict[str, tuple[str, str, int, str]]  # type -> (rule code, starts, amount, unit)

    @classmethod
    def seeded(cls) -> Calendar:
        by_type: dict[str, tuple[str, str, int, str]] = {}
        ack = (1, "working_days")
        for code, applies_to, starts, amount, unit, _sla, _basis in RULES:
            if code == "acknowledge":
                ack = (amount, unit)
            by_type.setdefault(applies_to, (code, starts, amount, unit))  # the first rule listed is the default
        rows = holiday_rows()
        days_off = frozenset(row["day"] for row in rows if row["kind"] == "day_off")
        worked = frozenset(row["day"] for row in rows if row["kind"] == "working_day")
        return cls(WorkCalendar(days_off=days_off, working_weekend_days=worked), ack, by_type)

    def clocks(self, kind: str, sent_on: date, acknowledged_on: date | None) -> tuple[date, date | None, str | None]:
        """(ack_due_on, due_on, due_rule) as service.referrals.clocks.set_clocks computes them."""
        ack_due = due_date(sent_on, *self.ack, self.work_calendar)
        if kind not in self.by_type:
            return ack_due, None, None
        code, starts, amount, unit = self.by_type[kind]
        start = sent_on if starts == "sent" else acknowledged_on
        return ack_due, due_date(start, amount, unit, self.work_calendar) if start else None, code


def is_overdue(status: Status, ack_due: date, due: date | None, today: date) -> bool:
    """repository.overdue_condition, in Python."""
    return status in OPEN and ((due is not None and due < today) or (status == Status.SENT and ack_due < today))


def incident_rows(n: int, rng: random.Random, setup: Setup, moment: datetime) -> list[tuple[Any, ...]]:
    """n incidents over the past two years, recorded by the agencies' staff, with a minimal valid payload."""
    agencies, weights = list(RECORDERS), list(RECORDERS.values())
    kinds, kind_weights = list(INCIDENT_KINDS), list(INCIDENT_KINDS.values())
    rows = []
    for _ in range(n):
        code = rng.choices(agencies, weights)[0]
        agency_id, user_id, _ = setup.staff[code]
        kind = rng.choices(kinds, kind_weights)[0]
        occurred = moment - timedelta(days=rng.uniform(30, 730))
        recorded = occurred + timedelta(hours=rng.uniform(1, 48))
        summary = f"Vụ việc {kind} (dữ liệu bench)"
        payload = f'{{"kind": "{kind}", "summary": "{summary}", "occurred_at": "{occurred.isoformat()}"}}'
        rows.append((
            uuid.uuid4(), kind, rng.choice(("recorded", "under_verification", "sanctioned", "referred")), 1,
            agency_id, user_id, recorded, occurred, occurred + timedelta(minutes=rng.randrange(0, 90)), "picked",
            "03388", "105", False, ["NHAN_HIEU"], ["HANG_GIA_MAO_NHAN_HIEU"], True, True,
            rng.randrange(1, 500) * 1_000_000 if kind == "seizure" else None, "[]", summary.lower(), payload,
            recorded, recorded,
        ))  # fmt: skip
    return rows


@dataclass
class Generated:
    """Referral rows, their 'sent' events, and counts to print."""

    referrals: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    inbox_sizes: Counter[str] = field(default_factory=Counter)
    overdue: int = 0


def _one_referral(
    rng: random.Random, cal: Calendar, category: str, moment: datetime, today: date
) -> tuple[str, Status, datetime, datetime | None, datetime | None, tuple[date, date | None, str | None]]:
    """(type, status, sent_at, acknowledged_at, closed_at, clocks) of one referral in its category.

    Categories: 'terminal' (closed, returned, refused; sent any time in the past year), 'overdue' (open and
    overdue; sent any time in the past year) and 'on_time' (open and not yet due: sent recently). Rejection
    sampling keeps the clocks exactly those the service would compute from these dates.
    """
    types = list(REFERRAL_TYPES)  # every type of the status table; weights for the known ones, else 5
    type_weights = [TYPE_WEIGHTS.get(t, 5) for t in types]
    pool = TERMINAL_WEIGHTS if category == "terminal" else OPEN_WEIGHTS
    while True:
        kind = rng.choices(types, type_weights)[0]
        status = rng.choices(list(pool), list(pool.values()))[0]
        age = rng.expovariate(1 / 10) if category == "on_time" else rng.uniform(0, 365)
        if age > 365:
            continue
        sent_at = moment - timedelta(days=age)
        acknowledged = status not in (Status.SENT, Status.RETURNED, Status.REFUSED) or rng.random() < 0.5
        ack_at = sent_at + timedelta(hours=min(rng.uniform(1, 72), age * 24 * 0.9)) if acknowledged else None
        clocks = cal.clocks(kind, local_day(sent_at), local_day(ack_at) if ack_at else None)
        closed_at = None
        if status not in OPEN:
            start = ack_at or sent_at
            closed_at = start + (moment - start) * rng.uniform(0.05, 0.6)
        elif is_overdue(status, clocks[0], clocks[1], today) != (category == "overdue"):
            continue
        return kind, status, sent_at, ack_at, closed_at, clocks


def referral_rows(
    n: int, rng: random.Random, setup: Setup, incidents: list[tuple[Any, ...]], args: argparse.Namespace
) -> Generated:
    """n referrals with realistic clocks and their 'sent' events; see _one_referral for the categories."""
    moment = now()
    today = local_day(moment)
    cal = Calendar.seeded()
    code_of = {agency_id: code for code, (agency_id, _, _) in setup.staff.items()}
    out = Generated()
    for _ in range(n):
        draw = rng.random()
        category = "overdue" if draw < args.overdue_share else "on_time" if draw < args.open_share else "terminal"
        kind, status, sent_at, ack_at, closed_at, (ack_due, due, rule) = _one_referral(
            rng, cal, category, moment, today
        )
        incident = rng.choice(incidents)
        sender = code_of[incident[4]]
        choices = [c for c in RECEIVERS.get(kind, ()) if c != sender] or [c for c in AGENCY_CODES if c != sender]
        receiver = rng.choice(choices)
        outcome = rng.choice(outcomes_for(kind)) if status == Status.CLOSED else None
        version = {Status.SENT: 1, Status.ACKNOWLEDGED: 2, Status.IN_PROGRESS: 3, Status.CLOSED: 4}.get(
            status, 3 if ack_at else 2
        )
        referral_id, (from_id, sender_id, _) = uuid.uuid4(), setup.staff[sender]
        message = MESSAGES.get(kind, "Chuyển hồ sơ") + " (dữ liệu bench)"
        out.referrals.append((
            referral_id, incident[0], from_id, setup.staff[receiver][0], kind, status.value, version, message, [],
            outcome, sent_at, ack_at, closed_at, due, rule, ack_due, sender_id, sent_at, closed_at or ack_at or sent_at,
        ))  # fmt: skip
        out.events.append((referral_id, sender_id, "sent", None, "sent", sent_at, message, "{}"))
        out.statuses[status.value] += 1
        out.inbox_sizes[receiver] += 1
        out.overdue += category == "overdue"
    return out


async def bulk_insert(dsn: str, setup: Setup, args: argparse.Namespace) -> Generated:
    """COPY incidents, referrals and 'sent' events, then ANALYZE; print what was inserted."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    incidents = incident_rows(args.incidents, rng, setup, now())
    generated = referral_rows(args.referrals, rng, setup, incidents, args)
    built = time.perf_counter() - started
    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table("incidents", records=incidents, columns=INCIDENT_COLUMNS)
        for table, rows, columns in (
            ("referrals", generated.referrals, REFERRAL_COLUMNS),
            ("referral_events", generated.events, EVENT_COLUMNS),
        ):
            for start in range(0, len(rows), 10_000):
                await connection.copy_records_to_table(table, records=rows[start : start + 10_000], columns=columns)
        copied = time.perf_counter() - started - built
        await connection.execute("ANALYZE incidents, referrals, referral_events")
        size = await connection.fetchval("SELECT pg_size_pretty(pg_total_relation_size('referrals'))")
    finally:
        await connection.close()
    statuses = ", ".join(f"{s} {c:,}" for s, c in generated.statuses.most_common())
    busiest = ", ".join(f"{code} {c:,}" for code, c in generated.inbox_sizes.most_common(4))
    print(
        f"data: {len(incidents):,} incidents, {len(generated.referrals):,} referrals and {len(generated.events):,} "
        f"'sent' events; built in {built:.1f} s, COPY {copied:.1f} s, ANALYZE "
        f"{time.perf_counter() - started - built - copied:.1f} s; referrals {size} with indexes\n"
        f"  statuses: {statuses}\n  overdue today ({local_day(now())}): {generated.overdue:,}\n"
        f"  received by {len(generated.inbox_sizes)} agencies, most: {busiest}"
    )
    generated.referrals, generated.events = [], []  # free the rows: fewer live objects for the GC during timing
    return generated


# --- HTTP load --------------------------------------------------------------------------------------


async def measure_inbox(base: str, pid: int, token: str, args: argparse.Namespace) -> int:
    """The inbox and its overdue filter at the bench's concurrency, then one at a time; returns failures."""
    routes = {"inbox": "/api/referrals/inbox", "inbox?overdue=true": "/api/referrals/inbox?overdue=true"}
    failures = 0
    async with client_for(base, args.concurrency, token, keepalive_expiry=2.0) as client:
        for route, url in routes.items():
            runs = await loaded_and_alone(
                client,
                route,
                url,
                pid,
                n=args.requests,
                alone_n=max(min(50, args.requests), args.requests // 10),
                warm_n=min(50, args.requests),
                concurrency=args.concurrency,
                limit_s=RUN_TIMEOUT_S,
                layout=LAYOUT,
            )
            page = await client.get(url)
            print(f"    {url}: {len(page.json())} items, {len(page.content):,} bytes of JSON")
            failures += failed(runs)
    return failures


# --- The overdue sweep ------------------------------------------------------------------------------


async def _timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await call()
    return time.perf_counter() - started, result


@dataclass
class Paired:
    """Medians of a measured call and of the count run alternately with it (both see the same machine load)."""

    seconds: float
    count_seconds: float
    result: Any

    def line(self, label: str, what: str, aim: bool = True) -> str:
        """The figures and, when `aim`, the verdict against AIM_SWEEP_RATIO (recorded); else a diagnostic figure."""
        ratio = self.seconds / self.count_seconds
        if aim:
            name = label.strip() + RECORDED_AS["suffix"]
            met = aims.aim(name, f"{ratio:.1f}x count(*)", f"< {AIM_SWEEP_RATIO:.0f}x", self.met)
            verdict = f" (aim < {AIM_SWEEP_RATIO:.0f}x): {met}"
        else:
            verdict = ""
            aims.figure(label.strip() + RECORDED_AS["suffix"], f"{ratio:.1f}x count(*)")
        return (
            f"  {label:44}{self.seconds * 1000:7.1f} ms  vs count {self.count_seconds * 1000:5.1f} ms = "
            f"{ratio:5.1f}x{verdict}  ({what})"
        )

    @property
    def met(self) -> bool:
        return self.seconds < AIM_SWEEP_RATIO * self.count_seconds


async def paired(
    count: Callable[[], Awaitable[Any]], call: Callable[[], Awaitable[Any]], warm_up: bool = True
) -> Paired:
    """count, call, count, call, ... SWEEP_REPEATS times each (after one warm-up of each), medians of both."""
    if warm_up:
        await count()
        await call()
    counts, times, result = [], [], None
    for _ in range(1 if aims.is_smoke() else SWEEP_REPEATS):
        counts.append((await _timed(count))[0])
        seconds, result = await _timed(call)
        times.append(seconds)
    return Paired(statistics.median(times), statistics.median(counts), result)


def _reminder_sweeps() -> dict[str, Callable[[Any], Awaitable[Any]]]:
    """The sweeps of service/referrals/reminders.py to time, by name: the overdue sweep, then what the 15-minute
    job runs. Called by name, so a renamed function stops the bench (and its smoke test) instead of being skipped."""
    from service.referrals import reminders

    return {
        "sweep_escalations": lambda session: reminders.sweep_escalations(session, local_day(now())),
        "run_sweeps": lambda session: reminders.run_sweeps(session, now(), days_before=1),
    }


def _size(result: Any) -> str:
    if isinstance(result, dict):
        return ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {type(v).__name__}" for k, v in result.items())
    if isinstance(result, int | list | tuple | set):
        return f"{result if isinstance(result, int) else len(result):,}"
    return type(result).__name__


Statement = tuple[str, Any]  # SQL as the driver received it, and its parameters


async def measure_sweep(database_url: str, first: bool = True) -> tuple[bool, dict[str, Statement]]:
    """The overdue sweep's SQL (Core and ORM) and the reminders' sweeps against SELECT count(*).

    Returns whether every aim was met, and the slowest statement of each reminders sweep (for EXPLAIN).
    """
    from sqlalchemy import func, select, text
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from service.db import async_url
    from service.referrals.models import Referral
    from service.referrals.repository import overdue_condition, sweeps

    engine = create_async_engine(async_url(database_url), pool_size=2)
    today = local_day(now())
    columns = (
        Referral.id, Referral.from_agency_id, Referral.to_agency_id, Referral.status, Referral.due_on,
        Referral.ack_due_on,
    )  # fmt: skip
    stmt = select(Referral).where(overdue_condition(today))  # type: ignore[arg-type]
    counted = select(func.count()).select_from(Referral).where(overdue_condition(today))  # type: ignore[arg-type]
    narrow = select(*columns).where(overdue_condition(today))  # type: ignore[arg-type]
    try:

        async def count() -> int:
            async with engine.connect() as connection:
                return int((await connection.execute(text("SELECT count(*) FROM referrals"))).scalar_one())

        async def count_overdue() -> int:
            async with engine.connect() as connection:
                return int((await connection.execute(counted)).scalar_one())

        async def sweep_core() -> list[Any]:
            async with engine.connect() as connection:
                return list((await connection.execute(stmt)).all())

        async def sweep_narrow() -> list[Any]:
            async with engine.connect() as connection:
                return list((await connection.execute(narrow)).all())

        async def sweep_service() -> list[Any]:
            async with AsyncSession(engine) as session:  # a new session each time, as each sweep job has
                return await sweeps.not_escalated(session, today)

        async def sweep_orm() -> list[Referral]:
            async with AsyncSession(engine) as session:  # a new session each time: no identity-map reuse
                return list((await session.scalars(stmt)).all())

        total = await count()
        print(f"  count(*) of referrals: {total:,} rows; each figure below is paired with the count run alongside it")
        core = await paired(count, sweep_core)
        print(core.line("sweep SQL, Core rows (connection.execute)", f"{len(core.result):,} overdue rows"))
        service = await paired(count, sweep_service)
        print(service.line("sweep SQL as the service reads it (session)", f"{len(service.result):,} overdue rows"))
        met = core.met and service.met
        orm = await paired(count, sweep_orm)
        print(orm.line("  diagnostic: the same rows as ORM entities", f"{len(orm.result):,} overdue rows", aim=False))
        found = await paired(count, count_overdue)
        print(found.line("  diagnostic: count(*) WHERE overdue_condition", "finding the rows only", aim=False))
        six = await paired(count, sweep_narrow)
        print(six.line("  diagnostic: the same rows, 6 columns", "id, agencies, status, clocks", aim=False))
        reminders_met, slowest = await _time_reminders(engine, count, first)
    finally:
        await engine.dispose()
    return met and reminders_met, slowest


async def _time_reminders(
    engine: Any, count: Callable[[], Awaitable[Any]], first: bool
) -> tuple[bool, dict[str, Statement]]:
    """Time service.referrals.reminders' sweeps: a first run (committed), then the steady state (rolled back).

    The first run queues a message for every clock that has run out (the catch-up after 50,000 referrals appear
    at once); it is committed, so the repeated runs see what a sweep every few minutes sees: nothing new to queue.
    One more steady-state run is profiled: its SQL statements, and what remained for Python.
    """
    from sqlalchemy.ext.asyncio import AsyncSession

    met, slowest = True, {}
    for name, function in _reminder_sweeps().items():
        async with AsyncSession(engine) as session:
            try:
                seconds, result = await _timed(lambda: function(session))  # noqa: B023 (awaited at once)
            except Exception as error:  # a failing sweep is a finding: report it, go on with the next
                print(f"  reminders.{name}: FAILED: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
                SWEEP_FAILURES.append(name)
                met = False
                continue
            await session.commit()
        label = f"reminders.{name}, {'first run' if first else 'warm-up run'}"
        print(f"  {label:44}{seconds * 1000:7.1f} ms  (queued {_size(result)}; committed)")

        async def steady(function: Callable[[Any], Awaitable[Any]] = function) -> Any:
            async with AsyncSession(engine) as session:
                try:
                    return await function(session)
                finally:
                    await session.rollback()  # nothing is committed: each run sees the same state

        run = await paired(count, steady, warm_up=False)  # the first run warmed up
        print(run.line(f"reminders.{name}, steady state", f"queued {_size(run.result)}"))
        met = met and run.met
        if heaviest := await _profile(engine, steady):
            slowest[f"slowest statement of reminders.{name}"] = heaviest
    return met, slowest


async def _profile(engine: Any, steady: Callable[[], Awaitable[Any]]) -> Statement | None:
    """One more run with every SQL statement timed (execute and fetch): the heaviest, and what Python spent."""
    import re

    from sqlalchemy import event

    spent: dict[str, list[float]] = {}
    slowest: list[tuple[float, str, Any]] = []

    def before(conn: Any, _cursor: Any, _statement: str, _parameters: Any, _context: Any, _many: bool) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seconds = time.perf_counter() - conn.info["bench_started"].pop()
        key = re.sub(r"\$\d+(::\w+)?(, \$\d+(::\w+)?)+", "$…", " ".join(statement.split()))
        spent.setdefault(key, []).append(seconds)
        slowest.append((seconds, statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    event.listen(engine.sync_engine, "after_cursor_execute", after)
    try:
        total, _ = await _timed(steady)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before)
        event.remove(engine.sync_engine, "after_cursor_execute", after)
    sql = sum(sum(times) for times in spent.values())
    python = (total - sql) * 1000
    print(f"    profile: {total * 1000:.0f} ms = SQL (execute + fetch) {sql * 1000:.0f} ms + Python {python:.0f} ms")
    for key, times in sorted(spent.items(), key=lambda item: -sum(item[1]))[:4]:
        short = key if len(key) <= 150 else f"{key[:90]} … {key[-55:]}"
        print(f"      {len(times):3}x {sum(times) * 1000:7.1f} ms  {short}")
    if not slowest:
        return None
    _, statement, parameters = max(slowest, key=lambda item: item[0])
    return statement, parameters


# Candidate indexes for the sweep (--candidate-index): only open rows, so the sweep reads the overdue ones.
CANDIDATE_INDEXES = (
    "CREATE INDEX bench_ix_referrals_open_due ON referrals (due_on) "
    "WHERE status IN ('sent', 'acknowledged', 'in_progress')",
    "CREATE INDEX bench_ix_referrals_sent_ack_due ON referrals (ack_due_on) WHERE status = 'sent'",
)


async def add_candidate_indexes(dsn: str) -> None:
    """Create CANDIDATE_INDEXES in the throwaway database and ANALYZE (the service's schema is untouched)."""
    connection = await asyncpg.connect(dsn)
    try:
        for sql in CANDIDATE_INDEXES:
            await connection.execute(sql)
            print(f"  {sql}")
        await connection.execute("ANALYZE referrals")
    finally:
        await connection.close()


async def explain(
    database_url: str, agency_id: uuid.UUID, names: tuple[str, ...], raw: dict[str, Statement] | None = None
) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the count, the sweep and the inbox, compiled as the server's driver sends them,
    and of `raw` statements (as captured from the driver)."""
    from sqlalchemy import select
    from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg

    from service.referrals import repository
    from service.referrals.models import Referral

    today = local_day(now())
    inbox = repository.with_names(select(Referral)).where(Referral.to_agency_id == agency_id)
    statements: dict[str, Any] = {
        "count": "SELECT count(*) FROM referrals",
        "sweep": select(Referral).where(repository.overdue_condition(today)),  # type: ignore[arg-type]
        "inbox": repository.filtered(inbox, repository.QueueFilters()),
        "inbox?overdue=true": repository.filtered(inbox, repository.QueueFilters(overdue_on=today)),
    }
    plans: dict[str, Statement] = {}
    for name in names:
        stmt = statements[name]
        if isinstance(stmt, str):
            plans[name] = stmt, []
        else:  # expanding IN lists rendered as one parameter each, as the driver sends them
            dialect = pg_asyncpg.dialect()  # type: ignore[no-untyped-call]
            compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
            plans[name] = str(compiled), [compiled.params[p] for p in compiled.positiontup or []]
    for name, (sql, params) in (raw or {}).items():
        short = " ".join(sql.split())
        plans[f"{name} ({len(params)} parameters): {short[:110]} …"] = sql, params
    connection = await asyncpg.connect(plain_dsn(database_url))
    try:
        for name, (sql, params) in plans.items():
            plan = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *params)
            print(f"  {name}:\n" + "\n".join(f"    {row[0]}" for row in plan))
    finally:
        await connection.close()


# --- Main -------------------------------------------------------------------------------------------


def run_http(database_url: str, tmp: Path, setup: Setup, generated: Generated, args: argparse.Namespace) -> int:
    """Start the real server, measure the inbox as the busiest receiver's staff, stop it; returns failures."""
    busiest = generated.inbox_sizes.most_common(1)[0][0]
    with serving(server_env(database_url, tmp), tmp / "server.log") as server:
        print(
            f"== HTTP: GET /api/referrals/inbox as {busiest} staff ({generated.inbox_sizes[busiest]:,} received) ==\n"
            f"  uvicorn --workers 1 on {server.base}; httpx, {args.concurrency} tasks, {args.requests:,} requests per "
            f"run, Bearer token\n  NOTE: client, server and PostgreSQL share this machine ({os.cpu_count()} "
            f"cores); load average {load_average()}"
        )
        failures = asyncio.run(measure_inbox(server.base, server.pid, setup.staff[busiest].token, args))
    if failures:
        print(f"{failures} requests did not answer 200; server log (last lines):")
        print(server.tail())
    return failures


def bench(args: argparse.Namespace) -> None:
    """Set up, load, measure; always stop the server and drop the database."""
    failures = 0
    with throwaway_database() as (database_url, tmp):
        setup = asyncio.run(prepare(database_url))
        generated = asyncio.run(bulk_insert(plain_dsn(database_url), setup, args))
        busiest = generated.inbox_sizes.most_common(1)[0][0]
        if not args.no_http:
            failures = run_http(database_url, tmp, setup, generated, args)
        print(f"== overdue sweep vs SELECT count(*), median of {SWEEP_REPEATS} (after one warm-up) ==")
        if not args.no_gc_freeze:  # a full collection of the imported modules' objects costs ~100 ms here
            gc.collect()
            gc.freeze()
            print(f"  gc.freeze(): {gc.get_freeze_count():,} long-lived objects left out of full collections")
        met, slowest = asyncio.run(measure_sweep(database_url))
        if args.explain or not met:
            print("== EXPLAIN (ANALYZE, BUFFERS) ==")
            names = ("count", "sweep", "inbox", "inbox?overdue=true")
            asyncio.run(explain(database_url, setup.staff[busiest].agency_id, names, slowest))
        if args.candidate_index:
            print("== the sweep again, with candidate indexes (throwaway database only) ==")
            asyncio.run(add_candidate_indexes(plain_dsn(database_url)))
            RECORDED_AS["suffix"] = " (candidate indexes)"
            _, slowest = asyncio.run(measure_sweep(database_url, first=False))
            asyncio.run(explain(database_url, setup.staff[busiest].agency_id, ("sweep",), slowest))
    if failures:
        raise SystemExit(f"FAILED: {failures} requests did not answer 200")
    if SWEEP_FAILURES:
        raise SystemExit(f"FAILED: reminders sweeps raised: {', '.join(SWEEP_FAILURES)}")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--referrals", type=int, default=50_000, help="referrals to bulk-insert")
    parser.add_argument("--incidents", type=int, default=2_000, help="incidents the referrals are about")
    parser.add_argument("--open-share", type=float, default=0.6, help="share of referrals still open")
    parser.add_argument("--overdue-share", type=float, default=0.1, help="share of referrals open and overdue")
    parser.add_argument("--requests", type=int, default=500, help="GET requests per loaded run")
    parser.add_argument("--concurrency", type=int, default=8, help="client tasks and connections")
    parser.add_argument("--explain", action="store_true", help="print the query plans even when the aim is met")
    parser.add_argument("--no-http", action="store_true", help="skip the server and the inbox; only the sweep")
    parser.add_argument("--no-gc-freeze", action="store_true", help="time the sweep without gc.freeze() first")
    parser.add_argument(
        "--candidate-index", action="store_true", help="then add CANDIDATE_INDEXES and time the sweep again"
    )
    args = aims.parse(parser)
    if args.smoke:  # every step, the optional ones too (plans, candidate indexes), at a tiny size
        args.referrals, args.incidents, args.requests, args.concurrency = 400, 50, 10, 2
        args.explain = args.candidate_index = True
    if not 0 <= args.overdue_share <= args.open_share <= 1:
        parser.error("need 0 <= --overdue-share <= --open-share <= 1")
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
