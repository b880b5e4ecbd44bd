"""The dashboard's two maps of the year (hot spots over the 38 units, cases per unit), as on /maps/*."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from maps.hotspots import HotspotParams
from maps.render import Lang, MapLayer, TileSettings, render_map
from service.auth.principal import Principal
from service.dashboard.figures import Periods
from service.map_views import layers, query, service
from service.map_views.query import MapFilters
from service.settings import Settings
from service.web.assets import asset_url

# The tags folium puts in a map's header: Leaflet's script and style sheet, then the map's own styles.
_HEAD_TAG = re.compile(r"<script\b[^>]*>.*?</script>|<link\b[^>]*>|<style\b[^>]*>.*?</style>", re.DOTALL)


@dataclass(frozen=True)
class EmbeddedMap:
    """One map on the page: its key (the /maps/<key> page it comes from), body HTML and script."""

    key: str
    html: str
    script: str


@dataclass(frozen=True)
class DashboardMaps:
    """Both maps and the one header they share."""

    header: str
    maps: list[EmbeddedMap]


def merge_headers(headers: Iterable[str]) -> str:
    """The head tags of several maps, each once: two maps must not load Leaflet (or its styles) twice."""
    seen: dict[str, str] = {}
    for header in headers:
        for tag in _HEAD_TAG.findall(header):
            seen.setdefault(re.sub(r"\s+", " ", tag).strip(), tag.strip())
        rest = _HEAD_TAG.sub("", header).strip()
        if rest:
            raise ValueError(f"unexpected map header content: {rest[:60]!r}")
    return "\n".join(seen.values())


async def year_layers(
    session: AsyncSession, principal: Principal, periods: Periods, lang: Lang
) -> list[tuple[str, MapLayer]]:
    """The year's hot spots (38 units, the /maps/hotspots defaults) and cases per 2025 unit."""
    filters = MapFilters(generation="2025", start=periods.year_start, end=periods.today)
    params = HotspotParams(permutations=query.UNIT_PERMUTATIONS)
    spots = await service.unit_hotspots(session, principal, filters, params)
    cases = await service.choropleth(session, principal, filters)
    return [
        ("hotspots", layers.hotspots_layer(spots, filters, lang)),
        ("choropleth", layers.choropleth_layer(cases, filters, "count")),
    ]


def embed(named_layers: list[tuple[str, MapLayer]], settings: Settings, lang: Lang, nonce: str) -> DashboardMaps:
    """Render each layer with the vendored Leaflet; inline scripts carry the response's CSP nonce."""
    tiles = TileSettings(settings.map_tile_url, settings.map_tile_attribution) if settings.map_tile_url else None
    rendered = [(key, render_map(layer, asset_url=asset_url, tiles=tiles, lang=lang)) for key, layer in named_layers]
    return DashboardMaps(
        header=merge_headers(parts.header for _, parts in rendered),
        maps=[
            EmbeddedMap(key, parts.html, parts.script.replace("<script>", f'<script nonce="{nonce}">'))
            for key, parts in rendered
        ],
    )
