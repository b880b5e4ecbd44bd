"""Realistic incidents by the hundred thousand for the benches: the demo's incidents as templates, spread over
2021 to now, the reform's two generations of places, written with COPY (no history rows: lists do not read them).

Used by bench_incidents.py (the lists), bench_cases.py, bench_data_version.py and bench_share.py.
"""

from __future__ import annotations

import itertools
import random
import time
import types
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import msgspec
from harness import BenchUser

DEMO_RECORDERS = {
    "demo.qltt": "qltt",
    "demo.hq": "hq",
    "demo.svhttdl": "svh",
    "demo.coordinator": "coord",
    "demo.ca": "ca",
}
STATUSES = {"recorded": 40, "under_verification": 15, "sanctioned": 25, "referred": 5, "closed": 13, "withdrawn": 2}

COLUMNS = [
    "id", "kind", "status", "version", "agency_id", "recorded_by_id", "recorded_at", "occurred_at", "detected_at",
    "lon", "lat", "location_source", "unit_2025", "commune_2024", "district_2024", "district_2024_split",
    "subject_matter", "infringement_acts", "is_counterfeit", "is_ip_infringement", "goods_value_vnd", "crime_signs",
    "search_text", "payload", "created_at", "updated_at",
]  # fmt: skip


@dataclass(frozen=True)
class Template:
    """The fixed columns of one demo incident, reused for many rows."""

    who: str
    kind: str
    payload: dict[str, Any]
    subject_matter: list[str]
    acts: list[str]
    is_counterfeit: bool
    goods_value: int | None
    crime_signs: str
    search_text: str


def templates() -> list[Template]:
    """The demo incidents (about 110, every kind) as row templates, crime signs computed as the service does."""
    from service.demo.incidents import demo_incidents
    from service.incidents.crime_signs import crime_signs
    from service.incidents.reference import crime_threshold_rows
    from service.incidents.service import goods_value, search_text

    thresholds = [types.SimpleNamespace(**row) for row in crime_threshold_rows()]
    found = []
    for username, data in demo_incidents(date(2025, 11, 30)):
        payload = msgspec.to_builtins(data)
        value = goods_value(data) if payload["kind"] == "seizure" else None
        measures = {"goods_value": value, "illegal_profit": data.illegal_profit_vnd, "damage": data.damage_vnd}
        signs = crime_signs(thresholds, acts=data.infringement_acts, on=data.occurred_at.date(), measures=measures)
        found.append(
            Template(
                DEMO_RECORDERS[username],
                payload["kind"],
                payload,
                list(data.subject_matter),
                list(data.infringement_acts),
                data.is_counterfeit,
                value,
                msgspec.json.encode(signs).decode(),
                search_text(payload),
            )
        )
    return found


@dataclass(frozen=True)
class Places:
    """2025 units with weights, their old communes, and the districts each unit overlaps."""

    units: list[str]
    weights: list[int]
    communes: dict[str, list[tuple[str, str]]]  # unit -> [(2024 commune, 2024 district)]
    districts: dict[str, tuple[str, ...]]
    anchors: dict[str, tuple[float, float]]


def places() -> Places:
    """Unit weights like the demo (busy towns heavier), from the bundled crosswalk."""
    from service.demo.catalogue import MARKET_UNITS
    from service.demo.places import bundled_atlas
    from service.incidents.placing import bundled_crosswalk

    links = bundled_crosswalk()
    units = sorted(links.units_2025)
    communes: dict[str, list[tuple[str, str]]] = {}
    for commune, unit in links.commune_successor.items():
        communes.setdefault(unit, []).append((commune, links.commune_district[commune]))
    weights = [MARKET_UNITS.get(u, 1) * 3 for u in units]
    return Places(units, weights, communes, links.unit_districts, bundled_atlas().anchors)


def _where(rng: random.Random, places: Places, before_reform: bool) -> tuple[Any, ...]:
    """(lon, lat, source, unit_2025, commune_2024, district_2024, split) as the service would derive them."""
    unit = rng.choices(places.units, weights=places.weights)[0]
    commune, district = rng.choice(places.communes[unit])
    lon, lat = (round(v + rng.uniform(-0.01, 0.01), 5) for v in places.anchors[unit])
    if before_reform and rng.random() < 0.7:
        return None, None, "crosswalk", unit, commune, district, False
    if rng.random() < 0.65:
        return lon, lat, "gps", unit, None, district, False
    overlaps = places.districts[unit]
    single = overlaps[0] if len(overlaps) == 1 else None
    return None, None, "picked", unit, None, single, single is None


def incident_rows(n: int, seed: int, users: dict[str, BenchUser]) -> Iterator[tuple[Any, ...]]:
    """n realistic incident rows occurring from 2021 to November 2026, varied kinds, agencies and places."""
    rng = random.Random(seed)
    shapes, place = templates(), places()
    start, now = datetime(2021, 1, 1, tzinfo=UTC), datetime.now(UTC)
    span, reform = (now - start).total_seconds(), datetime(2025, 6, 30, 17, tzinfo=UTC)
    statuses, status_weights = list(STATUSES), list(STATUSES.values())
    for _ in range(n):
        shape = rng.choice(shapes)
        agency_id, user_id, _ = users[shape.who]
        occurred = start + timedelta(seconds=rng.uniform(0, span))
        recorded = min(occurred + timedelta(hours=rng.uniform(0.5, 240)), now)
        payload = msgspec.json.encode(shape.payload | {"occurred_at": occurred.isoformat()}).decode()
        yield (
            uuid.uuid4(), shape.kind, rng.choices(statuses, status_weights)[0], 1, agency_id, user_id, recorded,
            occurred, occurred + timedelta(minutes=rng.randrange(0, 90)), *_where(rng, place, occurred < reform),
            shape.subject_matter, shape.acts, shape.is_counterfeit, True, shape.goods_value, shape.crime_signs,
            shape.search_text, payload, recorded, recorded,
        )  # fmt: skip


async def bulk_insert(dsn: str, n: int, users: dict[str, BenchUser]) -> None:
    """COPY n incidents (no history rows: the list does not read them), then VACUUM ANALYZE (as autovacuum would)."""
    started = time.perf_counter()
    connection = await asyncpg.connect(dsn)
    try:
        rows = incident_rows(n, seed=20250701, users=users)
        while batch := list(itertools.islice(rows, 10_000)):
            await connection.copy_records_to_table("incidents", records=batch, columns=COLUMNS)
        copied = time.perf_counter() - started
        await connection.execute("VACUUM ANALYZE incidents")  # what autovacuum does after a bulk load
        total = await connection.fetchval("SELECT count(*) FROM incidents")
        size = await connection.fetchval("SELECT pg_size_pretty(pg_total_relation_size('incidents'))")
    finally:
        await connection.close()
    print(
        f"bulk insert: {n:,} incidents by COPY in {copied:.1f} s, with VACUUM ANALYZE "
        f"{time.perf_counter() - started:.1f} s; "
        f"table now {total:,} rows, {size} with indexes"
    )
