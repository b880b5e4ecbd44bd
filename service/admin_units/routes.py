"""The admin-unit registry (/api/admin-units) and point geotagging (/api/geotag)."""

from __future__ import annotations

import math
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter

from schemas.admin_units import AdminUnitDetailOut, AdminUnitOut, GenerationCode, GeotagOut, LevelCode
from service.admin_units import service
from service.admin_units.models import Generation
from service.admin_units.service import geo_registry
from service.auth.guards import require_login
from service.contract.declare import documented
from service.db import DbSession
from service.errors import AppError, OutsideProvince

Lon = Annotated[float, QueryParameter(description="Kinh độ WGS84, -180..180 / WGS84 longitude, -180..180")]
Lat = Annotated[float, QueryParameter(description="Vĩ độ WGS84, -90..90 / WGS84 latitude, -90..90")]


class NotFinite(AppError):
    code = "field.not_finite"


class BelowMinimum(AppError):
    code = "field.too_small"


class AboveMaximum(AppError):
    code = "field.too_large"


def check_coordinate(field: str, value: float, limit: float) -> None:
    """A finite coordinate within ±limit, else a 400 naming the field (NaN says so, not 'too small')."""
    if not math.isfinite(value):
        raise NotFinite(field=field)
    if value < -limit:
        raise BelowMinimum(field=field, limit=-limit)
    if value > limit:
        raise AboveMaximum(field=field, limit=limit)


class AdminUnitController(Controller):
    """38 units of 2025; 8 districts and 106 communes of 2024; the successions between them."""

    path = "/api/admin-units"
    tags = ["admin-units"]
    guards = [require_login]

    @get()
    async def list_admin_units(
        self,
        db_session: DbSession,
        generation: FromQuery[GenerationCode | None] = None,
        level: FromQuery[LevelCode | None] = None,
    ) -> list[AdminUnitOut]:
        """Danh sách đơn vị hành chính / Administrative units, filtered by generation and level."""
        return await service.list_units(db_session, generation, level)

    @get(
        ["/2025.geojson", "/2024.geojson"],
        media_type="application/geo+json",
        opt=documented(304, produces=("application/geo+json",)),
    )
    async def admin_unit_boundaries(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        """Ranh giới (GeoJSON) / Boundaries of a generation: 38 units of 2025 or 8 districts of 2024."""
        generation = request.url.path.rsplit("/", 1)[-1].split(".")[0]
        document = geo_registry(request).geojson[generation]
        headers = {"ETag": document.etag, "Cache-Control": "private, max-age=86400"}
        if request.headers.get("if-none-match") == document.etag:
            return Response(b"", status_code=304, headers=headers)
        return Response(document.body, media_type="application/geo+json", headers=headers)

    @get("/{generation:str}/{code:str}")
    async def get_admin_unit(
        self,
        db_session: DbSession,
        generation: FromPath[GenerationCode],
        code: Annotated[str, PathParameter(pattern=r"^\d{3,5}$")],
    ) -> AdminUnitDetailOut:
        """Một đơn vị và các đơn vị trước/sau sáp nhập / One unit with its predecessors and successors."""
        return await service.get_unit_detail(db_session, Generation(generation), code)


class GeotagController(Controller):
    """Which unit contains a point, in both generations."""

    path = "/api/geotag"
    tags = ["admin-units"]
    guards = [require_login]

    @get(opt=documented(OutsideProvince))
    async def geotag(self, request: Request[Any, Any, Any], lon: Lon, lat: Lat) -> GeotagOut:
        """Gắn địa bàn cho tọa độ / The 2025 unit and the 2024 district containing (lon, lat)."""
        check_coordinate("lon", lon, 180)
        check_coordinate("lat", lat, 90)
        return geo_registry(request).geotag(lon, lat)
