"""Admin-unit registry reads, geotagging and boundary GeoJSON."""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import msgspec
from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from maps import boundaries, geometry
from maps.geotag import Geotagger
from schemas.admin_units import AdminUnitDetailOut, AdminUnitOut, GeotagOut, SuccessionOut, UnitRef
from service.admin_units import repository
from service.admin_units.models import AdminUnit, Generation, UnitSuccession
from service.errors import NotFound, OutsideProvince


class UnitNotFound(NotFound):
    code = "admin_unit.not_found"


@dataclass(frozen=True)
class GeoJsonDocument:
    """A pre-rendered boundary file with its validator."""

    body: bytes
    etag: str


@dataclass(frozen=True)
class GeoRegistry:
    """Built once per process at start: the geotagger, unit names and boundary documents."""

    tagger: Geotagger
    names: dict[tuple[str, str], tuple[str, str]]
    geojson: dict[str, GeoJsonDocument]

    @classmethod
    def from_bundled(cls) -> GeoRegistry:
        """Load the bundled boundaries and prepare everything the routes need."""
        units, districts = boundaries.load_units_2025(), boundaries.load_districts_2024()
        names = {(r.code, "2025"): (r.name, r.full_name) for r in units.itertuples()}
        names |= {(r.code, "2024"): (r.name, r.full_name) for r in districts.itertuples()}
        return cls(
            tagger=Geotagger(units, districts),
            names=names,
            geojson={
                "2025": _document(units, "2025", "commune"),
                "2024": _document(districts, "2024", "district"),
            },
        )

    def ref(self, code: str, generation: str) -> UnitRef:
        """A short reference to a unit with geometry."""
        name, full_name = self.names[(code, generation)]
        return UnitRef(code=code, generation=generation, name=name, full_name=full_name)  # type: ignore[arg-type]

    def geotag(self, lon: float, lat: float) -> GeotagOut:
        """The 2025 unit and 2024 district containing the point, or a 422 naming lon and lat."""
        unit, district = self.tagger.tag_one(lon, lat) if math.isfinite(lon) and math.isfinite(lat) else (None, None)
        if unit is None or district is None:
            raise OutsideProvince(field="lon", also=("lat",), lon=lon, lat=lat)
        return GeotagOut(lon=lon, lat=lat, unit_2025=self.ref(unit, "2025"), district_2024=self.ref(district, "2024"))


@functools.cache
def bundled_registry() -> GeoRegistry:
    """One geotagger and boundary set per process, built on first use (at start-up by the app)."""
    return GeoRegistry.from_bundled()


def _document(frame: gpd.GeoDataFrame, generation: str, level: str) -> GeoJsonDocument:
    """A FeatureCollection of one generation's boundaries with the data attribution."""
    vi, en = boundaries.attribution()
    oriented = frame.set_geometry(geometry.right_hand(frame.geometry.to_numpy()), crs=frame.crs)
    features = json.loads(oriented.to_json(drop_id=True))["features"]
    keep = ("code", "name", "full_name", "name_en", "kind", "area_km2")
    for feature in features:
        props = feature["properties"]
        feature["properties"] = {k: props.get(k) for k in keep} | {"generation": generation, "level": level}
    doc = {"type": "FeatureCollection", "attribution": {"vi": vi, "en": en}, "features": features}
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    return GeoJsonDocument(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def unit_out(unit: AdminUnit) -> AdminUnitOut:
    """The API view of a unit."""
    return msgspec.convert(unit, AdminUnitOut, from_attributes=True)


async def list_units(session: AsyncSession, generation: str | None, level: str | None) -> list[AdminUnitOut]:
    """Units of the registry, filtered."""
    return [unit_out(u) for u in await repository.list_units(session, generation, level)]


async def get_unit_detail(session: AsyncSession, generation: Generation, code: str) -> AdminUnitDetailOut:
    """A unit with its predecessors, successors and (for a 2024 district) its communes."""
    unit = await repository.get_unit(session, generation.value, code)
    if unit is None:
        raise UnitNotFound(field="code", code=code, generation=generation.value)
    forward = await repository.list_links(session, unit, forward=True)
    backward = await repository.list_links(session, unit, forward=False)
    return AdminUnitDetailOut(
        unit=unit_out(unit),
        successors=[_link(s, other) for s, other in forward],
        predecessors=[_link(s, other) for s, other in backward],
        children=[unit_out(c) for c in await repository.list_children(session, unit)],
    )


def _link(succession: UnitSuccession, other: AdminUnit) -> SuccessionOut:
    return SuccessionOut(
        code=other.code,
        generation=other.generation,  # type: ignore[arg-type]
        full_name=other.full_name,
        kind=succession.kind,  # type: ignore[arg-type]
        share_of_from=succession.share_of_from,
        share_of_to=succession.share_of_to,
        area_km2=succession.area_km2,
        legal_basis=succession.legal_basis,
    )


def geo_registry(request: Request[Any, Any, Any]) -> GeoRegistry:
    """The process-wide registry built at start-up."""
    registry: GeoRegistry = request.app.state.geo
    return registry
