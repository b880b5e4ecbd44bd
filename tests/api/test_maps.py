"""Map figures over HTTP: per unit in both generations, scoped by agency, as JSON and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from maps.boundaries import load_units_2025
from maps.hotspots import queen_neighbours
from service.app import create_app
from service.settings import Settings
from tests.builders import logged_in, make_incident
from tests.incident_bodies import body

Client = AsyncTestClient[Litestar]


async def _record_two_agencies(settings: Settings, db: AsyncSession) -> None:
    """A QLTT seizure and an SVHTTDL advertising case, both in Phường Đoàn Kết (03388; former district 105)."""
    for agency, role, kind in (("QLTT", "inspector", "seizure"), ("SVHTTDL", "agency_staff", "advertising_violation")):
        async with AsyncTestClient(app=create_app(settings)) as other:
            _, headers = await logged_in(other, db, agency=agency, role=role)
            assert (await other.post("/api/incidents", json=body(kind), headers=headers)).status_code == 201


def _by_code(out: dict) -> dict[str, dict]:
    return {unit["code"]: unit for unit in out["units"]}


async def test_coordinator_sees_every_agency_per_2025_unit(settings: Settings, client: Client, db: AsyncSession):
    await _record_two_agencies(settings, db)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    out = (await client.get("/api/maps/choropleth")).json()
    units = _by_code(out)
    assert len(units) == 38 and units["03388"]["count"] == 2 and units["03388"]["full_name"] == "Phường Đoàn Kết"
    assert out["totals"]["count"] == 2 == out["province_totals"]["count"]
    assert out["totals"]["goods_value_vnd"] == 20 * 1_250_000 + 15 * 300_000 + 10 * 250_000
    assert out["scope"] == "province"


async def test_the_same_incidents_by_former_district(settings: Settings, client: Client, db: AsyncSession):
    await _record_two_agencies(settings, db)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    out = (await client.get("/api/maps/choropleth", params={"generation": "2024"})).json()
    units = _by_code(out)
    assert len(units) == 8 and units["105"]["count"] == 2 and out["totals"]["count"] == 2


async def test_agency_staff_see_their_own_figures_and_province_totals_only(
    settings: Settings, client: Client, db: AsyncSession
):
    await _record_two_agencies(settings, db)
    await logged_in(client, db, agency="QLTT", role="inspector")
    out = (await client.get("/api/maps/choropleth")).json()
    other_agency = await client.get("/api/maps/choropleth", params={"agency": "SVHTTDL"})
    assert out["scope"] == "agency" and out["agency"] == "QLTT"
    assert _by_code(out)["03388"]["count"] == 1 and out["province_totals"]["count"] == 2
    assert other_agency.status_code == 403 and other_agency.json()["field"] == "agency"


async def test_filters_narrow_the_figures(settings: Settings, client: Client, db: AsyncSession):
    await _record_two_agencies(settings, db)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    seizures = (await client.get("/api/maps/choropleth", params={"kind": "seizure"})).json()
    before = (await client.get("/api/maps/choropleth", params={"end": "2026-03-01"})).json()
    assert seizures["totals"]["count"] == 1 and seizures["kind"] == "seizure"
    assert before["totals"]["count"] == 0


async def test_table_as_csv(settings: Settings, client: Client, db: AsyncSession):
    await _record_two_agencies(settings, db)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    response = await client.get("/api/maps/choropleth", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["content-type"].startswith("text/csv")
    assert len(rows) == 38
    assert next(r for r in rows if r["code"] == "03388")["name"] == "Đoàn Kết"


async def test_hotspots_say_when_there_is_too_little_data(settings: Settings, client: Client, db: AsyncSession):
    await _record_two_agencies(settings, db)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    out = (await client.get("/api/maps/hotspots", params={"start": "2026-01-01"})).json()
    assert out["enough_data"] is False
    assert out["notes"][0]["code"] == "maps.note.too_few_incidents" and "2 vụ" in out["notes"][0]["message_vi"]
    assert {u["label"] for u in out["units"]} == {"not_significant"} and len(out["units"]) == 38
    assert out["params"]["seed"] == 20250701 and out["params"]["permutations"] == 999
    assert out["params"]["start"] == "2026-01-01"


async def test_a_cluster_around_doan_ket_is_a_hotspot(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    cluster = ["03388", *queen_neighbours(load_units_2025())["03388"]]
    for code in cluster:
        for _ in range(12):
            await make_incident(db, user, unit_2025=code, district_2024=None, lon=None, lat=None)
    for code in ("03640", "03463", "03549"):
        await make_incident(db, user, unit_2025=code, district_2024=None, lon=None, lat=None)
    out = (await client.get("/api/maps/hotspots")).json()
    labels = {u["code"]: u["label"] for u in out["units"]}
    assert out["enough_data"] is True
    assert labels["03388"].startswith("hot_")
    assert not any(label.startswith("hot_") for code, label in labels.items() if code in ("03640", "03463"))


async def test_filters_follow_local_days_lists_and_leave_withdrawn_out(client: Client, db: AsyncSession):
    """Filters run in SQL: the local (UTC+7) day decides the period; any listed subject matter or act matches."""
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    late_evening = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 23:30 on 1 March in Lai Châu
    await make_incident(db, user, occurred_at=late_evening, subject_matter=["QUYEN_TAC_GIA", "NHAN_HIEU"])
    await make_incident(db, user, infringement_acts=["SAO_CHEP_LAU"], goods_value_vnd=None)
    await make_incident(db, user, status="withdrawn")

    async def count(**params: str) -> float:
        return (await client.get("/api/maps/choropleth", params=params)).json()["totals"]["count"]

    assert await count() == 2
    assert await count(end="2026-03-01") == 1 and await count(start="2026-03-02") == 1
    assert await count(subject_matter="QUYEN_TAC_GIA") == 1 and await count(act="SAO_CHEP_LAU") == 1
    assert await count(subject_matter="GIONG_CAY_TRONG") == 0
