"""/api/maps: map figures as data (JSON, or CSV for the table)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Literal

from litestar import Controller, Response, get
from litestar.di import Provide
from litestar.params import FromQuery

from schemas.codes import IncidentKind, InfringementAct, SubjectMatter
from schemas.maps import ChoroplethOut, HotspotsOut
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.db import DbSession
from service.maps import service
from service.maps.service import MapFilters


def _csv(out: ChoroplethOut) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "name", "full_name", "count", "goods_value_vnd", "fine_vnd", "split_count"])
    for unit in out.units:
        writer.writerow(
            [unit.code, unit.name, unit.full_name, unit.count, unit.goods_value_vnd, unit.fine_vnd, unit.split_count]
        )
    return buffer.getvalue()


class MapDataController(Controller):
    """Figures behind the coordination maps."""

    path = "/api/maps"
    tags = ["maps"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/choropleth")
    async def choropleth(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        generation: FromQuery[Literal["2024", "2025"]] = "2025",
        start: FromQuery[date | None] = None,
        end: FromQuery[date | None] = None,
        kind: FromQuery[IncidentKind | None] = None,
        agency: FromQuery[str | None] = None,
        subject_matter: FromQuery[SubjectMatter | None] = None,
        act: FromQuery[InfringementAct | None] = None,
        format: FromQuery[Literal["json", "csv"]] = "json",
    ) -> Response[ChoroplethOut] | Response[str]:
        """Số vụ, giá trị, tiền phạt theo đơn vị / Counts, seized value and fines per unit (JSON or CSV)."""
        filters = MapFilters(generation, start, end, kind, agency, subject_matter, act)
        out = await service.choropleth(db_session, principal, filters)
        if format == "csv":
            headers = {"Content-Disposition": f'attachment; filename="choropleth_{generation}.csv"'}
            return Response(_csv(out), media_type="text/csv; charset=utf-8", headers=headers)
        return Response(out)

    @get("/hotspots")
    async def hotspots(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        start: FromQuery[date | None] = None,
        end: FromQuery[date | None] = None,
        kind: FromQuery[IncidentKind | None] = None,
        agency: FromQuery[str | None] = None,
        subject_matter: FromQuery[SubjectMatter | None] = None,
        act: FromQuery[InfringementAct | None] = None,
    ) -> HotspotsOut:
        """Điểm nóng (Gi*, FDR) theo 38 đơn vị / Statistically significant hotspots over the 38 units."""
        filters = MapFilters("2025", start, end, kind, agency, subject_matter, act)
        return await service.unit_hotspots(db_session, principal, filters)
