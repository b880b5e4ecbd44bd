"""Map figures for a caller: coordinators see every agency; others their own agency and province totals."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
from sqlalchemy.ext.asyncio import AsyncSession

from maps import figures, gistar, hexbins, hotspots
from schemas.maps import (
    ChoroplethOut,
    HexbinsOut,
    HexCell,
    HexHotspot,
    HotspotsOut,
    Note,
    Totals,
    UnitFigures,
    UnitHotspot,
)
from service import i18n
from service.auth.principal import Principal
from service.errors import Forbidden
from service.map_views import cache, query, repository
from service.map_views.query import MapFilters


def note(code: str, **params: object) -> Note:
    """A bilingual note from the catalogue."""
    return Note(code=code, message_vi=i18n.message(code, "vi", **params), message_en=i18n.message(code, "en", **params))


def shortage_note(shortage: hotspots.Shortage) -> Note:
    """Why the hot spot test was not run (maps.hotspots.shortage decides)."""
    found = round(shortage.found, 2)
    shown = int(found) if found == int(found) else found
    if shortage.what == "incidents":
        return note("maps.note.too_few_incidents", total=shown, needed=shortage.needed)
    return note("maps.note.too_few_areas", areas=shown, needed=shortage.needed)


def _totals(table: pd.DataFrame) -> Totals:
    return Totals(
        count=float(table["count"].sum()),
        goods_value_vnd=float(table["goods_value_vnd"].sum()),
        fine_vnd=float(table["fine_vnd"].sum()),
    )


def scope_agency(principal: Principal, agency: str | None) -> str | None:
    """The agency whose incidents the caller sees broken down (None: the province): any for coordinators, else
    only their own."""
    if principal.sees_all_agencies:
        return agency
    if agency is not None and agency != principal.agency_code:
        raise Forbidden(field="agency")
    return principal.agency_code


async def _incidents(
    session: AsyncSession, filters: MapFilters, agency: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The filtered incidents of the province (a row per incident) and, a case a coordinator linked counting once,
    the part the caller sees broken down (an agency's own view: once if any of its records is in it)."""
    province = await repository.incident_frame(session, filters)
    scoped = province if agency is None else province[province["agency"] == agency]
    return province, repository.one_row_per_case(scoped)


async def choropleth(session: AsyncSession, principal: Principal, filters: MapFilters) -> ChoroplethOut:
    """Counts, seized value and fines per unit of one generation, with the province totals beside them (cached)."""
    agency = scope_agency(principal, filters.agency)
    key = cache.key("choropleth", ChoroplethOut, filters, agency)
    return await cache.cached(session, key, ChoroplethOut, lambda: _choropleth(session, filters, agency))


async def _choropleth(session: AsyncSession, filters: MapFilters, agency: str | None) -> ChoroplethOut:
    province, scoped = await _incidents(session, filters, agency)
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
    split = figures.any_split(table)
    unplaced = figures.unplaced_count(scoped)
    notes = [note("maps.note.split_by_area", count=round(float(table["split_count"].sum()), 2))] if split else []
    notes += [note("maps.note.unplaced", count=unplaced)] if unplaced else []
    whole = scoped if agency is None else repository.one_row_per_case(province)
    return ChoroplethOut(
        generation=filters.generation,  # type: ignore[arg-type]
        scope="province" if agency is None else "agency",
        agency=agency,
        start=filters.start,
        end=filters.end,
        kind=filters.kind,
        subject_matter=filters.subject_matter,
        act=filters.act,
        split_by_area=split,
        unplaced=unplaced,
        units=units,
        totals=_totals(table),
        province_totals=_totals(figures.figures_by(whole, filters.generation)),
        notes=notes,
    )


