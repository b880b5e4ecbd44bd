"""The admin-unit registry, boundary GeoJSON and point geotagging over HTTP, against the seeded database."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from maps.boundaries import load_crosswalk, load_districts_2024, load_units_2025
from tests.builders import logged_in

Client = AsyncTestClient[Litestar]

UNIT_POINTS = [
    (code, geometry.representative_point())
    for code, geometry in zip(load_units_2025()["code"], load_units_2025().geometry, strict=True)
]
DISTRICT_POINTS = [
    (code, geometry.representative_point())
    for code, geometry in zip(load_districts_2024()["code"], load_districts_2024().geometry, strict=True)
]
DISTRICT_CODES = [f"{n}" for n in range(105, 113)]


@pytest.fixture
async def user(client: Client, db: AsyncSession) -> Client:
    """The client, logged in as an ordinary inspector."""
    await logged_in(client, db)
    return client


async def _json(client: Client, url: str, status: int = 200, **kwargs: Any) -> Any:
    response = await client.get(url, **kwargs)
    assert response.status_code == status, response.text
    return response.json()


def _assert_names_field(body: dict[str, Any], field: str) -> None:
    """An error of the contract that names `field` as the one at fault."""
    assert set(body) == {"code", "message_vi", "message_en", "field", "errors", "request_id"}, body
    assert body["field"] == field, body
    assert [e["field"] for e in body["errors"]] == [field], body


def _assert_message_names_field(body: dict[str, Any], field: str) -> None:
    """A validation error that also spells the field out in both languages."""
    _assert_names_field(body, field)
    assert f"`{field}`" in body["message_vi"], body
    assert f"`{field}`" in body["message_en"], body


# --- the registry ---------------------------------------------------------------------------------


async def test_2025_generation_has_36_communes_and_2_wards(user: Client) -> None:
    units = await _json(user, "/api/admin-units?generation=2025")
    assert len(units) == 38
    assert Counter(u["kind"] for u in units) == {"xã": 36, "phường": 2}
    assert {u["generation"] for u in units} == {"2025"}


async def test_2025_ward_names_keep_their_diacritics(user: Client) -> None:
    units = await _json(user, "/api/admin-units?generation=2025")
    wards = {u["full_name"] for u in units if u["kind"] == "phường"}
    assert wards == {"Phường Đoàn Kết", "Phường Tân Phong"}


async def test_2024_districts_are_the_eight_with_codes_105_to_112(user: Client) -> None:
    districts = await _json(user, "/api/admin-units?generation=2024&level=district")
    assert [d["code"] for d in districts] == DISTRICT_CODES
    assert {d["level"] for d in districts} == {"district"}


async def test_2024_communes_each_belong_to_a_2024_district(user: Client) -> None:
    communes = await _json(user, "/api/admin-units?generation=2024&level=commune")
    assert len(communes) == 106
    orphans = [c["code"] for c in communes if c["parent_code"] not in DISTRICT_CODES]
    assert orphans == []


async def test_listing_every_generation_keys_units_by_generation_and_code(user: Client) -> None:
    units = await _json(user, "/api/admin-units")
    keys = [(u["generation"], u["code"]) for u in units]
    assert len(units) == 152
    assert len(set(keys)) == 152
    assert ("2024", "03388") in keys
    assert ("2025", "03388") in keys


async def test_a_reused_code_means_a_different_unit_in_each_generation(user: Client) -> None:
    old = await _json(user, "/api/admin-units/2024/03388")
    new = await _json(user, "/api/admin-units/2025/03388")
    assert old["unit"]["full_name"] == "Phường Quyết Tiến"
    assert new["unit"]["full_name"] == "Phường Đoàn Kết"


async def test_2025_unit_lists_the_2024_communes_merged_into_it(user: Client) -> None:
    detail = await _json(user, "/api/admin-units/2025/03388")
    merged = [(p["generation"], p["code"]) for p in detail["predecessors"] if p["kind"] == "merged_into"]
    assert merged == [("2024", c) for c in ("03386", "03388", "03389", "03391", "03403")]


async def test_2025_unit_lists_the_districts_it_overlaps_with_shares_adding_up(user: Client) -> None:
    detail = await _json(user, "/api/admin-units/2025/03388")
    overlaps = [p for p in detail["predecessors"] if p["kind"] == "overlaps"]
    assert [(p["generation"], p["code"]) for p in overlaps] == [("2024", "105"), ("2024", "109")]
    assert all(0 < p["share_of_from"] <= 1 and 0 < p["share_of_to"] <= 1 for p in overlaps), overlaps
    # The unit is split between the two districts: its shares cover all of it.
    assert sum(p["share_of_to"] for p in overlaps) == pytest.approx(1, abs=1e-3)


async def test_2024_district_lists_its_communes_as_children(user: Client) -> None:
    crosswalk = load_crosswalk()
    expected = sorted(crosswalk.loc[crosswalk["old_district_code"] == "105", "old_commune_code"])
    detail = await _json(user, "/api/admin-units/2024/105")
    assert [c["code"] for c in detail["children"]] == expected
    assert {(c["generation"], c["parent_code"]) for c in detail["children"]} == {("2024", "105")}


async def test_2024_district_lists_its_2025_successors(user: Client) -> None:
    detail = await _json(user, "/api/admin-units/2024/105")
    successors = detail["successors"]
    assert [(s["generation"], s["code"]) for s in successors] == [("2025", "03388"), ("2025", "03408")]
    # Every piece of the district went to one of them.
    assert sum(s["share_of_from"] for s in successors) == pytest.approx(1, abs=1e-3)


async def test_unknown_unit_is_404_naming_code(user: Client) -> None:
    body = await _json(user, "/api/admin-units/2025/99999", status=404)
    assert body["code"] == "admin_unit.not_found"
    _assert_names_field(body, "code")
    assert "99999" in body["message_vi"]
    assert "99999" in body["message_en"]


async def test_2024_code_asked_in_2025_is_404(user: Client) -> None:
    # 03389 (old Phường Đoàn Kết) was merged away: it has no 2025 meaning.
    body = await _json(user, "/api/admin-units/2025/03389", status=404)
    assert body["code"] == "admin_unit.not_found"


@pytest.mark.parametrize("url", ["/api/admin-units/2023/03388", "/api/admin-units?generation=2023"])
async def test_unknown_generation_is_400_naming_generation(user: Client, url: str) -> None:
    body = await _json(user, url, status=400)
    _assert_message_names_field(body, "generation")


# --- boundary GeoJSON -----------------------------------------------------------------------------


async def test_2025_boundaries_have_38_named_features(user: Client) -> None:
    response = await user.get("/api/admin-units/2025.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    document = json.loads(response.content)
    assert document["type"] == "FeatureCollection"
    assert len(document["features"]) == 38
    for feature in document["features"]:
        properties = feature["properties"]
        assert properties["code"], properties
        assert properties["name"], properties
        assert properties["full_name"], properties
    assert {f["properties"]["code"] for f in document["features"]} == {c for c, _ in UNIT_POINTS}


async def test_boundaries_carry_the_data_attribution_in_both_languages(user: Client) -> None:
    document = json.loads((await user.get("/api/admin-units/2025.geojson")).content)
    attribution = document["attribution"]
    assert "Nghị quyết 1670/NQ-UBTVQH15" in attribution["vi"]
    assert "Resolution 1670/NQ-UBTVQH15" in attribution["en"]
    assert attribution["vi"] != attribution["en"]


async def test_2024_boundaries_have_the_8_districts(user: Client) -> None:
    document = json.loads((await user.get("/api/admin-units/2024.geojson")).content)
    assert sorted(f["properties"]["code"] for f in document["features"]) == DISTRICT_CODES


async def test_boundaries_answer_304_to_their_etag(user: Client) -> None:
    first = await user.get("/api/admin-units/2025.geojson")
    etag = first.headers["etag"]
    again = await user.get("/api/admin-units/2025.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


async def test_boundaries_of_each_generation_have_their_own_etag(user: Client) -> None:
    etag_2025 = (await user.get("/api/admin-units/2025.geojson")).headers["etag"]
    other = await user.get("/api/admin-units/2024.geojson", headers={"If-None-Match": etag_2025})
    assert other.status_code == 200


# --- geotagging -----------------------------------------------------------------------------------


async def test_each_2025_unit_contains_its_representative_point(user: Client) -> None:
    wrong = []
    for code, point in UNIT_POINTS:
        response = await user.get("/api/geotag", params={"lon": point.x, "lat": point.y})
        found = response.json().get("unit_2025", {}).get("code") if response.status_code == 200 else None
        if found != code:
            wrong.append((code, point.x, point.y, response.status_code, found))
    assert wrong == [], "units tagged elsewhere at their representative point: (code, lon, lat, status, found)"


async def test_each_2024_district_contains_its_representative_point(user: Client) -> None:
    wrong = []
    for code, point in DISTRICT_POINTS:
        response = await user.get("/api/geotag", params={"lon": point.x, "lat": point.y})
        found = response.json().get("district_2024", {}).get("code") if response.status_code == 200 else None
        if found != code:
            wrong.append((code, point.x, point.y, response.status_code, found))
    assert wrong == [], "districts tagged elsewhere at their representative point: (code, lon, lat, status, got)"


async def test_geotag_answers_both_generations_with_names(user: Client) -> None:
    body = await _json(user, "/api/geotag", params={"lon": 103.458, "lat": 22.396})
    assert body["unit_2025"] == {
        "code": "03388",
        "generation": "2025",
        "name": "Đoàn Kết",
        "full_name": "Phường Đoàn Kết",
    }
    assert body["district_2024"]["code"] == "105"
    assert body["district_2024"]["full_name"] == "Thành phố Lai Châu"


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        pytest.param(104.9, 22.8, id="ha-giang"),
        pytest.param(106.5, 20.0, id="gulf-of-tonkin"),
        pytest.param(103.0, 22.8, id="north-of-the-border"),
    ],
)
async def test_point_outside_the_province_is_422_naming_lon_and_lat(user: Client, lon: float, lat: float) -> None:
    body = await _json(user, "/api/geotag", status=422, params={"lon": lon, "lat": lat})
    assert body["code"] == "geo.outside_province"
    assert [e["field"] for e in body["errors"]] == ["lon", "lat"]
    assert "Lai Châu" in body["message_vi"]
    assert "outside" in body["message_en"]


async def test_latitude_beyond_90_is_400_naming_lat(user: Client) -> None:
    body = await _json(user, "/api/geotag", status=400, params={"lon": 103.4, "lat": 95})
    assert body["code"] == "field.too_large"
    _assert_message_names_field(body, "lat")


@pytest.mark.parametrize("lon", ["nan", "NaN", "inf", "-inf"])
async def test_non_finite_longitude_is_400_naming_lon(user: Client, lon: str) -> None:
    body = await _json(user, f"/api/geotag?lon={lon}&lat=22.4", status=400)
    assert body["code"] == "field.not_finite"
    _assert_message_names_field(body, "lon")


async def test_missing_latitude_is_400_naming_lat(user: Client) -> None:
    body = await _json(user, "/api/geotag", status=400, params={"lon": 103.4})
    assert body["code"] == "field.required"
    _assert_message_names_field(body, "lat")


async def test_geotag_needs_login(client: Client) -> None:
    response = await client.get("/api/geotag", params={"lon": 103.458, "lat": 22.396})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"
