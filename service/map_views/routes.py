"""/api/maps: map figures as data: JSON, GeoJSON (``?format=geojson`` or Accept) and CSV for the tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, HeaderParameter

from maps import hexbins
from schemas.codes import IncidentKind, InfringementAct, SubjectMatter
from schemas.maps import ChoroplethOut, HexbinsOut, HexCell, HexHotspot, HotspotsOut, UnitFigures, UnitHotspot
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.contract.declare import documented
from service.db import DbSession
from service.errors import Invalid
from service.map_views import formats, query, service
from service.map_views.query import Alpha, Format, MapFilters, Permutations, Resolution, Zoom
from service.settings import SettingsDep

MAP_TYPES = ("application/json", formats.GEOJSON, formats.CSV)

Filters = NamedDependency[MapFilters]
Accept = Annotated[str | None, HeaderParameter(name="accept", required=False)]


async def provide_filters(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    start: FromQuery[date | None] = None,
    end: FromQuery[date | None] = None,
    kind: FromQuery[IncidentKind | None] = None,
    agency: FromQuery[str | None] = None,
    subject_matter: FromQuery[SubjectMatter | None] = None,
    act: FromQuery[InfringementAct | None] = None,
) -> MapFilters:
    """The filters every map takes, checked (period order and span, known agency); unknown parameters refused."""
    query.reject_unknown(request.query_params.keys(), request.route_handler.parsed_fn_signature.parameters)
    filters = MapFilters("2025", start, end, kind, agency, subject_matter, act)
    return await query.checked(db_session, filters)


Table = tuple[list[Any], type[Any]]


def _respond(out: Any, fmt: Format, geojson: Callable[[], Any], table: Table, name: str) -> Response[Any]:
    """One figure set in the format asked for; CSV only where there is a table."""
    if fmt == "geojson":
        return Response(geojson(), media_type=formats.GEOJSON)
    if fmt == "csv":
        headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
        return Response(formats.csv_table(*table), media_type=formats.CSV, headers=headers)
    return Response(out)


def _resolution(resolution: int | None, zoom: float | None) -> int:
    if resolution is not None:
        return resolution
    if zoom is not None:
        return max(4, hexbins.zoom_to_resolution(zoom))
    return query.DEFAULT_RESOLUTION


def _documented(out: type[Any]) -> dict[int, ResponseSpec]:
    """The JSON answer's Struct in the OpenAPI (the route also answers GeoJSON and CSV of the same rows)."""
    return {200: ResponseSpec(data_container=out, description="JSON; GeoJSON or CSV with ?format= or Accept")}


class MapDataController(Controller):
    """Figures behind the coordination maps."""

    path = "/api/maps"
    tags = ["maps"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal), "filters": Provide(provide_filters)}

    @get("/choropleth", responses=_documented(ChoroplethOut), opt=documented(produces=MAP_TYPES))
    async def choropleth(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        filters: Filters,
        accept: Accept,
        generation: FromQuery[Literal["2024", "2025"]] = "2025",
        format: FromQuery[Format | None] = None,
    ) -> Response[Any]:
        """Số vụ, giá trị, tiền phạt theo đơn vị / Counts, seized value and fines per unit (JSON, GeoJSON, CSV)."""
        filters = dataclasses.replace(filters, generation=generation)
        out: ChoroplethOut = await service.choropleth(db_session, principal, filters)
        fmt = query.negotiated(format, accept)
        table = (out.units, UnitFigures)
        return _respond(out, fmt, lambda: formats.choropleth_geojson(out), table, f"choropleth_{generation}")

    @get("/hotspots", responses=_documented(HotspotsOut), opt=documented(produces=MAP_TYPES))
    async def hotspots(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
        filters: Filters,
        accept: Accept,
        areas: FromQuery[Literal["units", "h3"]] = "units",
        generation: FromQuery[Literal["2024", "2025"]] = "2025",
        resolution: Resolution = None,
        permutations: Permutations = None,
        alpha: Alpha = 0.10,
        format: FromQuery[Format | None] = None,
    ) -> Response[Any]:
        """Điểm nóng Gi* (FDR) theo 38 đơn vị hoặc ô H3 / Gi* hotspots over the 38 units or H3 cells."""
        query.hotspot_areas(generation, areas, resolution)
        query.in_range("resolution", resolution, 4, 10)
        query.in_range("permutations", permutations, 99, query.MAX_PERMUTATIONS)
        query.in_range("alpha", alpha, 0, 0.2, open_low=True)
        fmt = query.negotiated(format, accept)
        out = await service.hotspots_for(
            db_session,
            principal,
            filters,
            areas=areas,
            resolution=resolution,
            permutations=permutations,
            alpha=alpha,
            min_count=settings.map_min_hex_count,
        )
        table: Table = (out.units, UnitHotspot) if areas == "units" else (out.cells, HexHotspot)
        return _respond(out, fmt, lambda: formats.hotspots_geojson(out), table, f"hotspots_{areas}")

    @get("/hexbins", responses=_documented(HexbinsOut), opt=documented(produces=MAP_TYPES))
    async def hexbins(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
        filters: Filters,
        accept: Accept,
        resolution: Resolution = None,
        zoom: Zoom = None,
        format: FromQuery[Format | None] = None,
    ) -> Response[Any]:
        """Mật độ vụ việc theo ô H3 / Incidents with GPS per H3 hexagon (small cells withheld)."""
        query.in_range("resolution", resolution, 4, 10)
        query.in_range("zoom", zoom, 0, 22)
        if resolution is not None and zoom is not None:
            raise Invalid(field="zoom", also=("resolution",)).with_code("maps.zoom_or_resolution")
        res = _resolution(resolution, zoom)
        out: HexbinsOut = await service.hexbin_density(db_session, principal, filters, res, settings.map_min_hex_count)
        fmt = query.negotiated(format, accept)
        table = (out.cells, HexCell)
        return _respond(out, fmt, lambda: formats.hexbins_geojson(out), table, f"hexbins_r{res}")