def _finite(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def _whole(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _hot_by_neighbours(result: hotspots.HotspotResult) -> list[Note]:
    """Areas with no incident that are hot only because Gi* sums their neighbourhood."""
    table = result.table
    hot = table["label"].str.startswith("hot") | table["label_uncorrected"].str.startswith("hot")
    shown = table[table["hot_by_neighbours"] & hot]
    if shown.empty:
        return []
    codes = ", ".join(str(code) for code in shown.index[:10]) + (" …" if len(shown) > 10 else "")
    return [note("maps.note.hot_by_neighbours", areas=len(shown), codes=codes)]


def _hotspot_notes(result: hotspots.HotspotResult) -> list[Note]:
    """What the statistic is, why nothing is coloured, or which clusters the permutations are too few to find."""
    params = result.params
    statistic = note("maps.note.statistic", permutations=params["permutations"])
    if result.shortage is not None:
        return [shortage_note(result.shortage), statistic]
    notes = _hot_by_neighbours(result)
    if result.min_fdr_cluster > 1:
        n = len(result.table)
        notes.append(
            note("maps.note.power", permutations=params["permutations"], areas=n, cluster=result.min_fdr_cluster)
        )
    return [*notes, statistic]


def _hotspots_out(result: hotspots.HotspotResult, agency: str | None, resolution: int | None) -> HotspotsOut:
    params = result.params
    return HotspotsOut(
        areas="units_2025" if resolution is None else "h3",
        resolution=resolution,
        scope="province" if agency is None else "agency",
        agency=agency,
        enough_data=result.enough_data,
        areas_tested=len(result.table),
        incidents=round(float(result.table["count"].sum())),
        permutations=params["permutations"],
        weights=params["weights"],
        alternative=params["alternative"],
        p_fdr_threshold=result.p_fdr_threshold,
        min_fdr_cluster=result.min_fdr_cluster,
        params=dict(params),
        notes=_hotspot_notes(result),
        units=[],
        cells=[],
    )


def _unit_rows(result: hotspots.HotspotResult, counts: pd.DataFrame) -> list[UnitHotspot]:
    """One row per unit: the count the test used, the whole incidents and the split part beside it."""
    rows = []
    for code, row in result.table.iterrows():
        split = float(counts.loc[code, "split_count"])
        rows.append(
            UnitHotspot(
                code=str(code),
                full_name=str(counts.loc[code, "full_name"]),
                count=float(row["count"]),
                incidents=round(float(counts.loc[code, "count"]) - split),
                split_count=round(split, gistar.COUNT_DECIMALS),
                z=_finite(row["z"]),
                p_sim=_finite(row["p_sim"]),
                as_extreme=_whole(row["as_extreme"]),
                label=row["label"],
                label_uncorrected=row["label_uncorrected"],
                hot_by_neighbours=bool(row["hot_by_neighbours"]),
            )
        )
    return rows


async def unit_hotspots(
    session: AsyncSession, principal: Principal, filters: MapFilters, params: hotspots.HotspotParams
) -> HotspotsOut:
    """Getis-Ord Gi* over the 38 units for the caller's scope; too little data is said, not coloured (cached)."""
    agency = scope_agency(principal, filters.agency)
    key = cache.key("hotspots_units", HotspotsOut, filters, agency, **dataclasses.asdict(params))
    return await cache.cached(session, key, HotspotsOut, lambda: _unit_hotspots(session, filters, params, agency))


async def _unit_hotspots(
    session: AsyncSession, filters: MapFilters, params: hotspots.HotspotParams, agency: str | None
) -> HotspotsOut:
    _, scoped = await _incidents(session, filters, agency)
    counts = figures.figures_by_unit(scoped)
    result = hotspots.hotspots_by_unit(counts["count"], params, context=filters.context() | {"agency": agency})
    out = _hotspots_out(result, agency, None)
    out.units = _unit_rows(result, counts)
    return out


def _coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """lon and lat as float arrays, NaN where an incident has no GPS position."""
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=np.float64)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=np.float64)
    return lon, lat


async def hex_hotspots(
    session: AsyncSession,
    principal: Principal,
    filters: MapFilters,
    params: hotspots.HotspotParams,
    resolution: int,
    min_count: int,
) -> HotspotsOut:
    """Gi* over H3 cells (k-ring weights); only significant cells are listed, small counts withheld (cached)."""
    agency = scope_agency(principal, filters.agency)
    settings = dataclasses.asdict(params) | {"resolution": resolution, "min_count": min_count}
    key = cache.key("hotspots_h3", HotspotsOut, filters, agency, **settings)
    return await cache.cached(
        session, key, HotspotsOut, lambda: _hex_hotspots(session, filters, params, agency, resolution, min_count)
    )


