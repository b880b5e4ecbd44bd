"""Benchmark of issue 17 item 3: the incident and referral exports (CSV, XLSX) against a plain COPY of the same rows.

Run: ``.venv/bin/python tests/benchmarks/bench_exports.py [--incidents 50000] [--repeats 3] [--smoke]``.
Not collected by pytest. A throwaway database on the server the tests use (harness.throwaway_database) gets
``--incidents`` synthetic incidents of bench_maps_data.py by COPY, with payloads as the service stores them (a
violator with ID number and tax code, an address, a summary, a goods line) and a criminal referral to the police
for every fifth one. Then, alternately ``--repeats`` times:

1. the baselines: ``COPY (the export's select) TO STDOUT (csv)`` (the incidents joined to their agency and
   recorder in the export's order; the police inbox's referrals joined to both agencies, due first) streamed
   by asyncpg into a sink that only counts bytes;
2. ``GET /api/incidents/export?format=csv|xlsx`` from the real service (uvicorn, one worker) as a coordinator
   (every incident, nothing redacted) and the CSV as the police's agency staff (referred incidents, ID numbers
   redacted); ``GET /api/referrals/export?format=csv|xlsx`` (the police inbox) as the police.

Each figure is the median of the repeats. Aims (issue 17): an export's time at most 4x (CSV) or 8x (XLSX) the
COPY of the same rows, and memory flat: the server's peak resident set (Linux VmHWM, reset before each step)
grows by no more exporting every incident than exporting a quarter of them (``occurred_from``), give or take
``FLAT_SLACK_MB``. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import aims
import asyncpg
import bench_maps_data as synthetic
import httpx
import pandas as pd
from bench_reports import Step, downloading, mb, measured
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

COORDINATOR, POLICE = "bench.coord", "bench.ca"
USERS = {COORDINATOR: ("SKHCN", "coordinator")} | {
    f"bench.{code.lower()}": (code, "agency_staff") for code in synthetic.AGENCIES
}
REFERRAL_COLUMNS = [
    "id", "incident_id", "from_agency_id", "to_agency_id", "type", "status", "version", "message", "attachment_ids",
    "outcome", "sent_at", "acknowledged_at", "closed_at", "due_on", "ack_due_on", "due_rule", "sent_by_id",
    "created_at", "updated_at",
]  # fmt: skip
INCIDENT_BASELINE = (
    "SELECT i.*, a.code, u.username FROM incidents i JOIN agencies a ON a.id = i.agency_id "
    "JOIN users u ON u.id = i.recorded_by_id ORDER BY i.recorded_at DESC, i.id DESC"
)
REFERRAL_BASELINE = (
    "SELECT r.*, f.code, t.code FROM referrals r JOIN agencies f ON f.id = r.from_agency_id "
    "JOIN agencies t ON t.id = r.to_agency_id WHERE r.to_agency_id = '{police}' "
    "ORDER BY r.due_on ASC NULLS LAST, r.sent_at ASC"
)
AIM_RATIO = {"csv": 4.0, "xlsx": 8.0}
FLAT_SLACK_MB = 16.0
SIGNS = json.dumps(
    [
        {
            "article": "192",
            "measure": "goods_value",
            "threshold_vnd": 30_000_000,
            "value_vnd": 32_000_000,
            "legal_basis": "BLHS 2015 Điều 192",
        }
    ]
)


# --- Data -------------------------------------------------------------------------------------------


def _payload(i: int, kind: str, when: datetime, goods: Any) -> str:
    """A payload like the service stores: a violator with personal numbers, an address, a summary."""
    body: dict[str, Any] = {
        "kind": kind,
        "occurred_at": when.isoformat(),
        "summary": f"Kiểm tra cơ sở kinh doanh số {i}, phát hiện hàng hóa, vi phạm" if i % 7 else "",
        "location": {"address": f'Số {i % 300} đường Trần Phú, "tổ" {i % 12}'},
        "violator": {"type": "household", "name": f"Hộ kinh doanh Lò Văn {i}", "id_number": f"{i:012d}"},
        "subject_matter": ["NHAN_HIEU"],
        "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
    }
    if i % 3 == 0:
        body["violator"]["tax_code"] = f"{i:010d}"
    if kind == "seizure" and not pd.isna(goods):
        body["goods"] = [{"description": "Túi xách", "infringed_mark": "LV", "quantity": int(goods) // 1_000_000,
                          "unit": "chiếc", "unit_price_vnd": 1_000_000}]  # fmt: skip
    return json.dumps(body, ensure_ascii=False)


def _referral(incident: tuple[Any, ...], police: uuid.UUID, i: int) -> tuple[Any, ...]:
    ident, when, agency_id, user_id = incident[0], incident[7], incident[4], incident[5]
    closed = when + timedelta(days=5 + i % 30) if i % 4 == 0 else None
    due, ack = (when + timedelta(days=20)).date(), (when + timedelta(days=3)).date()
    return (
        uuid.uuid4(), ident, agency_id, police, "CHUYEN_HO_SO_HINH_SU", "closed" if closed else "sent", 1,
        "Dấu hiệu tội phạm", [], "KHOI_TO" if closed else None, when, None, closed, due, ack, "criminal_referral",
        user_id, when, when,
    )  # fmt: skip


async def insert(dsn: str, frame: pd.DataFrame, recorders: dict[str, tuple[Any, Any]]) -> tuple[int, int]:
    """COPY incidents and referrals, then ANALYZE; the numbers stored."""
    connection = await asyncpg.connect(dsn)
    try:
        police = await connection.fetchval("SELECT id FROM agencies WHERE code = 'CA'")
        incidents, referrals = [], []
        records = synthetic.copy_records(frame, recorders)
        for i, (record, goods) in enumerate(zip(records, frame["goods_value_vnd"], strict=True)):
            signs = SIGNS if i % 11 == 0 else "[]"
            record = (*record[:20], signs, record[21], _payload(i, record[1], record[7], goods), *record[23:])
            incidents.append(record)
            if i % 5 == 0 and record[4] != police:
                referrals.append(_referral(record, police, i))
        for table, rows, columns in (
            ("incidents", incidents, synthetic.COPY_COLUMNS),
            ("referrals", referrals, REFERRAL_COLUMNS),
        ):
            for start in range(0, len(rows), 10_000):
                await connection.copy_records_to_table(table, records=rows[start : start + 10_000], columns=columns)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return len(incidents), len(referrals)


# --- Steps ------------------------------------------------------------------------------------------


async def logged_in(base: str, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=900)
    login = await client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    if login.status_code != 200:
        raise SystemExit(f"login failed: HTTP {login.status_code} {login.text[:300]}")
    return client


def median(steps: list[Step]) -> Step:
    """Median time; the largest peak growth of the runs."""
    middle = sorted(steps, key=lambda s: s.seconds)[len(steps) // 2]
    growth = max(step.growth for step in steps)
    return Step(middle.name, statistics.median(s.seconds for s in steps), middle.size, middle.rss_before,
                middle.rss_before + growth)  # fmt: skip


def line(step: Step, baseline: Step | None) -> None:
    ratio = "baseline" if baseline is None else f"{step.seconds / baseline.seconds:6.1f}x"
    print(f"  {step.name:60} {step.seconds:7.2f} s {ratio:>9}  {mb(step.size):>10}  peak +{mb(step.growth):>9}")


async def http_steps(base: str, pid: int, dsn: str, police: uuid.UUID, quarter_from: str, repeats: int) -> None:
    """Baselines and exports, alternately `repeats` times; medians printed, aims judged and recorded."""
    coordinator, police_client = await logged_in(base, COORDINATOR), await logged_in(base, POLICE)
    steps: dict[str, tuple[str, httpx.AsyncClient | None, str]] = {
        "copy incidents": ("COPY (incident export's select) TO STDOUT csv", None, INCIDENT_BASELINE),
        "incidents csv": ("GET /api/incidents/export?format=csv (coordinator)", coordinator, "format=csv"),
        "incidents xlsx": ("GET /api/incidents/export?format=xlsx (coordinator)", coordinator, "format=xlsx"),
        "quarter csv": (
            f"  the same, occurred_from={quarter_from} (a quarter)",
            coordinator,
            f"format=csv&occurred_from={quarter_from}",
        ),
        "redacted csv": (
            "GET /api/incidents/export?format=csv (police: referred, redacted)",
            police_client,
            "format=csv",
        ),
        "copy referrals": (
            "COPY (police inbox export's select) TO STDOUT csv",
            None,
            REFERRAL_BASELINE.format(police=police),
        ),
        "referrals csv": ("GET /api/referrals/export?format=csv (police inbox)", police_client, "format=csv"),
        "referrals xlsx": ("GET /api/referrals/export?format=xlsx (police inbox)", police_client, "format=xlsx"),
    }
    runs: dict[str, list[Step]] = {key: [] for key in steps}
    try:
        for client in (coordinator, police_client):  # warm: imports, plans
            await downloading(client, "/api/referrals/export?format=csv")()
        for _ in range(repeats):
            for key, (name, client, what) in steps.items():
                if client is None:
                    runs[key].append(await measured(name, "self", copying(dsn, what)))
                else:
                    path = "/api/referrals/export" if key.startswith("referrals") else "/api/incidents/export"
                    runs[key].append(await measured(name, pid, downloading(client, f"{path}?{what}")))
    finally:
        await coordinator.aclose()
        await police_client.aclose()
    best = {key: median(found) for key, found in runs.items()}
    for key, step in best.items():
        baseline_key = "copy referrals" if "referrals" in key else "copy incidents"
        line(step, None if key == baseline_key else best[baseline_key])
    judge(best)


def judge(best: dict[str, Step]) -> None:
    """The aims: ratios to the COPY of the same rows, and peak memory not growing with the rows."""
    for what, baseline in (("incidents", "copy incidents"), ("referrals", "copy referrals")):
        aims.figure(f"COPY of the {what} export's rows", f"{best[baseline].seconds:.2f} s")
        for fmt in ("csv", "xlsx"):
            ratio, aim = best[f"{what} {fmt}"].seconds / best[baseline].seconds, AIM_RATIO[fmt]
            verdict = aims.aim(f"{what} export {fmt.upper()} vs COPY", f"{ratio:.1f}x", f"<= {aim:g}x", ratio <= aim)
            print(
                f"    {what} {fmt.upper()} export {ratio:.1f}x the COPY of the same rows (aim <= {aim:g}x): {verdict}"
            )
    redacted = best["redacted csv"].seconds / best["copy incidents"].seconds
    aims.figure("incidents export CSV as agency staff (redacted) vs COPY of every incident", f"{redacted:.1f}x")
    full, quarter = best["incidents csv"].growth, best["quarter csv"].growth
    for fmt in ("csv", "xlsx"):
        aims.figure(f"incidents export {fmt.upper()} server peak memory growth", mb(best[f"incidents {fmt}"].growth))
    flat = full <= quarter + FLAT_SLACK_MB * 2**20
    figure = f"+{mb(full)} all rows, +{mb(quarter)} a quarter"
    verdict = aims.aim("incidents export memory flat", figure, f"all <= quarter + {FLAT_SLACK_MB:g} MB", flat)
    print(f"    server peak memory {figure} (aim: flat, within {FLAT_SLACK_MB:g} MB): {verdict}")


# --- Main -------------------------------------------------------------------------------------------


def bench(args: argparse.Namespace) -> None:
    """Synthetic data in a throwaway database, the real server, then every step."""
    frame = synthetic.incident_frame(args.incidents)
    occurred = pd.to_datetime(frame["occurred_at"]).sort_values()
    quarter_from = occurred.iloc[len(occurred) * 3 // 4].tz_convert("Asia/Ho_Chi_Minh").date().isoformat()
    print(f"data: {len(frame):,} synthetic incidents; load average {load_average()}")
    with throwaway_database() as (database_url, tmp):
        users = asyncio.run(create_users(database_url, USERS))
        recorders = {agency: (users[name].agency_id, users[name].user_id) for name, (agency, _) in USERS.items()}
        started = time.perf_counter()
        counts = asyncio.run(insert(plain_dsn(database_url), frame, recorders))
        print(f"  stored by COPY + ANALYZE in {time.perf_counter() - started:.1f} s: {counts[0]:,} incidents, "
              f"{counts[1]:,} referrals to the police")  # fmt: skip
        with serving(server_env(database_url, tmp), tmp / "app.log", name="app", app_dir=ROOT) as app:
            print(f"== over HTTP: server {app.base} (uvicorn, 1 worker); load average {load_average()} ==")
            police = users[POLICE].agency_id
            try:
                asyncio.run(http_steps(app.base, app.pid, plain_dsn(database_url), police, quarter_from, args.repeats))
            except httpx.HTTPError:
                print(f"server log:\n{app.tail()}")
                raise
        print(f"load average at the end {load_average()}")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--incidents", type=int, default=50_000, help="synthetic incidents")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each step (median)")
    args = aims.parse(parser)
    if args.smoke:
        args.incidents, args.repeats = 300, 1
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
