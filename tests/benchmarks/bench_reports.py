"""Benchmark of issue 8: exporting 100,000 incidents to CSV and XLSX against a plain COPY, and the yearly report.

Run: ``.venv/bin/python tests/benchmarks/bench_reports.py [--incidents 100000] [--repeats 3] [--quick] [--smoke]``.
Not collected by pytest. A throwaway database on the server the tests use (harness.throwaway_database) gets the
synthetic incidents of bench_maps_data.py by COPY (seizures with a goods line in their payload), a sanction
decision for every sanctioned one and a criminal referral for every referred one. Then:

1. the baseline: ``COPY (SELECT * FROM incidents ORDER BY recorded_at DESC, id DESC) TO STDOUT`` (the export's
   rows and order) streamed by asyncpg into a sink that only counts bytes;
2. ``GET /api/incidents/export?format=csv`` and ``format=xlsx`` from the real service (uvicorn, one worker), as a
   coordinator (every incident); each body read to the end; then ``GET /api/sanctions/export`` in both formats
   (every sanction decision);
3. the yearly report (``GET /api/reports/yearly``) of the busiest year in every format, and the report of the
   whole period, then the same report's steps in this process (load by COPY, compute, render).

Time is wall time; peak memory is the growth of the process's peak resident set (Linux VmHWM, reset through
/proc/<pid>/clear_refs before each step) over its resident set when the step started: the server's for HTTP
steps, this process's for the COPY and the in-process steps. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import aims
import asyncpg
import bench_maps_data as synthetic
import httpx
import pandas as pd
from harness import (
    PASSWORD,
    ROOT,
    copying,
    create_users,
    load_average,
    plain_dsn,
    run_main,
    server_env,
    serving,
    throwaway_database,
)

COORDINATOR = "bench.coord"
USERS = {COORDINATOR: ("SKHCN", "coordinator")} | {
    f"bench.{code.lower()}": (code, "agency_staff") for code in synthetic.AGENCIES
}
SANCTION_COLUMNS = [
    "id", "incident_id", "number", "decided_on", "decider_name", "decider_title", "agency_id", "acts",
    "principal_sanction", "additional_sanctions", "remedial_measures", "fine_vnd", "payment_status", "recorded_by_id",
    "created_at", "updated_at",
]  # fmt: skip
REFERRAL_COLUMNS = [
    "id", "incident_id", "from_agency_id", "to_agency_id", "type", "status", "version", "message", "attachment_ids",
    "outcome", "sent_at", "acknowledged_at", "closed_at", "due_on", "due_rule", "sent_by_id", "created_at",
    "updated_at",
]  # fmt: skip
PAYMENTS = ("paid", "unpaid", "partly_paid", "enforced", "paid", "cancelled")
BASELINE_QUERY = "SELECT * FROM incidents ORDER BY recorded_at DESC, id DESC"  # COPY (this) TO STDOUT, csv
AIM_EXPORT_RATIO = {"csv": 4.0, "xlsx": 8.0}  # an export's time over the COPY of the same rows (issue 17)


# --- Memory -----------------------------------------------------------------------------------------


def _status(pid: int | str, field: str) -> int:
    """A /proc/<pid>/status figure in bytes (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def _reset_peak(pid: int | str) -> int:
    """Set the process's peak resident set to its current one (Linux >= 4.0); return the current one."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return _status(pid, "VmRSS")


@dataclass
class Step:
    """One measured step: wall time, bytes produced, the process's resident set before and its peak during."""

    name: str
    seconds: float
    size: int
    rss_before: int
    peak: int

    @property
    def growth(self) -> int:
        return max(0, self.peak - self.rss_before)


async def measured(name: str, pid: int | str, step: Callable[[], Awaitable[int]]) -> Step:
    """Run the step (returning its size in bytes) with the process's peak resident set reset first."""
    before = _reset_peak(pid)
    started = time.perf_counter()
    size = await step()
    seconds = time.perf_counter() - started
    return Step(name, seconds, size, before, _status(pid, "VmHWM"))


def mb(n: float) -> str:
    """Bytes in MB, or in KB under one MB."""
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n / 2**10:,.1f} KB"


