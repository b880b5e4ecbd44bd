"""Folium maps as page parts (head tags, HTML, script) that load only local assets.

Pure: a ``MapLayer`` in, strings out (STYLE rule 8). One layer serves three pages: a choropleth
(``ColourClasses`` over unit counts), hot spots (``HOTSPOT_COLOURS`` over Gi* labels) and hexbins
(``ColourClasses`` over H3 cell counts), all from ``maps.colours``. Styles and tooltip texts are computed
here, in Python, and the GeoJSON is embedded once, with compact separators. Text is in the reader's language (Text holds
both; the page links the other). Areas may link to a page (``MapLayer.links``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, cast

import folium
import shapely
from branca.element import Figure
from folium.template import Template
from folium.utilities import JsCode
from jinja2.utils import htmlsafe_json_dumps

from maps import boundaries, colours, geometry

Lang = Literal["vi", "en"]

LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"
PROVINCE_BOUNDS = ((21.7, 102.3), (22.8, 103.9))  # (lat, lon) south-west, north-east
TILE_ERRORS_BEFORE_FALLBACK = 3


class Text(NamedTuple):
    """One text in Vietnamese (with diacritics) and English."""

    vi: str
    en: str

    def pick(self, lang: Lang) -> str:
        """Return the text in the reader's language (the page offers the other one a click away)."""
        return self.vi if lang == "vi" else self.en


TILE_NOTE = Text("Không tải được nền bản đồ – chỉ hiển thị ranh giới", "Base map unavailable – boundaries only")
NO_SCRIPT = Text("Bản đồ cần JavaScript.", "The map needs JavaScript.")


class TooltipField(NamedTuple):
    """A feature property shown in the tooltip, with its labels and how to format its value."""

    property: str
    label_vi: str
    label_en: str
    format: colours.Format = "text"


@dataclass(frozen=True)
class TileSettings:
    """A base-map tile server: URL template with {z}/{x}/{y}, plain-text attribution (no URLs), max zoom."""

    url_template: str
    attribution: str
    max_zoom: int = 18

    def __post_init__(self) -> None:
        """Reject provider names (folium would turn them into CDN URLs) and empty attributions."""
        if not all(part in self.url_template for part in ("{z}", "{x}", "{y}")):
            raise ValueError("url_template must contain {z}, {x} and {y}")
        if not self.attribution.strip():
            raise ValueError("tile attribution is required")


@dataclass(frozen=True)
class MapLayer:
    """Everything one map page draws.

    ``collection`` is a GeoJSON FeatureCollection whose features carry an ``id`` (unit code or H3 cell) and
    the properties named by ``colour_by`` and ``tooltip``. The legend is ``legend_title`` plus the rows of
    ``colouring``; ``caption`` (period and filters) is written on the map; ``notes`` explain what the reader
    might miss; ``attribution`` defaults to the bundled boundary data's.
    """

    collection: Mapping[str, Any]
    colour_by: str
    colouring: colours.ColourClasses | colours.ColourLabels
    legend_title: Text
    tooltip: tuple[TooltipField, ...]
    caption: Text
    notes: tuple[Text, ...] = ()
    attribution: Text = field(default_factory=lambda: Text(*boundaries.attribution()))
    outline: Mapping[str, Any] | None = None
    links: Mapping[str, str] = field(default_factory=dict)  # feature id -> the page a click on it opens

    @property
    def legend(self) -> tuple[colours.LegendEntry, ...]:
        """Return the legend rows."""
        return self.colouring.legend_entries()


@dataclass(frozen=True)
class MapParts:
    """A rendered map, to be placed in a page: ``header`` in <head>, ``html`` in <body>, ``script`` after it."""

    header: str
    html: str
    script: str


class _PageMap(folium.Map):
    """A folium Map without folium's page-wide styles and viewport tag, for embedding in a page."""

    outline_data: dict[str, Any] | None = None

    _template = Template(
        """
        {% macro html(this, kwargs) %}<div class="ipc-map" id="{{ this.get_name() }}"></div>{% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }},
          {center: {{ this.location|tojson }}, ...{{ this.options|tojavascript }}});
        {% endmacro %}
        """
    )