async def _hex_hotspots(
    session: AsyncSession,
    filters: MapFilters,
    params: hotspots.HotspotParams,
    agency: str | None,
    resolution: int,
    min_count: int,
) -> HotspotsOut:
    lon, lat = _coordinates(await repository.point_frame(session, filters, agency))
    context = filters.context() | {"agency": agency, "min_count": min_count}
    result = hotspots.hotspots_by_hex(lon, lat, resolution, params, context=context)
    out = _hotspots_out(result, agency, resolution)
    table = result.table
    significant = table[table["label"] != hotspots.NOT_SIGNIFICANT]
    out.cells = [
        HexHotspot(
            cell=str(cell),
            count=int(count) if count >= min_count else None,
            z=_finite(z),
            p_sim=_finite(p),
            as_extreme=_whole(extreme),
            label=label,
            hot_by_neighbours=bool(neighbours),
        )
        for cell, count, z, p, extreme, label, neighbours in zip(
            significant.index,
            *(significant[c].tolist() for c in ("count", "z", "p_sim", "as_extreme", "label", "hot_by_neighbours")),
            strict=True,
        )
    ]
    return out


async def hotspots_for(
    session: AsyncSession,
    principal: Principal,
    filters: MapFilters,
    *,
    areas: str,
    resolution: int | None,
    permutations: int | None,
    alpha: float,
    min_count: int,
) -> HotspotsOut:
    """The hotspot answer for either kind of area, with each kind's default permutations and resolution."""
    if areas == "units":
        params = hotspots.HotspotParams(permutations=permutations or query.UNIT_PERMUTATIONS, alpha=alpha)
        return await unit_hotspots(session, principal, filters, params)
    params = hotspots.HotspotParams(permutations=permutations or query.HEX_PERMUTATIONS, alpha=alpha, weights="kring")
    return await hex_hotspots(session, principal, filters, params, resolution or query.DEFAULT_RESOLUTION, min_count)


async def hexbin_density(
    session: AsyncSession, principal: Principal, filters: MapFilters, resolution: int, min_count: int
) -> HexbinsOut:
    """Incidents with GPS per H3 cell, cells under ``min_count`` withheld (cached)."""
    agency = scope_agency(principal, filters.agency)
    key = cache.key("hexbins", HexbinsOut, filters, agency, resolution=resolution, min_count=min_count)
    return await cache.cached(
        session, key, HexbinsOut, lambda: _hexbin_density(session, filters, agency, resolution, min_count)
    )


async def _hexbin_density(
    session: AsyncSession, filters: MapFilters, agency: str | None, resolution: int, min_count: int
) -> HexbinsOut:
    lon, lat = _coordinates(await repository.point_frame(session, filters, agency))
    result = hexbins.hexbin(lon, lat, resolution, min_count=min_count)
    notes = []
    if result.suppressed_cells:
        notes.append(
            note(
                "maps.note.suppressed",
                min_count=min_count,
                points=result.suppressed_points,
                cells=result.suppressed_cells,
            )
        )
    if result.dropped_points:
        notes.append(note("maps.note.without_gps", count=result.dropped_points))
    return HexbinsOut(
        resolution=resolution,
        min_count=min_count,
        scope="province" if agency is None else "agency",
        agency=agency,
        shown_points=result.shown_points,
        suppressed_cells=result.suppressed_cells,
        suppressed_points=result.suppressed_points,
        without_gps=result.dropped_points,
        params=filters.context() | {"agency": agency, "resolution": resolution, "min_count": min_count},
        notes=notes,
        cells=[
            HexCell(cell=str(cell), count=int(count), lat=float(lat), lon=float(lon))
            for cell, count, lat, lon in zip(*(result.cells[c] for c in ("cell", "count", "lat", "lon")), strict=True)
        ],
    )