def print_step(step: Step, baseline: Step | None, who: str, *, is_baseline: bool = False) -> None:
    """One line: time, ratio to the baseline, bytes produced, peak memory growth over the resident set before."""
    ratio = "baseline" if is_baseline else "" if baseline is None else f"{step.seconds / baseline.seconds:6.1f}x"
    print(
        f"  {step.name:58} {step.seconds:7.2f} s {ratio:>9}  {mb(step.size):>10}  "
        f"peak +{mb(step.growth):>9} ({who} {mb(step.rss_before)} before)"
    )


# --- Data -------------------------------------------------------------------------------------------


def _payload(kind: str, when: datetime, goods: Any) -> str:
    """A payload like the service stores: seizures carry one goods line whose value is the incident's."""
    body: dict[str, Any] = {"kind": kind, "summary": "bench", "occurred_at": when.isoformat()}
    if kind == "seizure" and not pd.isna(goods):
        body |= {
            "record_number": "BB-bench",
            "goods": [
                {"description": "Túi xách", "infringed_mark": "LV", "quantity": int(goods) // 1_000_000,
                 "unit": "chiếc", "unit_price_vnd": 1_000_000},
            ],
        }  # fmt: skip
    return json.dumps(body, ensure_ascii=False)


@dataclass
class Rows:
    """Records for COPY into incidents, sanction_decisions and referrals."""

    incidents: list[tuple[Any, ...]]
    sanctions: list[tuple[Any, ...]]
    referrals: list[tuple[Any, ...]]


def _sanction(i: int, incident: tuple[Any, ...], fine: Any) -> tuple[Any, ...]:
    ident, when, agency_id, user_id = incident[0], incident[7], incident[4], incident[5]
    status = PAYMENTS[i % len(PAYMENTS)]
    amount = int(fine) if not pd.isna(fine) else 1_000_000
    decided = (when + timedelta(days=7)).date()
    return (
        uuid.uuid4(), ident, f"{i}/QĐ-XPHC", decided, "Lò Văn Minh", "Đội trưởng", agency_id,
        ["HANG_GIA_MAO_NHAN_HIEU"], "PHAT_TIEN", [], [], amount, status, user_id, when, when,
    )  # fmt: skip


def _referral(i: int, incident: tuple[Any, ...], police: uuid.UUID) -> tuple[Any, ...]:
    ident, when, agency_id, user_id = incident[0], incident[7], incident[4], incident[5]
    closed = when + timedelta(days=5 + i % 30) if i % 2 == 0 else None
    due = (when + timedelta(days=20)).date()
    return (
        uuid.uuid4(), ident, agency_id, police, "CHUYEN_HO_SO_HINH_SU", "closed" if closed else "in_progress", 1,
        "bench", [], "KHOI_TO" if closed else None, when, when, closed, due, "criminal_referral", user_id, when, when,
    )  # fmt: skip


def rows(frame: pd.DataFrame, recorders: dict[str, tuple[Any, Any]], police: uuid.UUID) -> Rows:
    """The frame's incidents with goods payloads, a decision per sanctioned one, a referral per referred one."""
    made = Rows([], [], [])
    records = synthetic.copy_records(frame, recorders)
    for i, (record, goods, fine) in enumerate(zip(records, frame["goods_value_vnd"], frame["fine_vnd"], strict=True)):
        record = (*record[:22], _payload(record[1], record[7], goods), *record[23:])
        made.incidents.append(record)
        if record[2] == "sanctioned":
            made.sanctions.append(_sanction(i, record, fine))
        elif record[2] == "referred":
            made.referrals.append(_referral(i, record, police))
    return made


def _batches(records: list[tuple[Any, ...]], size: int = 10_000) -> Iterator[list[tuple[Any, ...]]]:
    it = iter(records)
    while batch := list(itertools.islice(it, size)):
        yield batch