# Closed network, no tile server: after a few failures (and more failures than tiles loaded) drop the tiles.
_TILE_FALLBACK_JS = """
(function () {
  var failed = 0, loaded = 0, tiles = %(tiles)s, map = %(map)s;
  tiles.on("tileload", function () { loaded += 1; });
  tiles.on("tileerror", function () {
    failed += 1;
    if (failed < %(threshold)d || failed <= loaded || !map.hasLayer(tiles)) { return; }
    map.removeLayer(tiles);
    document.getElementById(%(note)s).hidden = false;
  });
})();
"""
_HIGHLIGHT = {"color": "#111", "weight": 2.5}
# A linked area opens its page on click; its path is marked so tests and assistive tools can find it.
_LINK_JS = JsCode(
    """function (feature, layer) {
  var href = feature.properties._href;
  if (!href) { return; }
  layer.on("click", function () { window.location.assign(href); });
  layer.on("add", function () {
    var el = layer.getElement && layer.getElement();
    if (!el) { return; }
    el.setAttribute("data-area", String(feature.id));
    el.setAttribute("data-href", href);
    el.style.cursor = "pointer";
  });
}"""
)
_STYLE = (
    "<style>.ipc-map-wrap{position:relative}.ipc-map{width:100%;height:70vh;min-height:320px}"
    ".ipc-caption,.ipc-legend,.ipc-tile-note{position:absolute;z-index:1000;background:rgba(255,255,255,.92);"
    "margin:0;padding:4px 8px;border-radius:4px;font:12px/1.35 sans-serif;max-width:45%}"
    ".ipc-caption{top:8px;right:8px}.ipc-legend{bottom:24px;left:8px}.ipc-tile-note{top:8px;left:50px}"
    ".ipc-legend ul,.ipc-caption ul{list-style:none;margin:4px 0 0;padding:0}"
    ".ipc-legend i{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;"
    "border:1px solid #888}.ipc-attribution{font-size:11px;color:#555}"
    # Phones: caption, notices and legend leave the map and follow it in the page, so none covers another
    # (nor the map): the tile notice first, then the caption with its notes, then the legend.
    "@media (max-width:600px){.ipc-map-wrap{display:flex;flex-direction:column}"
    ".ipc-caption,.ipc-legend,.ipc-tile-note{position:static;max-width:none;margin-top:4px}"
    ".ipc-tile-note{order:1}.ipc-caption{order:2}.ipc-legend{order:3}}</style>"
)


def _features(layer: MapLayer) -> dict[str, Any]:
    """Return the embedded collection: geometry as given, properties reduced to fill colour and tooltip texts."""
    features = []
    for feature in layer.collection["features"]:
        source = feature.get("properties") or {}
        props = {"_fill": layer.colouring.colour_of(source.get(layer.colour_by))}
        if str(feature["id"]) in layer.links:
            props["_href"] = layer.links[str(feature["id"])]
        for i, item in enumerate(layer.tooltip):
            if item.property not in source:
                raise ValueError(f"feature {feature.get('id')!r} has no property {item.property!r}")
            props[f"_t{i}"] = html.escape(colours.format_value(source.get(item.property), item.format))
        features.append({"type": "Feature", "id": feature["id"], "properties": props, "geometry": feature["geometry"]})
    return {"type": "FeatureCollection", "features": features}


def _bounds(collection: Mapping[str, Any]) -> list[list[float]]:
    """Return [[south, west], [north, east]] of the features, or the province when there are none."""
    shapes = [shapely.geometry.shape(feature["geometry"]) for feature in collection["features"]]
    if not shapes:
        return [list(PROVINCE_BOUNDS[0]), list(PROVINCE_BOUNDS[1])]
    west, south, east, north = shapely.total_bounds(shapes).tolist()
    return [[south, west], [north, east]]


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    """Return the Leaflet path style of one feature from its precomputed fill."""
    return {"fillColor": feature["properties"]["_fill"], "fillOpacity": 0.8, "color": "#666", "weight": 0.8}


def _geojson(layer: MapLayer, data: dict[str, Any], lang: Lang) -> folium.GeoJson:
    """Return the styled GeoJson layer with its bilingual tooltip."""
    tooltip = None
    if layer.tooltip and data["features"]:
        aliases = [html.escape(Text(item.label_vi, item.label_en).pick(lang)) for item in layer.tooltip]
        fields = [f"_t{i}" for i in range(len(layer.tooltip))]
        tooltip = folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True, class_name="ipc-tooltip")
    return folium.GeoJson(
        data,
        style_function=_style,
        highlight_function=lambda _: _HIGHLIGHT,
        tooltip=tooltip,
        on_each_feature=_LINK_JS if layer.links else None,
    )


def _overlay_html(layer: MapLayer, lang: Lang, tile_note_id: str | None) -> str:
    """Return the caption, notes, legend and (hidden) tile note written over the map."""
    notes = "".join(f"<li>{html.escape(note.pick(lang))}</li>" for note in layer.notes)
    rows = "".join(
        f'<li><i style="background:{html.escape(entry.colour)}"></i>'
        f"{html.escape(Text(entry.label_vi, entry.label_en).pick(lang))}</li>"
        for entry in layer.legend
    )
    parts = [
        f'<div class="ipc-caption">{html.escape(layer.caption.pick(lang))}{f"<ul>{notes}</ul>" if notes else ""}</div>',
        f'<div class="ipc-legend"><strong>{html.escape(layer.legend_title.pick(lang))}</strong><ul>{rows}</ul></div>',
    ]
    if tile_note_id is not None:
        parts.append(f'<p class="ipc-tile-note" id="{tile_note_id}" hidden>{html.escape(TILE_NOTE.pick(lang))}</p>')
    return "".join(parts)


