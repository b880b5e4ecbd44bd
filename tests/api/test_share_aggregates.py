"""The aggregated datasets: referral statistics per agency and month, counts per 2025 unit and 2024 district,
current hotspots; OData options work over them and only their shared fields can be named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from maps.boundaries import load_units_2025
from maps.hotspots import queen_neighbours
from service.clock import local_day, now
from service.map_views.cache import named_key
from tests.api.test_share_partners import register, token
from tests.builders import make_incident, make_user
from tests.notification_builders import make_referral

Client = AsyncTestClient[Litestar]
ALL = ["referral_statistics", "counts_by_unit_2025", "counts_by_district_2024", "hotspots"]


async def headers_for(client: Client, db: AsyncSession, datasets: list[str]) -> dict[str, str]:
    created = await register(client, db, datasets=datasets)
    client.cookies.clear()
    answer = (await token(client, created["client_id"], created["client_secret"])).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


async def rows(client: Client, headers: dict[str, str], name: str, **query: Any) -> Any:
    response = await client.get(f"/api/share/v1/datasets/{name}", params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_referral_statistics_count_sent_received_closed_overdue_and_the_median(client: Client, db: AsyncSession):
    today = local_day(now())
    closed = await make_referral(db, due_on=today + timedelta(days=30), status="closed")
    closed.sent_at = now() - timedelta(days=4)
    closed.closed_at = now()
    await make_referral(db, due_on=today - timedelta(days=2))  # open and past its due day
    await make_referral(db, due_on=today + timedelta(days=10), to="SKHCN")
    await db.commit()
    headers = await headers_for(client, db, ALL)
    month = today.strftime("%Y-%m")

    catalogue = (await client.get("/api/share/v1/datasets", headers=headers)).json()
    entry = next(d for d in catalogue["value"] if d["name"] == "referral_statistics")
    assert {f["name"] for f in entry["fields"]} >= {"agency", "month", "sent", "overdue", "median_days_to_close"}
    assert all(f["description_vi"] and f["description_en"] for f in entry["fields"])

    body = await rows(client, headers, "referral_statistics", **{"$filter": f"month eq '{month}'", "$count": "true"})
    by_agency = {r["agency"]: r for r in body["value"]}
    assert body["@odata.count"] == 3 and set(by_agency) == {"QLTT", "CA", "SKHCN"}
    assert by_agency["QLTT"] | {"agency": "", "month": ""} == {
        "agency": "",
        "month": "",
        "sent": 3,
        "received": 0,
        "closed": 0,
        "overdue": 0,
        "median_days_to_close": None,
    }
    ca = by_agency["CA"]
    assert (ca["received"], ca["closed"], ca["overdue"], ca["median_days_to_close"]) == (2, 1, 1, 4.0)
    late = await rows(client, headers, "referral_statistics", **{"$filter": "overdue gt 0", "$select": "agency"})
    assert late["value"] == [{"agency": "CA"}]
    refused = await client.get(
        "/api/share/v1/datasets/referral_statistics", params={"$filter": "message eq 'x'"}, headers=headers
    )
    assert refused.status_code == 400 and "message" in refused.json()["message_en"]


async def test_counts_per_2025_unit_and_per_2024_district_in_both_generations(client: Client, db: AsyncSession):
    inspector = await make_user(db, role="inspector", agency="QLTT")
    for _ in range(3):
        await make_incident(db, inspector)  # 03388 (2025) in district 105 (2024)
    await make_incident(db, inspector, occurred_at=datetime(2025, 5, 2, 3, tzinfo=UTC), goods_value_vnd=2_000_000)
    headers = await headers_for(client, db, ALL)

    units = await rows(
        client, headers, "counts_by_unit_2025", **{"$filter": "unit_2025 eq '03388'", "$orderby": "year"}
    )
    assert [(r["year"], r["count"]) for r in units["value"]] == [(2025, 1.0), (2026, 3.0)]
    assert units["value"][0]["goods_value_vnd"] == 2_000_000 and units["value"][0]["name"]
    every = await rows(client, headers, "counts_by_unit_2025", **{"$filter": "year eq 2026", "$count": "true"})
    assert every["@odata.count"] == 38 and sum(r["count"] for r in every["value"]) == 3

    districts = await rows(
        client,
        headers,
        "counts_by_district_2024",
        **{"$filter": "year eq 2026 and count gt 0", "$select": "district_2024,count"},
    )
    assert districts["value"] == [{"district_2024": "105", "count": 3.0}]
    all_districts = await rows(client, headers, "counts_by_district_2024", **{"$filter": "year eq 2025"})
    assert len(all_districts["value"]) == 8
    await make_incident(db, inspector)  # the figures kept for paging are computed again after a change
    again = await rows(client, headers, "counts_by_unit_2025", **{"$filter": "unit_2025 eq '03388' and year eq 2026"})
    assert [r["count"] for r in again["value"]] == [4.0]
    bad = await client.get(
        "/api/share/v1/datasets/counts_by_unit_2025", params={"$filter": "lon gt 1"}, headers=headers
    )
    assert bad.status_code == 400 and bad.json()["field"] == "$filter"


async def test_current_hotspots_are_the_significant_units_of_the_maps(client: Client, db: AsyncSession):
    """A unit and its seven neighbours with four seizures each over a thin background: the centre is hot."""
    neighbours = queen_neighbours(load_units_2025())
    centre = "03430"
    inspector = await make_user(db, role="inspector", agency="QLTT")
    codes = sorted(neighbours)
    for code in {centre, *neighbours[centre]}:
        for _ in range(4):
            await make_incident(db, inspector, unit_2025=code, district_2024=None, lon=None, lat=None)
    cluster = {centre, *neighbours[centre]}
    for i, code in enumerate(codes):
        if i % 3 == 0 and code not in cluster:
            await make_incident(db, inspector, unit_2025=code, district_2024=None, lon=None, lat=None)
    old = datetime(2024, 1, 5, tzinfo=UTC)  # outside the last twelve months: not counted
    await make_incident(db, inspector, occurred_at=old, unit_2025=codes[1], district_2024=None, lon=None, lat=None)
    headers = await headers_for(client, db, ALL)

    body = await rows(client, headers, "hotspots")
    assert [(r["unit_2025"], r["label"]) for r in body["value"]] == [(centre, "hot_99")]
    hot = body["value"][0]
    assert hot["z"] > 2.58 and 0 < hot["p_sim"] < 0.01 and hot["count"] == 4.0 and hot["name"]
    assert hot["period_end"] == local_day(now()).isoformat()
    assert date.fromisoformat(hot["period_start"]) == local_day(now()) - timedelta(days=364)
    none = await rows(client, headers, "hotspots", **{"$filter": "startswith(label, 'cold')"})
    assert none["value"] == []


async def test_each_aggregated_dataset_needs_its_own_grant(client: Client, db: AsyncSession):
    headers = await headers_for(client, db, ["referral_statistics"])
    assert (await client.get("/api/share/v1/datasets/referral_statistics", headers=headers)).status_code == 200
    for name in ALL[1:]:
        refused = await client.get(f"/api/share/v1/datasets/{name}", headers=headers)
        assert refused.status_code == 403 and refused.json()["code"] == "share.dataset_not_granted", name


async def _kept(db: AsyncSession, name: str) -> tuple[Any, ...] | None:
    """(data version, when stored) of the dataset's figures kept with the maps' answers, or None."""
    key = named_key("share_dataset", dataset=name, day=local_day(now()).isoformat())
    await db.rollback()  # a fresh snapshot
    found = await db.execute(text("SELECT data_version, created_at FROM map_results WHERE key = :key"), {"key": key})
    row = found.one_or_none()
    return None if row is None else tuple(row)


async def test_kept_figures_are_reused_until_the_incidents_change_however_they_change(client: Client, db: AsyncSession):
    inspector = await make_user(db, role="inspector", agency="QLTT")
    incident_id = (await make_incident(db, inspector)).id  # 03388 in 2026
    headers = await headers_for(client, db, ALL)
    query = {"$filter": "year eq 2026 and count gt 0", "$select": "unit_2025,count"}

    first = await rows(client, headers, "counts_by_unit_2025", **query)
    assert first["value"] == [{"unit_2025": "03388", "count": 1.0}]
    kept = await _kept(db, "counts_by_unit_2025")
    assert kept is not None
    await rows(client, headers, "counts_by_unit_2025", **query)  # no change: the kept figures are read
    assert await _kept(db, "counts_by_unit_2025") == kept

    # A change that leaves the number of incidents and every updated_at as they were still counts.
    other = "03390"
    await db.execute(text("UPDATE incidents SET unit_2025 = :unit WHERE id = :id"), {"unit": other, "id": incident_id})
    await db.commit()
    moved = await rows(client, headers, "counts_by_unit_2025", **query)
    assert moved["value"] == [{"unit_2025": other, "count": 1.0}]
    again = await _kept(db, "counts_by_unit_2025")
    assert again is not None and again[0] > kept[0]
