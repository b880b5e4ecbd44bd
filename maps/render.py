"""Folium maps as page parts (head tags, HTML, script) that load only local assets.

Pure: a ``MapLayer`` in, strings out (STYLE rule 8). One layer serves three pages: a choropleth
(``ColourClasses`` over unit counts), hot spots (``HOTSPOT_COLOURS`` over Gi* labels) and hexbins
(``ColourClasses`` over H3 cell counts). Styles and tooltip texts are computed here, in Python, and the
GeoJSON is embedded once, with compact separators. Text is bilingual: the chosen language first.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, cast

import folium
import numpy as np
import shapely
from branca.element import Figure
from folium.template import Template
from jinja2.utils import htmlsafe_json_dumps

from maps import boundaries, geometry

Format = Literal["text", "count", "vnd", "percent"]
Lang = Literal["vi", "en"]

LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"
ZERO_COLOUR = "#f0f0f0"
YL_OR_RD = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")  # ColorBrewer YlOrRd, 5 classes
PURPLES = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")  # ColorBrewer Purples, 5 classes
PROVINCE_BOUNDS = ((21.7, 102.3), (22.8, 103.9))  # (lat, lon) south-west, north-east
TILE_ERRORS_BEFORE_FALLBACK = 3


class Text(NamedTuple):
    """One text in Vietnamese (with diacritics) and English."""

    vi: str
    en: str

    def pick(self, lang: Lang) -> str:
        """Return both languages, ``lang`` first, as "first / second" (once when they are equal)."""
        first, second = (self.vi, self.en) if lang == "vi" else (self.en, self.vi)
        return first if first == second else f"{first} / {second}"


TILE_NOTE = Text("Không tải được nền bản đồ – chỉ hiển thị ranh giới", "Base map unavailable – boundaries only")
NO_SCRIPT = Text("Bản đồ cần JavaScript.", "The map needs JavaScript.")


class TooltipField(NamedTuple):
    """A feature property shown in the tooltip, with its labels and how to format its value."""

    property: str
    label_vi: str
    label_en: str
    format: Format = "text"


class LegendEntry(NamedTuple):
    """One legend row: a fill colour and its bilingual label."""

    colour: str
    label_vi: str
    label_en: str


def format_number(value: float, decimals: int = 2) -> str:
    """Format Vietnamese style: ``1.250.000``, ``3,5``; at most ``decimals`` decimals, no trailing zeros."""
    text = f"{round(value, decimals) + 0.0:,.{decimals}f}"  # + 0.0 turns -0.0 into 0.0
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", ".,"))


def format_value(value: Any, fmt: Format) -> str:
    """Format one property value for display; missing values show as an en dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if fmt == "count":
        return format_number(float(value))
    if fmt == "vnd":
        return f"{format_number(float(value), 0)} ₫"
    if fmt == "percent":
        return f"{format_number(100 * float(value), 1)} %"
    return str(value)


@dataclass(frozen=True)
class ColourClasses:
    """Numeric classes: values in (previous bound, ``upper_bounds[i]``] get ``colours[i]``; 0 its own colour.

    ``zero_colour`` is None when no area has 0 (no legend row); ``minimum`` starts the first class label.
    """

    upper_bounds: tuple[float, ...]
    colours: tuple[str, ...]
    minimum: float = 0.0
    zero_colour: str | None = ZERO_COLOUR
    whole_numbers: bool = True
    format: Format = "count"

    def __post_init__(self) -> None:
        """Reject classes that cannot colour every value."""
        if len(self.upper_bounds) != len(self.colours):
            raise ValueError("upper_bounds and colours must have the same length")
        if list(self.upper_bounds) != sorted(set(self.upper_bounds)):
            raise ValueError("upper_bounds must be strictly increasing")

    def colour_of(self, value: Any) -> str:
        """Return the fill colour of ``value``; missing or negative values raise."""
        number = float(value) if value is not None else math.nan
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"cannot colour value {value!r}: expected a number >= 0")
        if number == 0 and self.zero_colour is not None:
            return self.zero_colour
        for bound, colour in zip(self.upper_bounds, self.colours, strict=True):
            if number <= bound:
                return colour
        return self.colours[-1]

    def _label(self, index: int) -> str:
        """Return the value range of class ``index``."""
        upper = self.upper_bounds[index]
        lower = self.minimum if index == 0 else self.upper_bounds[index - 1] + (1 if self.whole_numbers else 0)
        low, high = format_value(lower, self.format), format_value(upper, self.format)
        if lower >= upper:
            return high
        return f"{low} – {high}" if index == 0 or self.whole_numbers else f"> {low} – {high}"

    def legend_entries(self) -> tuple[LegendEntry, ...]:
        """Return the legend rows, 0 first when it has its own colour."""
        rows = [LegendEntry(self.zero_colour, "0", "0")] if self.zero_colour is not None else []
        rows += [LegendEntry(colour, self._label(i), self._label(i)) for i, colour in enumerate(self.colours)]
        return tuple(rows)