def _attribution_html(layer: MapLayer, lang: Lang) -> str:
    """Return the data attribution in the reader's language."""
    return f'<p class="ipc-attribution">{html.escape(layer.attribution.pick(lang))}</p>'


def _outline_data(collection: Mapping[str, Any]) -> dict[str, Any]:
    """Context boundaries: geometry only."""
    features = [
        {"type": "Feature", "properties": {}, "geometry": feature["geometry"]} for feature in collection["features"]
    ]
    return {"type": "FeatureCollection", "features": features}


def _outline(collection: Mapping[str, Any]) -> folium.GeoJson:
    """Unit boundaries drawn under hexagons as thin lines, so a map without tiles still shows where it is."""
    style = {"color": "#777", "weight": 0.7, "fill": False}
    return folium.GeoJson(_outline_data(collection), style_function=lambda _: style, interactive=False, control=False)


def _compact(script: str, data: dict[str, Any]) -> str:
    """Replace folium's embedding of ``data`` (", " separators) with a compact one; it must occur once."""
    policies = folium.GeoJson._template.environment.policies
    dumps = policies["json.dumps_function"] or json.dumps
    embedded = str(htmlsafe_json_dumps(data, dumps=dumps, **policies["json.dumps_kwargs"]))
    if script.count(embedded) != 1:
        raise RuntimeError("the GeoJSON must be embedded exactly once in the map script")
    return script.replace(
        embedded, str(htmlsafe_json_dumps(data, dumps=json.dumps, separators=(",", ":"), ensure_ascii=False))
    )


def check_local(text: str, allowed: Iterable[str]) -> None:
    """Raise RuntimeError when ``text`` holds an http(s) URL other than the ``allowed`` ones."""
    for url in allowed:
        text = text.replace(url, "").replace(json.dumps(url)[1:-1], "")
    found = re.search(r"https?://\S{0,60}", text)
    if found is not None:
        raise RuntimeError(f"external URL in the map page: {found.group(0)}")


def _build(layer: MapLayer, data: dict[str, Any], tiles: TileSettings | None, lang: Lang) -> tuple[_PageMap, str, str]:
    """Return the folium map for ``layer``, the overlay HTML and the tile fallback script."""
    bounds = _bounds(data)
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    page_map = _PageMap(location=centre, tiles=None, zoom_start=geometry.DEFAULT_ZOOM, scroll_wheel_zoom=False)
    page_map.options["attribution_control"] = tiles is not None
    note_id, fallback = None, ""
    if tiles is not None:
        attr = html.escape(tiles.attribution)
        tile_layer = folium.TileLayer(tiles.url_template, attr=attr, max_zoom=tiles.max_zoom, control=False)
        tile_layer.add_to(page_map)
        note_id = f"{page_map.get_name()}_tile_note"
        names = {"tiles": tile_layer.get_name(), "map": page_map.get_name(), "note": json.dumps(note_id)}
        fallback = _TILE_FALLBACK_JS % {**names, "threshold": TILE_ERRORS_BEFORE_FALLBACK}
    if layer.outline is not None:
        outline = _outline(layer.outline)
        outline.add_to(page_map)
        page_map.outline_data = outline.data  # as folium embeds it (it adds feature ids)
    _geojson(layer, data, lang).add_to(page_map)
    page_map.fit_bounds(bounds, padding=(8, 8))
    return page_map, _overlay_html(layer, lang, note_id), fallback


def render_map(
    layer: MapLayer, *, asset_url: Callable[[str], str], tiles: TileSettings | None, lang: Lang = "vi"
) -> MapParts:
    """Render ``layer`` as page parts with the vendored Leaflet; ``asset_url`` maps a static path to a local URL."""
    data = _features(layer)
    page_map, overlay, fallback = _build(layer, data, tiles, lang)
    assets = [asset_url(LEAFLET_JS), asset_url(LEAFLET_CSS)]
    page_map.default_js = [("leaflet", assets[0])]
    page_map.default_css = [("leaflet_css", assets[1])]
    figure = cast(Figure, page_map.get_root())
    figure.render()
    figure.header._children.pop("meta_http", None)  # the page sets its own charset
    header = figure.header.render() + _STYLE
    script = _compact(figure.script.render(), data)
    if page_map.outline_data is not None:
        script = _compact(script, page_map.outline_data)
    script += fallback
    check_local(header + script, [tiles.url_template] if tiles is not None else [])
    noscript = f"<noscript><p>{html.escape(NO_SCRIPT.pick(lang))}</p></noscript>"
    body = f'<div class="ipc-map-wrap">{figure.html.render()}{overlay}</div>{noscript}{_attribution_html(layer, lang)}'
    return MapParts(header=header, html=body, script=f"<script>{script}</script>")
