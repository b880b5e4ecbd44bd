"""What the hotspot answers say they compute: counts, z, hot-by-neighbours, refused parameters, right-hand rings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import shapely
from litestar import Litestar
from litestar.testing import AsyncTestClient
from shapely.geometry import shape
from sqlalchemy.ext.asyncio import AsyncSession

from maps.boundaries import load_units_2025
from maps.hotspots import queen_neighbours
from service.auth.models import User
from tests.api.test_maps_density import _planted as planted
from tests.builders import logged_in, make_incident

Client = AsyncTestClient[Litestar]
UNITS = load_units_2025().set_index("code")
NEIGHBOURS = queen_neighbours(load_units_2025())
EMPTY_CENTRE = "03388"  # Đoàn Kết: no incident of its own, many around it


async def _ring_of_cases(db: AsyncSession, user: User) -> None:
    """25 seizures at a GPS point in each neighbour of Đoàn Kết, none in it, one in every other unit."""
    for code in UNITS.index:
        if code == EMPTY_CENTRE:
            continue
        point = UNITS.geometry[code].representative_point()
        for _ in range(25 if code in NEIGHBOURS[EMPTY_CENTRE] else 1):
            await make_incident(db, user, unit_2025=code, district_2024=None, lon=point.x, lat=point.y)


def _rings(geometry: dict[str, Any]) -> list[tuple[bool, bool]]:
    """(is exterior, is counter-clockwise) for every ring of a GeoJSON (multi)polygon."""
    found = []
    for polygon in shapely.get_parts(shape(geometry)):
        found.append((True, polygon.exterior.is_ccw))
        found += [(False, ring.is_ccw) for ring in polygon.interiors]
    return found


async def test_unit_with_no_incident_is_marked_hot_because_of_its_neighbours(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await _ring_of_cases(db, user)
    out = (await client.get("/api/maps/hotspots")).json()
    centre = next(u for u in out["units"] if u["code"] == EMPTY_CENTRE)
    assert centre["count"] == 0 and centre["incidents"] == 0
    assert centre["z"] > 1.96 and centre["label_uncorrected"].startswith("hot")
    assert centre["hot_by_neighbours"] is True
    assert not any(u["hot_by_neighbours"] for u in out["units"] if u["count"] > 0)
    notes = {n["code"]: n for n in out["notes"]}
    assert EMPTY_CENTRE in notes["maps.note.hot_by_neighbours"]["message_en"]
    assert "vì các vùng bên cạnh" in notes["maps.note.hot_by_neighbours"]["message_vi"]
    assert out["permutations"] == 999 and out["weights"] == "queen" and out["alternative"] == "two-sided"
    assert out["incidents"] == 37 - len(NEIGHBOURS[EMPTY_CENTRE]) + 25 * len(NEIGHBOURS[EMPTY_CENTRE])
    # p is (as_extreme + 1) / (permutations + 1), doubled, at most 1
    for unit in out["units"]:
        assert unit["p_sim"] == pytest.approx(min(1.0, 2 * (unit["as_extreme"] + 1) / 1000), abs=1e-12)


async def test_hotspot_count_keeps_area_shares_beside_whole_incidents(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await _ring_of_cases(db, user)
    for _ in range(5):  # known only by former district 106 (Tam Đường): split between its 2025 units by area
        await make_incident(db, user, unit_2025=None, district_2024="106", lon=None, lat=None, location_source="picked")
    spots = (await client.get("/api/maps/hotspots")).json()
    choropleth = (await client.get("/api/maps/choropleth")).json()
    counts = {u["code"]: u["count"] for u in choropleth["units"]}
    split = [u for u in spots["units"] if u["split_count"] > 0]
    assert split and any(u["count"] != int(u["count"]) for u in split)
    for unit in spots["units"]:
        assert unit["count"] == pytest.approx(counts[unit["code"]], abs=1e-6)
        assert unit["count"] == pytest.approx(unit["incidents"] + unit["split_count"], abs=1e-6)
    assert sum(u["count"] for u in spots["units"]) == pytest.approx(choropleth["totals"]["count"], abs=1e-5)
    assert spots["incidents"] == round(choropleth["totals"]["count"])


async def test_hotspots_refuse_the_2024_districts_naming_generation(client: Client, db: AsyncSession):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    response = await client.get("/api/maps/hotspots", params={"generation": "2024"})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "generation" and body["code"] == "maps.hotspots_generation"
    assert "8 huyện cũ" in body["message_vi"] and "8 former districts" in body["message_en"]
    assert (await client.get("/api/maps/hotspots", params={"generation": "2025"})).status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/maps/choropleth", {"colour": "red"}, "colour"),
        ("/api/maps/choropleth", {"resolution": "7"}, "resolution"),
        ("/api/maps/hexbins", {"generation": "2024"}, "generation"),
        ("/api/maps/hexbins", {"resolution": "7", "zoom": "10"}, "zoom"),
        ("/api/maps/hotspots", {"resolution": "7"}, "resolution"),
        ("/api/maps/hotspots", {"min_count": "1"}, "min_count"),
    ],
)
async def test_map_routes_refuse_a_parameter_they_would_ignore(
    client: Client, db: AsyncSession, path: str, params: dict[str, str], field: str
):
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    response = await client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field
    assert response.json()["message_vi"] and response.json()["message_en"]


def _geojson_routes(app: Litestar) -> set[str]:
    """Every route that can answer GeoJSON: declared as application/geo+json or taking ?format=geojson."""
    paths = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            fmt = handler.parsed_fn_signature.parameters.get("format")
            takes_format = fmt is not None and "geojson" in str(fmt.annotation)
            if handler.media_type == "application/geo+json" or takes_format:
                paths.add(route.path)
    return paths


GEOJSON_REQUESTS: list[tuple[str, dict[str, str]]] = [
    ("/api/admin-units/2025.geojson", {}),
    ("/api/admin-units/2024.geojson", {}),
    ("/api/maps/choropleth", {"format": "geojson"}),
    ("/api/maps/choropleth", {"format": "geojson", "generation": "2024"}),
    ("/api/maps/hotspots", {"format": "geojson"}),
    ("/api/maps/hotspots", {"format": "geojson", "areas": "h3", "resolution": "7"}),
    ("/api/maps/hexbins", {"format": "geojson", "resolution": "7"}),
]


async def test_every_geojson_route_writes_counter_clockwise_exteriors_and_clockwise_holes(
    client: Client, db: AsyncSession
):
    assert {path for path, _ in GEOJSON_REQUESTS} == _geojson_routes(client.app)
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await planted(db, user)  # a cluster the hexagon test finds, so hexagon hot spots have polygons too
    for path, params in GEOJSON_REQUESTS:
        response = await client.get(path, params=params)
        assert response.status_code == 200, (path, params, response.text)
        rings = [ring for f in response.json()["features"] for ring in _rings(f["geometry"])]
        assert rings, (path, params)
        wrong = [is_exterior for is_exterior, ccw in rings if ccw != is_exterior]
        assert not wrong, (path, params, len(wrong))


def test_simplified_layers_of_pages_are_right_hand_at_every_zoom() -> None:
    from maps import geometry

    for generation in ("2025", "2024"):
        for zoom in np.arange(6, 16):
            frame = geometry.simplified(generation, geometry.tolerance_for_zoom(float(zoom)))
            collection = geometry.feature_collection(frame)
            assert all(ccw == ext for f in collection["features"] for ext, ccw in _rings(f["geometry"]))


async def test_hotspot_page_says_an_empty_unit_is_hot_because_of_its_neighbours(client: Client, db: AsyncSession):
    user, _ = await logged_in(client, db, agency="SKHCN", role="coordinator")
    await _ring_of_cases(db, user)
    page = await client.get("/maps/hotspots", params={"resolution": "7"}, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "hot because of its neighbours" in page.text  # the empty unit's tooltip
    assert "an area with no incident can be hot" in page.text  # the legend
    for fmt in ("csv", "geojson", "json"):  # the page's download links answer, with nothing the route would ignore
        assert f"/api/maps/hotspots?format={fmt}" in page.text.replace("&amp;", "&")
        assert (await client.get("/api/maps/hotspots", params={"format": fmt})).status_code == 200
    refused = await client.get("/maps/hotspots", params={"generation": "2024"})
    assert refused.status_code == 400
    assert "8 huyện cũ" in refused.text  # pages speak the reader's language (Vietnamese by default)
    english = await client.get("/maps/hotspots", params={"generation": "2024"}, headers={"Accept-Language": "en"})
    assert "8 former districts" in english.text


async def test_openapi_documents_the_hotspot_fields_and_their_counts(client: Client):
    document = (await client.get("/schema/openapi.json")).json()
    schemas = document["components"]["schemas"]
    unit = schemas["UnitHotspot"]["properties"]
    assert "fractional" in unit["count"]["description"] and "Whole number" in unit["incidents"]["description"]
    assert "Getis-Ord" in unit["z"]["description"] and "exactly" in unit["p_sim"]["description"]
    answer = schemas["HotspotsOut"]["properties"]
    assert {"permutations", "weights", "incidents", "alternative"} <= set(answer)
    responses = document["paths"]["/api/maps/hotspots"]["get"]["responses"]["200"]
    assert responses["content"]["application/json"]["schema"]["$ref"].endswith("/HotspotsOut")
