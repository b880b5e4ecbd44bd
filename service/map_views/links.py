"""Where a map's areas lead: the incident list filtered by that unit (either generation) and the map's filters.

A hexagon leads to the 2025 unit holding its centre; the no-script list under the map gives the same links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import h3

from service.map_views.query import MapFilters

UnitOfPoint = Callable[[float, float], str | None]  # (lon, lat) -> 2025 unit code


@dataclass(frozen=True)
class AreaLink:
    """One linked area, as the list under the map shows it."""

    name: str
    count: float | None
    href: str


def incident_list_url(unit: str, filters: MapFilters) -> str:
    """/incidents for one unit (`2025:03388`, `2024:105`) and the map's filters (period as ISO days)."""
    query = {
        "unit": unit,
        "occurred_from": filters.start.isoformat() if filters.start else None,
        "occurred_to": filters.end.isoformat() if filters.end else None,
        "kind": filters.kind,
        "agency": filters.agency,
        "subject_matter": filters.subject_matter,
        "act": filters.act,
    }
    return "/incidents?" + urlencode({k: v for k, v in query.items() if v})


def unit_of_cell(cell: str, unit_of_point: UnitOfPoint) -> str | None:
    """The 2025 unit holding an H3 cell's centre."""
    lat, lon = h3.cell_to_latlng(cell)
    return unit_of_point(lon, lat)


def area_units(collection: Mapping[str, Any], generation: str | None, unit_of_point: UnitOfPoint) -> dict[str, str]:
    """Feature id -> unit filter: units of `generation`, or (generation None) H3 cells by their centre's unit."""
    units = {}
    for feature in collection["features"]:
        fid = str(feature["id"])
        code = fid if generation else unit_of_cell(fid, unit_of_point)
        if code:
            units[fid] = f"{generation or '2025'}:{code}"
    return units


def hrefs(units: Mapping[str, str], filters: MapFilters) -> dict[str, str]:
    """Feature id -> incident list address."""
    return {fid: incident_list_url(unit, filters) for fid, unit in units.items()}


def listed(collection: Mapping[str, Any], links: Mapping[str, str], names: Callable[[str], str]) -> list[AreaLink]:
    """The areas with incidents (or withheld counts), busiest first, for the list under the map."""
    rows = []
    for feature in collection["features"]:
        fid, props = str(feature["id"]), feature.get("properties") or {}
        count = props.get("count")
        if fid in links and (count is None or count > 0):
            rows.append(AreaLink(str(props.get("full_name") or names(fid)), count, links[fid]))
    return sorted(rows, key=lambda row: (-(row.count or 0), row.name))
