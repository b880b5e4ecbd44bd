"""Benchmark of issue 17 item 3: committing an import of a past register, in rows stored per second.

Run: ``.venv/bin/python tests/benchmarks/bench_imports.py [--rows 2000] [--background 20000] [--repeats 2] [--smoke]``.
Not collected by pytest. A throwaway database on the server the tests use (harness.throwaway_database) gets
``--background`` synthetic incidents of other agencies by COPY (bench_maps_data.py), so duplicate flagging has
candidates to compare. Then, ``--repeats`` times, a CSV register of ``--rows`` past seizures (dates over two
years, communes of two districts, goods, violators; some rows naming violators and goods of the background, so
flags are raised) is uploaded, mapped and committed through the service's own functions, in this process
(``imports.service.create_import``, ``set_mapping``, ``commit_import``, one transaction each, as the routes do).
The commit's wall time gives rows per second; the aim (issue 17) is at least 1,000. Alongside, as the
baseline of the same run: a bare asyncpg ``executemany`` insert of the same number of incidents and history rows.
The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aims
import asyncpg
import bench_maps_data as synthetic
import msgspec
from harness import create_users, load_average, plain_dsn, run_main, throwaway_database

AIM_ROWS_PER_S = 1_000
IMPORTER = "bench.qltt"
USERS = {f"bench.{code.lower()}": (code, "agency_staff") for code in synthetic.AGENCIES}
HEADERS = ["Ngày kiểm tra", "Số biên bản", "Hàng hóa", "Nhãn hiệu", "Số lượng", "ĐVT", "Trị giá", "Xã/Phường",
           "Huyện", "Đối tượng", "Đội", "Ghi chú"]  # fmt: skip
FIELDS = ["occurred_on", "record_number", "goods_description", "goods_mark", "goods_quantity", "goods_unit",
          "goods_total_value", "commune", "district", "violator_name", "team", "notes"]  # fmt: skip
PLACES = [("Phường Quyết Thắng", "Thành phố Lai Châu"), ("Mường Than", "Huyện Than Uyên")]
GOODS = [("Sâm Lai Châu đóng hộp", "Sâm Lai Châu", "hộp"), ("Giày thể thao", "Nike", "đôi"),
         ("Gạo Séng Cù", "Gạo Séng Cù Than Uyên", "bao"), ("Bột giặt", "OMO", "gói")]  # fmt: skip
MAPPING = {
    "columns": [{"column": c, "field": f} for c, f in zip(HEADERS, FIELDS, strict=True)],
    "defaults": {"subject_matter": ["NHAN_HIEU"], "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"]},
}


def register(rows: int, seed: int) -> bytes:
    """A CSV register as an officer keeps it: one seizure a row, Vietnamese headers, dd/mm/yyyy, dotted amounts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    start = date(2023, 1, 2)
    for i in range(rows):
        description, mark, unit = GOODS[(i + seed) % len(GOODS)]
        commune, district = PLACES[i % len(PLACES)]
        quantity = 1 + (i * 7 + seed) % 40
        day = start + timedelta(days=(i * 3 + seed) % 700)
        violator = f"Hộ kinh doanh Lò Văn {(i + seed) % 500}"
        writer.writerow([day.strftime("%d/%m/%Y"), f"{i}/BB-QLTT", description, mark, quantity, unit,
                         f"{quantity * 250_000:,}".replace(",", "."), commune, district, violator, "Đội 1",
                         "nhập từ sổ cũ"])  # fmt: skip
    return out.getvalue().encode("utf-8")


async def committed(database_url: str, principal: Any, rows: int, seed: int) -> tuple[float, int]:
    """Upload, map and commit one register; the commit's seconds and the rows it stored."""
    from schemas.imports import CommitIn, ImportMappingIn
    from service.admin_units.service import GeoRegistry
    from service.attachments.service import Upload
    from service.attachments.storage import LocalFileStore
    from service.db import alchemy_config
    from service.imports import service

    tagger = GeoRegistry.from_bundled().tagger
    config = alchemy_config(database_url, 2)
    folder = Path(f"/tmp/ipcoord-bench-imports-{uuid.uuid4().hex}")  # noqa: S108 - a throwaway store
    try:
        store = service.ImportConfig(LocalFileStore(folder), 10 * 2**20)
        async with config.get_session() as session:
            made = await service.create_import(session, store, principal, Upload("so_cu.csv", register(rows, seed)))
            await service.set_mapping(session, principal, made.id, msgspec.convert(MAPPING, ImportMappingIn))
            await session.commit()
        async with config.get_session() as session:
            started = time.perf_counter()
            done = await service.commit_import(session, principal, tagger, made.id, CommitIn(confirm=[]))
            await session.commit()
            return time.perf_counter() - started, done.stored
    finally:
        await config.get_engine().dispose()