async def insert(dsn: str, frame: pd.DataFrame, recorders: dict[str, tuple[Any, Any]]) -> None:
    """COPY incidents, decisions and referrals, then ANALYZE; print what was stored and how long it took."""
    started = time.perf_counter()
    connection = await asyncpg.connect(dsn)
    try:
        police = await connection.fetchval("SELECT id FROM agencies WHERE code = 'CA'")
        made = rows(frame, recorders, police)
        for table, records, columns in (
            ("incidents", made.incidents, synthetic.COPY_COLUMNS),
            ("sanction_decisions", made.sanctions, SANCTION_COLUMNS),
            ("referrals", made.referrals, REFERRAL_COLUMNS),
        ):
            for batch in _batches(records):
                await connection.copy_records_to_table(table, records=batch, columns=columns)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    print(
        f"  stored by COPY + ANALYZE in {time.perf_counter() - started:.1f} s: {len(made.incidents):,} incidents, "
        f"{len(made.sanctions):,} sanction decisions, {len(made.referrals):,} referrals"
    )


# --- Steps ------------------------------------------------------------------------------------------


def downloading(client: httpx.AsyncClient, url: str) -> Callable[[], Awaitable[int]]:
    """A GET whose body is read to the end; anything but 200 stops the bench."""

    async def get() -> int:
        size = 0
        async with client.stream("GET", url) as response:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}")
        return size

    return get


