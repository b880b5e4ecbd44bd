"""Map figures for a caller: coordinators see every agency; others their own agency and province totals."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.ext.asyncio import AsyncSession

from maps import figures, hotspots
from schemas.maps import ChoroplethOut, HotspotsOut, Totals, UnitFigures, UnitHotspot
from service.auth.principal import Principal
from service.errors import Forbidden
from service.maps import repository


@dataclass(frozen=True)
class MapFilters:
    """The filters of every map, returned with its figures so a report can be reproduced."""

    generation: str = "2025"
    start: date | None = None
    end: date | None = None
    kind: str | None = None
    agency: str | None = None
    subject_matter: str | None = None
    act: str | None = None


def _totals(table: pd.DataFrame) -> Totals:
    return Totals(
        count=float(table["count"].sum()),
        goods_value_vnd=float(table["goods_value_vnd"].sum()),
        fine_vnd=float(table["fine_vnd"].sum()),
    )


def _scoped(province: pd.DataFrame, principal: Principal, agency: str | None) -> tuple[pd.DataFrame, str | None]:
    """The incidents the caller may see broken down: any agency for coordinators, else only their own."""
    if principal.sees_all_agencies:
        return (province if agency is None else province[province["agency"] == agency]), agency
    if agency is not None and agency != principal.agency_code:
        raise Forbidden(field="agency")
    return province[province["agency"] == principal.agency_code], principal.agency_code


async def _incidents(
    session: AsyncSession, principal: Principal, filters: MapFilters
) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """The filtered incidents of the province, the part the caller may see broken down, and its agency."""
    frame = await repository.incident_frame(session)
    province = figures.filter_incidents(
        frame,
        start=filters.start,
        end=filters.end,
        kinds=filters.kind,
        subject_matter=filters.subject_matter,
        act=filters.act,
    )
    scoped, agency = _scoped(province, principal, filters.agency)
    return province, scoped, agency


async def choropleth(session: AsyncSession, principal: Principal, filters: MapFilters) -> ChoroplethOut:
    """Counts, seized value and fines per unit of one generation, with the province totals beside them."""
    province, scoped, agency = await _incidents(session, principal, filters)
    table = figures.figures_by(scoped, filters.generation)
    units = [
        UnitFigures(
            code=str(code),
            name=str(row["name"]),
            full_name=str(row["full_name"]),
            count=float(row["count"]),
            goods_value_vnd=float(row["goods_value_vnd"]),
            fine_vnd=float(row["fine_vnd"]),
            split_count=float(row["split_count"]),
        )
        for code, row in table.iterrows()
    ]
    return ChoroplethOut(
        generation=filters.generation,  # type: ignore[arg-type]
        scope="province" if agency is None else "agency",
        agency=agency,
        start=filters.start,
        end=filters.end,
        kind=filters.kind,
        subject_matter=filters.subject_matter,
        act=filters.act,
        split_by_area=figures.any_split(table),
        unplaced=figures.unplaced_count(scoped),
        units=units,
        totals=_totals(table),
        province_totals=_totals(figures.figures_by(province, filters.generation)),
    )


def _finite(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


async def unit_hotspots(session: AsyncSession, principal: Principal, filters: MapFilters) -> HotspotsOut:
    """Getis-Ord Gi* over the 38 units for the caller's scope; too little data is said, not coloured."""
    _, scoped, agency = await _incidents(session, principal, filters)
    counts = figures.figures_by_unit(scoped)
    context = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(filters).items() if k != "generation"}
    result = hotspots.hotspots_by_unit(counts["count"], context=context | {"agency": agency})
    units = [
        UnitHotspot(
            code=str(code),
            full_name=str(counts.loc[code, "full_name"]),
            count=float(row["count"]),
            gi_z=_finite(row["gi_z"]),
            p_sim=_finite(row["p_sim"]),
            label=row["label"],
        )
        for code, row in result.table.iterrows()
    ]
    return HotspotsOut(
        scope="province" if agency is None else "agency",
        agency=agency,
        enough_data=result.enough_data,
        reason=result.reason,
        p_fdr_threshold=result.p_fdr_threshold,
        power_note=result.power_note,
        params=dict(result.params),
        units=units,
    )