async def bare_insert(dsn: str, agency_id: uuid.UUID, user_id: uuid.UUID, rows: int) -> float:
    """The baseline: the same number of incidents and history rows by asyncpg executemany, one transaction."""
    now = datetime.now(UTC)
    payload = '{"kind": "seizure", "summary": "bench"}'
    incidents = [(uuid.uuid4(), agency_id, user_id, now, now - timedelta(days=i % 700), payload) for i in range(rows)]
    connection = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        async with connection.transaction():
            await connection.executemany(
                "INSERT INTO incidents (id, kind, status, version, agency_id, recorded_by_id, recorded_at, occurred_at,"
                " location_source, district_2024_split, subject_matter, infringement_acts, is_counterfeit,"
                " is_ip_infringement, crime_signs, search_text, payload, created_at, updated_at) VALUES ($1, 'seizure',"
                " 'recorded', 1, $2, $3, $4, $5, 'unit', false, '{NHAN_HIEU}', '{KHAC}', true, true, '[]', 'bench',"
                " $6::jsonb, $4, $4)",
                incidents,
            )
            await connection.executemany(
                "INSERT INTO incident_events (incident_id, version, action, actor_id, changes) "
                "VALUES ($1, 1, 'created', $2, $3::jsonb)",
                [(row[0], user_id, payload) for row in incidents],
            )
        return time.perf_counter() - started
    finally:
        await connection.close()


def bench(args: argparse.Namespace) -> None:
    """Background incidents, then the commits and the baseline, alternately."""
    from service.auth.principal import Principal, Role

    print(f"load average {load_average()}")
    with throwaway_database() as (database_url, _):
        users = asyncio.run(create_users(database_url, USERS))
        recorders = {agency: (users[name].agency_id, users[name].user_id) for name, (agency, _) in USERS.items()}
        others = {agency: ids for agency, ids in recorders.items() if agency != "QLTT"}
        frame = synthetic.incident_frame(args.background)
        frame = frame[frame["agency"] != "QLTT"]
        asyncio.run(_copy(plain_dsn(database_url), synthetic.copy_records(frame, others)))
        print(f"  {len(frame):,} background incidents of other agencies stored by COPY")
        importer = users[IMPORTER]
        principal = Principal(user_id=importer.user_id, username=IMPORTER, agency_id=importer.agency_id,
                              agency_code="QLTT", role=Role.AGENCY_STAFF, method="session")  # fmt: skip
        rates, bare = [], []
        for seed in range(args.repeats):
            seconds, stored = asyncio.run(committed(database_url, principal, args.rows, seed))
            rates.append(stored / seconds)
            base = asyncio.run(bare_insert(plain_dsn(database_url), importer.agency_id, importer.user_id, args.rows))
            bare.append(args.rows / base)
            print(f"  commit of {stored:,} rows: {seconds:.2f} s, {stored / seconds:,.0f} rows/s; "
                  f"bare insert {args.rows / base:,.0f} rows/s")  # fmt: skip
    rate, baseline = statistics.median(rates), statistics.median(bare)
    aims.figure("bare asyncpg insert of incidents + history", f"{baseline:,.0f} rows/s")
    aims.figure("import commit vs bare insert", f"{rate / baseline:.0%}")
    verdict = aims.aim("import commit", f"{rate:,.0f} rows/s", f">= {AIM_ROWS_PER_S:,} rows/s", rate >= AIM_ROWS_PER_S)
    print(f"import commit {rate:,.0f} rows/s ({rate / baseline:.0%} of a bare insert; aim >= {AIM_ROWS_PER_S:,}): "
          f"{verdict}; load average {load_average()}")  # fmt: skip


async def _copy(dsn: str, records: Any) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table("incidents", records=list(records), columns=synthetic.COPY_COLUMNS)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=2_000, help="rows of each register committed")
    parser.add_argument("--background", type=int, default=20_000, help="incidents already stored")
    parser.add_argument("--repeats", type=int, default=2, help="registers committed (median)")
    args = aims.parse(parser)
    if args.smoke:
        args.rows, args.background, args.repeats = 40, 300, 1
    run_main(lambda: bench(args))


if __name__ == "__main__":
    main()
