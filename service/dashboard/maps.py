"""The dashboard's two maps of the year (hot spots over the 38 units, cases per unit), as on /maps/*.

Each map is its own small document (GET /dashboard/maps/<key>), framed by the dashboard: the numbers come first
and the page is usable before any map's figures are computed or Leaflet is fetched; the frames load after
(lazily, as they near the screen). The dashboard links each full map page beside its frame.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.ext.asyncio import AsyncSession

from maps.hotspots import HotspotParams
from maps.render import Lang, MapLayer, MapParts, TileSettings, render_map
from service.auth.principal import Principal
from service.dashboard.figures import Periods
from service.map_views import layers, query, service
from service.map_views.query import MapFilters
from service.settings import Settings
from service.web.assets import asset_url

MAP_KEYS = ("hotspots", "choropleth")


def year_filters(periods: Periods) -> MapFilters:
    """This year up to today, every agency."""
    return MapFilters(generation="2025", start=periods.year_start, end=periods.today)


async def year_layer(session: AsyncSession, principal: Principal, periods: Periods, key: str, lang: Lang) -> MapLayer:
    """The year's hot spots (38 units, the /maps/hotspots defaults) or cases per 2025 unit."""
    filters = year_filters(periods)
    if key == "hotspots":
        params = HotspotParams(permutations=query.UNIT_PERMUTATIONS)
        return layers.hotspots_layer(await service.unit_hotspots(session, principal, filters, params), filters, lang)
    return layers.choropleth_layer(await service.choropleth(session, principal, filters), filters, "count")


def render(layer: MapLayer, settings: Settings, lang: Lang, nonce: str) -> MapParts:
    """The map with the vendored Leaflet; its inline script carries the response's CSP nonce."""
    tiles = TileSettings(settings.map_tile_url, settings.map_tile_attribution) if settings.map_tile_url else None
    parts = render_map(layer, asset_url=asset_url, tiles=tiles, lang=lang)
    return dataclasses.replace(parts, script=parts.script.replace("<script>", f'<script nonce="{nonce}">'))