async def median_step(name: str, pid: int, step: Callable[[], Awaitable[int]], repeats: int) -> Step:
    """The step run `repeats` times: median time, largest memory growth."""
    runs = [await measured(name, pid, step) for _ in range(repeats)]
    middle = sorted(runs, key=lambda s: s.seconds)[len(runs) // 2]
    growth = max(run.growth for run in runs)
    return Step(name, middle.seconds, middle.size, middle.rss_before, middle.rss_before + growth)


async def http_steps(base: str, pid: int, dsn: str, year: int, span: tuple[date, date], repeats: int) -> None:
    """Baseline, both exports, then the reports over HTTP."""
    baseline = await measured("COPY incidents TO STDOUT (csv; the export's rows)", "self", copying(dsn, BASELINE_QUERY))
    print_step(baseline, None, "bench", is_baseline=True)
    async with httpx.AsyncClient(base_url=base, timeout=900) as client:
        login = await client.post("/api/auth/login", json={"username": COORDINATOR, "password": PASSWORD})
        if login.status_code != 200:
            raise SystemExit(f"login failed: HTTP {login.status_code} {login.text[:300]}")
        await client.get("/api/reports/yearly", params={"year": year})  # warm: imports, fonts, caches
        for fmt in ("csv", "xlsx"):
            url = f"/api/incidents/export?format={fmt}"
            step = await measured(f"GET {url}", pid, downloading(client, url))
            print_step(step, baseline, "server")
            judge_export(fmt, step, baseline)
        for fmt in ("csv", "xlsx"):  # every sanction decision (one per sanctioned incident), with its incident
            url = f"/api/sanctions/export?format={fmt}"
            print_step(await measured(f"GET {url}", pid, downloading(client, url)), baseline, "server")
        print(f"  reports (median of {repeats}; ratio to the COPY baseline):")
        for fmt in ("json", "xlsx", "csv", "pdf"):
            url = f"/api/reports/yearly?year={year}&format={fmt}"
            print_step(await median_step(f"GET {url}", pid, downloading(client, url), repeats), baseline, "server")
        for fmt in ("json",) if aims.is_smoke() else ("json", "pdf"):  # smoke: the PDF renderer runs above
            url = f"/api/reports/period?start={span[0]}&end={span[1]}&format={fmt}"
            name = f"GET /api/reports/period (all of {span[0].year}-{span[1].year}) {fmt}"
            print_step(await median_step(name, pid, downloading(client, url), repeats), baseline, "server")


def judge_export(fmt: str, step: Step, baseline: Step) -> None:
    """The export's aim: its time at most AIM_EXPORT_RATIO[fmt] times the COPY's; printed and recorded."""
    ratio, aim = step.seconds / baseline.seconds, AIM_EXPORT_RATIO[fmt]
    verdict = aims.aim(f"incidents export {fmt.upper()} vs COPY", f"{ratio:.1f}x", f"<= {aim:g}x", ratio <= aim)
    print(f"    {fmt.upper()} export {ratio:.1f}x the COPY of the same rows (aim <= {aim:g}x): {verdict}")


async def in_process(database_url: str, year: int) -> None:
    """The yearly report's steps in this process: load by COPY, compute, lay out and render each format."""
    from service.clock import now
    from service.db import alchemy_config
    from service.reports import layout, repository, service
    from service.reports.compute import build_report
    from service.reports.tables import Period

    period = Period(date(year, 1, 1), date(year, 12, 31))
    config = alchemy_config(database_url, 1)
    try:
        async with config.get_session() as session:
            agencies = await repository.agency_names(session)
            data = None

            async def load() -> int:
                nonlocal data
                data = await repository.load(session, period)
                return int(data.incidents.memory_usage(deep=True).sum())

            print_step(await measured(f"load {year} by COPY -> frames (frame bytes)", "self", load), None, "bench")
    finally:
        await config.get_engine().dispose()
    assert data is not None
    counts = (len(data.incidents), len(data.goods), len(data.sanctions), len(data.referrals))
    print("    {:,} incidents, {:,} goods lines, {:,} decisions, {:,} referrals".format(*counts))
    report = None

    async def compute() -> int:
        nonlocal report
        report = build_report(data, period, "2025")
        return 0

    print_step(await measured("build_report (tables + Gi* 999 permutations)", "self", compute), None, "bench")
    assert report is not None
    ctx = layout.Context("vi", agencies, now())
    sheets = layout.sheets(report, ctx)
    laid = service.LaidOut(report, ctx, sheets[0], sheets[1:], service.title(period, "vi"))
    for fmt in ("xlsx", "csv", "pdf"):

        async def render(fmt: str = fmt) -> int:
            return len(await service.render_file(laid, fmt))

        print_step(await measured(f"render {fmt} (file bytes)", "self", render), None, "bench")


# --- Main -------------------------------------------------------------------------------------------


def busiest_year(frame: pd.DataFrame) -> int:
    years = pd.to_datetime(frame["occurred_at"]).dt.tz_convert("Asia/Ho_Chi_Minh").dt.year
    return int(years.value_counts().idxmax())


def bench(args: argparse.Namespace) -> None:
    """Synthetic data in a throwaway database, the real server, then every step."""
    started = time.perf_counter()
    frame = synthetic.incident_frame(args.incidents)
    year = busiest_year(frame)
    first = pd.to_datetime(frame["occurred_at"]).min().year
    span = (date(first, 1, 1), date(synthetic.END.year, 12, 31))
    made = time.perf_counter() - started
    print(f"data: {len(frame):,} synthetic incidents made in {made:.1f} s; load average {load_average()}")
    with throwaway_database() as (database_url, tmp):
        users = asyncio.run(create_users(database_url, USERS))
        recorders = {agency: (users[name].agency_id, users[name].user_id) for name, (agency, _) in USERS.items()}
        asyncio.run(insert(plain_dsn(database_url), frame, recorders))
        with serving(server_env(database_url, tmp), tmp / "app.log", name="app", app_dir=ROOT) as app:
            print(f"== over HTTP: server {app.base} (uvicorn, 1 worker); load average {load_average()} ==")
            asyncio.run(http_steps(app.base, app.pid, plain_dsn(database_url), year, span, args.repeats))
        print(f"== the yearly report {year} in this process ==")
        asyncio.run(in_process(database_url, year))


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--incidents", type=int, default=100_000, help="synthetic incidents")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each report")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5,000 incidents, one run each")
    args = aims.parse(parser)
    if args.quick:
        args.incidents, args.repeats = 5_000, 1
    if args.smoke:
        args.incidents, args.repeats = 300, 1
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