@dataclass(frozen=True)
class ColourLabels:
    """Categorical colours: each value (e.g. a Gi* label) has a legend entry; other values raise."""

    entries: tuple[tuple[str, LegendEntry], ...]

    def colour_of(self, value: Any) -> str:
        """Return the fill colour of the label ``value``."""
        for label, entry in self.entries:
            if label == value:
                return entry.colour
        raise ValueError(f"no colour for label {value!r}")

    def legend_entries(self) -> tuple[LegendEntry, ...]:
        """Return the legend rows in table order."""
        return tuple(entry for _, entry in self.entries)


# ColorBrewer RdBu 7 with a visible grey centre, the usual hot/cold spot scheme.
HOTSPOT_COLOURS = ColourLabels(
    (
        ("hot_99", LegendEntry("#b2182b", "Điểm nóng 99 %", "Hot spot 99 %")),
        ("hot_95", LegendEntry("#ef8a62", "Điểm nóng 95 %", "Hot spot 95 %")),
        ("hot_90", LegendEntry("#fddbc7", "Điểm nóng 90 %", "Hot spot 90 %")),
        ("not_significant", LegendEntry("#e6e6e6", "Không có ý nghĩa thống kê", "Not significant")),
        ("cold_90", LegendEntry("#d1e5f0", "Điểm lạnh 90 %", "Cold spot 90 %")),
        ("cold_95", LegendEntry("#67a9cf", "Điểm lạnh 95 %", "Cold spot 95 %")),
        ("cold_99", LegendEntry("#2166ac", "Điểm lạnh 99 %", "Cold spot 99 %")),
    )
)


def _spread(palette: Sequence[str], count: int) -> tuple[str, ...]:
    """Pick ``count`` colours spread evenly over ``palette`` (light to dark)."""
    if count == 1:
        return (palette[-1],)
    return tuple(palette[int(i)] for i in np.linspace(0, len(palette) - 1, count).round())


def quantile_classes(
    values: Iterable[float], n_classes: int = 5, palette: Sequence[str] = YL_OR_RD, fmt: Format = "count"
) -> ColourClasses:
    """Return up to ``n_classes`` quantile classes of the positive values (bounds rounded up to 0.01 or 1)."""
    array = np.asarray(list(values), dtype=np.float64)
    if not np.isfinite(array).all() or (array < 0).any():
        raise ValueError("values must be finite and >= 0")
    if not 1 <= n_classes <= len(palette):
        raise ValueError(f"n_classes must be 1..{len(palette)}")
    positive = array[array > 0]
    zero = ZERO_COLOUR if (array == 0).any() or positive.size == 0 else None
    if positive.size == 0:
        return ColourClasses((), (), zero_colour=zero, format=fmt)
    whole = bool(np.all(positive == np.round(positive)))
    scale = 1 if whole else 100
    quantiles = np.quantile(positive, np.linspace(0, 1, n_classes + 1)[1:])
    bounds = sorted({math.ceil(round(q * scale, 6)) / scale for q in quantiles})
    return ColourClasses(tuple(bounds), _spread(palette, len(bounds)), float(positive.min()), zero, whole, fmt)


