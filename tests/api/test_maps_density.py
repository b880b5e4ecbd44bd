"""Hexagon density and hexagon hotspots over HTTP; GeoJSON and CSV of every map."""

from __future__ import annotations

import csv
import io

import numpy as np
from litestar import Litestar
from litestar.testing import AsyncTestClient
from shapely.geometry import Point, shape
from sqlalchemy.ext.asyncio import AsyncSession

from maps.boundaries import load_units_2025
from maps.hotspots import queen_neighbours
from service.auth.models import User
from tests.builders import logged_in, make_incident

Client = AsyncTestClient[Litestar]
UNITS = load_units_2025().set_index("code")
NEIGHBOURS = queen_neighbours(load_units_2025())
TRIO = ("03388", "03394", "03408")  # Đoàn Kết, Tân Phong, Bình Lư: each a queen neighbour of the other two


def _points_in(code: str, n: int, rng: np.random.Generator, spread: float) -> list[tuple[float, float]]:
    """n random points inside unit `code`, within `spread` degrees of its representative point."""
    polygon = UNITS.geometry[code]
    centre = polygon.representative_point()
    points: list[tuple[float, float]] = []
    while len(points) < n:
        x, y = centre.x + rng.uniform(-spread, spread), centre.y + rng.uniform(-spread, spread)
        if polygon.contains(Point(x, y)):
            points.append((x, y))
    return points


async def _store(db: AsyncSession, user: User, code: str, points: list[tuple[float, float]]) -> None:
    for lon, lat in points:
        await make_incident(db, user, unit_2025=code, district_2024=None, lon=lon, lat=lat)


async def _planted(db: AsyncSession, user: User) -> None:
    """60 seizures in three neighbouring communes and a thin random background of 20 elsewhere."""
    rng = np.random.default_rng(2025)
    for code in TRIO:
        await _store(db, user, code, _points_in(code, 20, rng, 0.03))
    far = sorted(set(UNITS.index) - set(TRIO).union(*(NEIGHBOURS[c] for c in TRIO)))
    for code in rng.choice(far, 20):
        await _store(db, user, str(code), _points_in(str(code), 1, rng, 0.05))


async def test_planted_cluster_is_hot_on_hexagons_and_nothing_far_is(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await _planted(db, user)
    response = await client.get("/api/maps/hotspots", params={"areas": "h3", "resolution": "7", "format": "geojson"})
    collection = response.json()
    assert response.headers["content-type"].startswith("application/geo+json")
    assert collection["ipcoord"]["enough_data"] is True and collection["ipcoord"]["params"]["permutations"] == 9999
    hot = [f for f in collection["features"] if f["properties"]["label"] in ("hot_95", "hot_99")]
    assert hot, collection["ipcoord"]
    cluster = UNITS.geometry[list(TRIO)].union_all().buffer(0.02)
    assert all(cluster.contains(shape(f["geometry"]).centroid) for f in hot)
    hot_units = {code for code in TRIO if any(UNITS.geometry[code].intersects(shape(f["geometry"])) for f in hot)}
    assert hot_units == set(TRIO)
    assert all(f["properties"]["count"] is None or f["properties"]["count"] >= 3 for f in collection["features"])


async def test_planted_cluster_on_units_is_indicative_and_nothing_far_is_hot(client: Client, db: AsyncSession):
    """Conditional permutation cannot pass FDR for a 3-unit cluster among 38 (docs/maps.md): the uncorrected
    label shows it, the FDR label stays quiet, and no unit away from the cluster is hot either way."""
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await _planted(db, user)
    out = (await client.get("/api/maps/hotspots")).json()
    units = {u["code"]: u for u in out["units"]}
    near = set(TRIO).union(*(NEIGHBOURS[c] for c in TRIO))
    assert all(units[c]["label_uncorrected"].startswith("hot_") and units[c]["z"] > 1.96 for c in TRIO)
    assert not any(
        u["label"].startswith("hot") or u["label_uncorrected"].startswith("hot")
        for c, u in units.items()
        if c not in near
    )


async def test_five_incidents_make_no_hotspot_anywhere(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await _store(db, user, "03388", _points_in("03388", 5, np.random.default_rng(1), 0.005))
    for areas in ("units", "h3"):
        out = (await client.get("/api/maps/hotspots", params={"areas": areas})).json()
        assert out["enough_data"] is False and out["notes"][0]["code"] == "maps.note.too_few_incidents"
        assert not any(row["label"].startswith("hot") for row in out["units"] + out["cells"])


async def test_hexbins_hide_cells_under_the_minimum(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await _store(db, user, "03388", [(103.4581, 22.3961)] * 4)
    await _store(db, user, "03408", _points_in("03408", 1, np.random.default_rng(3), 0.001))
    await make_incident(db, user, lon=None, lat=None)
    out = (await client.get("/api/maps/hexbins", params={"resolution": "8"})).json()
    assert [(c["count"], round(c["lat"], 1)) for c in out["cells"]] == [(4, 22.4)]
    assert (out["suppressed_cells"], out["suppressed_points"], out["without_gps"]) == (1, 1, 1)
    assert {n["code"] for n in out["notes"]} == {"maps.note.suppressed", "maps.note.without_gps"}
    geo = await client.get("/api/maps/hexbins", params={"zoom": "12"}, headers={"Accept": "application/geo+json"})
    feature = geo.json()["features"][0]
    assert feature["geometry"]["type"] == "Polygon" and feature["properties"]["count"] == 4
    assert shape(feature["geometry"]).contains(Point(103.4581, 22.3961))
    table = await client.get("/api/maps/hexbins", params={"format": "csv"})
    assert [row["count"] for row in csv.DictReader(io.StringIO(table.text))] == ["4"]


async def test_agency_staff_see_only_their_own_hexagons(client: Client, db: AsyncSession):
    coordinator, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await _store(db, coordinator, "03388", [(103.4581, 22.3961)] * 3)
    await logged_in(client, db, agency="QLTT", role="inspector")
    out = (await client.get("/api/maps/hexbins")).json()
    assert out["scope"] == "agency" and out["agency"] == "QLTT" and out["cells"] == []


async def test_choropleth_as_geojson_carries_figures_filters_and_attribution(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await make_incident(db, user)
    response = await client.get("/api/maps/choropleth", params={"generation": "2024", "format": "geojson"})
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 8
    by_id = {f["id"]: f for f in collection["features"]}
    assert by_id["105"]["properties"]["count"] == 1 and by_id["105"]["properties"]["full_name"]
    assert shape(by_id["105"]["geometry"]).contains(Point(103.458, 22.396))
    assert collection["ipcoord"]["generation"] == "2024" and collection["ipcoord"]["totals"]["count"] == 1
    assert "sapnhap.bando.com.vn" in collection["attribution"]["vi"]