NOTE_SPLIT_BY_AREA = Text(
    "Vụ việc ở đơn vị nằm trên nhiều huyện cũ được chia theo tỷ lệ diện tích.",
    "Incidents in units spanning several former districts are split by area share.",
)
NOTE_TOO_LITTLE_DATA = Text(
    "Chưa đủ dữ liệu để kiểm định điểm nóng; mọi vùng được coi là không có ý nghĩa thống kê.",
    "Too little data for the hot spot test; every area is shown as not significant.",
)


def note_hidden_cells(min_count: int, hidden_cells: int) -> Text:
    """Note for hexbin cells withheld because they hold too few incidents."""
    cells = format_number(hidden_cells, 0)
    return Text(
        f"Ẩn {cells} ô có dưới {min_count} vụ để không lộ người vi phạm.",
        f"{cells} cells with fewer than {min_count} incidents are hidden so no violator can be located.",
    )


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
    colouring: ColourClasses | ColourLabels
    legend_title: Text
    tooltip: tuple[TooltipField, ...]
    caption: Text
    notes: tuple[Text, ...] = ()
    attribution: Text = field(default_factory=lambda: Text(*boundaries.attribution()))

    @property
    def legend(self) -> tuple[LegendEntry, ...]:
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
_STYLE = (
    "<style>.ipc-map-wrap{position:relative}.ipc-map{width:100%;height:70vh;min-height:320px}"
    ".ipc-caption,.ipc-legend,.ipc-tile-note{position:absolute;z-index:1000;background:rgba(255,255,255,.92);"
    "margin:0;padding:4px 8px;border-radius:4px;font:12px/1.35 sans-serif;max-width:45%}"
    ".ipc-caption{top:8px;right:8px}.ipc-legend{bottom:24px;left:8px}.ipc-tile-note{top:8px;left:50px}"
    ".ipc-legend ul,.ipc-caption ul{list-style:none;margin:4px 0 0;padding:0}"
    ".ipc-legend i{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;"
    "border:1px solid #888}.ipc-attribution{font-size:11px;color:#555}"
    # Phones: the caption stays on the map (screenshots keep period and filters), the legend goes below it.
    "@media (max-width:600px){.ipc-caption{left:50px;max-width:none;font-size:11px}"
    ".ipc-legend{position:static;max-width:none}.ipc-tile-note{top:auto;bottom:24px;left:8px}}</style>"
)


def _features(layer: MapLayer) -> dict[str, Any]:
    """Return the embedded collection: geometry as given, properties reduced to fill colour and tooltip texts."""
    features = []
    for feature in layer.collection["features"]:
        source = feature.get("properties") or {}
        props = {"_fill": layer.colouring.colour_of(source.get(layer.colour_by))}
        for i, item in enumerate(layer.tooltip):
            if item.property not in source:
                raise ValueError(f"feature {feature.get('id')!r} has no property {item.property!r}")
            props[f"_t{i}"] = html.escape(format_value(source.get(item.property), item.format))
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
    return folium.GeoJson(data, style_function=_style, highlight_function=lambda _: _HIGHLIGHT, tooltip=tooltip)


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
    """Return the data attribution paragraphs, ``lang`` first."""
    texts = (layer.attribution.vi, layer.attribution.en)[:: 1 if lang == "vi" else -1]
    return "".join(f'<p class="ipc-attribution">{html.escape(text)}</p>' for text in texts)


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
    script = _compact(figure.script.render(), data) + fallback
    check_local(header + script, [tiles.url_template] if tiles is not None else [])
    noscript = f"<noscript><p>{html.escape(NO_SCRIPT.pick(lang))}</p></noscript>"
    body = f'<div class="ipc-map-wrap">{figure.html.render()}{overlay}</div>{noscript}{_attribution_html(layer, lang)}'
    return MapParts(header=header, html=body, script=f"<script>{script}</script>")
