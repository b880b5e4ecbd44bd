"""Map pages work offline: local Leaflet only, data embedded once; legend, caption and attribution in the reader's
language; linked areas open their page."""

from __future__ import annotations

import dataclasses
import gzip
import html
import json

import numpy as np
import pandas as pd
import pytest

from maps import boundaries, colours, geometry, hexbins, render

CDN_MARKERS = ("cdn", "jsdelivr", "cloudflare", "jquery", "bootstrap", "http://", "https://")
TILES = render.TileSettings("https://tiles.example.vn/{z}/{x}/{y}.png", "© Bản đồ nền Lai Châu")
CAPTION = render.Text("Từ 01/01/2025 đến 30/06/2025 · Hàng giả", "1 Jan 2025 to 30 Jun 2025 · Counterfeits")


def _static(path: str) -> str:
    return f"/static/{path}"


def _choropleth() -> render.MapLayer:
    units = geometry.simplified("2025", geometry.tolerance_for_zoom(geometry.DEFAULT_ZOOM))
    cases = np.arange(len(units)) % 9 * 1.5
    table = pd.DataFrame({"code": units["code"], "name": units["name"], "cases": cases, "fines": cases * 1_000_000})
    return render.MapLayer(
        collection=geometry.feature_collection(units, table),
        colour_by="cases",
        colouring=colours.quantile_classes(table["cases"]),
        legend_title=render.Text("Số vụ việc", "Incidents"),
        tooltip=(
            render.TooltipField("name", "Đơn vị", "Unit"),
            render.TooltipField("cases", "Số vụ", "Cases", "count"),
            render.TooltipField("fines", "Tiền phạt", "Fines", "vnd"),
        ),
        caption=CAPTION,
        notes=(render.Text("Vụ việc được chia theo diện tích.", "Incidents are split by area share."),),
    )


def _hotspots() -> render.MapLayer:
    units = geometry.simplified("2025", geometry.tolerance_for_zoom(geometry.DEFAULT_ZOOM))
    labels = [label for label, _ in colours.HOTSPOT_COLOURS.entries]
    table = pd.DataFrame({"code": units["code"], "name": units["name"]})
    table["label"] = [labels[i % len(labels)] for i in range(len(units))]
    return render.MapLayer(
        collection=geometry.feature_collection(units, table),
        colour_by="label",
        colouring=colours.HOTSPOT_COLOURS,
        legend_title=render.Text("Điểm nóng (Gi*)", "Hot spots (Gi*)"),
        tooltip=(render.TooltipField("name", "Đơn vị", "Unit"),),
        caption=CAPTION,
    )


def _hexbins() -> render.MapLayer:
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(102.3, 103.9, 400), rng.uniform(21.7, 22.8, 400)
    result = hexbins.hexbin(lon, lat, resolution=5, min_count=2)
    cells = result.cells[["cell", "count"]]
    return render.MapLayer(
        collection=geometry.hex_feature_collection(cells["cell"], cells),
        colour_by="count",
        colouring=colours.quantile_classes(cells["count"], palette=colours.PURPLES),
        legend_title=render.Text("Số vụ mỗi ô", "Incidents per cell"),
        tooltip=(render.TooltipField("count", "Số vụ", "Cases", "count"),),
        caption=CAPTION,
        notes=(render.Text(f"Ẩn {result.suppressed_cells} ô.", f"{result.suppressed_cells} cells hidden."),),
    )


LAYERS = {"choropleth": _choropleth, "hotspots": _hotspots, "hexbins": _hexbins}


@pytest.fixture(scope="module", params=sorted(LAYERS))
def layer(request: pytest.FixtureRequest) -> render.MapLayer:
    return LAYERS[request.param]()


def _first_ring(layer: render.MapLayer) -> str:
    ring = layer.collection["features"][0]["geometry"]["coordinates"][0]
    return json.dumps(ring, separators=(",", ":"))


def test_page_parts_load_nothing_from_outside(layer: render.MapLayer) -> None:
    parts = render.render_map(layer, asset_url=_static, tiles=None)
    page = (parts.header + parts.html + parts.script).lower()
    assert [marker for marker in CDN_MARKERS if marker in page] == []
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in parts.header
    assert 'href="/static/vendor/leaflet/leaflet.css"' in parts.header


def test_geojson_is_embedded_once_and_compact(layer: render.MapLayer) -> None:
    parts = render.render_map(layer, asset_url=_static, tiles=None)
    assert parts.script.count(_first_ring(layer)) == 1
    assert '"coordinates":[[[' in parts.script


def test_legend_caption_and_attribution_are_in_vietnamese_only_on_a_vietnamese_page(layer: render.MapLayer) -> None:
    parts = render.render_map(layer, asset_url=_static, tiles=None)
    assert html.escape(layer.legend_title.vi) in parts.html
    assert html.escape(CAPTION.vi) in parts.html and html.escape(CAPTION.en) not in parts.html
    attribution_vi, attribution_en = boundaries.attribution()
    assert html.escape(attribution_vi) in parts.html and html.escape(attribution_en) not in parts.html
    for entry in layer.legend:
        assert f"background:{entry.colour}" in parts.html


def test_english_page_speaks_english() -> None:
    layer = _choropleth()
    parts = render.render_map(layer, asset_url=_static, tiles=None, lang="en")
    assert "Incidents" in parts.html and "Số vụ việc" not in parts.html
    attribution_vi, attribution_en = boundaries.attribution()
    assert html.escape(attribution_en) in parts.html and html.escape(attribution_vi) not in parts.html


def test_hotspot_legend_names_every_level() -> None:
    parts = render.render_map(_hotspots(), asset_url=_static, tiles=None)
    assert "Điểm nóng 99 %" in parts.html and "Hot spot 99 %" not in parts.html
    assert "Điểm lạnh 90 %" in parts.html
    assert "Không có ý nghĩa thống kê" in parts.html


def test_tooltips_show_vietnamese_numbers() -> None:
    parts = render.render_map(_choropleth(), asset_url=_static, tiles=None)
    assert "Ti\\u1ec1n ph\\u1ea1t" in parts.script and "Fines" not in parts.script  # folium escapes the labels
    assert '"_t2":"1.500.000 ₫"' in parts.script
    assert '"_t1":"1,5"' in parts.script


def test_tile_fallback_only_when_tiles_are_given(layer: render.MapLayer) -> None:
    plain = render.render_map(layer, asset_url=_static, tiles=None)
    tiled = render.render_map(layer, asset_url=_static, tiles=TILES)
    assert "tileerror" not in plain.script
    assert render.TILE_NOTE.vi not in plain.html
    assert "tileerror" in tiled.script
    assert TILES.url_template in tiled.script
    assert render.TILE_NOTE.vi in tiled.html
    assert tiled.script.replace(TILES.url_template, "").count("https://") == 0


def test_any_other_url_in_the_page_is_refused() -> None:
    tiles = render.TileSettings(TILES.url_template, "© https://osm.example/copyright")
    with pytest.raises(RuntimeError, match="external URL"):
        render.render_map(_choropleth(), asset_url=_static, tiles=tiles)
    with pytest.raises(RuntimeError, match="external URL"):
        render.render_map(_choropleth(), asset_url=lambda path: f"https://cdn.example/{path}", tiles=None)


def test_choropleth_page_stays_small_for_3g() -> None:
    parts = render.render_map(_choropleth(), asset_url=_static, tiles=None)
    size = len(gzip.compress((parts.header + parts.html + parts.script).encode()))
    print(f"38-unit choropleth parts: {size} B gzip")
    assert size < 45_000


def test_quantile_classes_keep_zero_apart_and_cover_every_value() -> None:
    classes = colours.quantile_classes([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert classes.colour_of(0) == colours.ZERO_COLOUR
    assert [classes.colour_of(v) for v in (1, 10)] == [colours.YL_OR_RD[0], colours.YL_OR_RD[-1]]
    labels = [entry.label_vi for entry in classes.legend_entries()]
    assert labels[0] == "0"
    assert labels[1].startswith("1 – ")
    assert labels[-1] == "10"  # bounds 3, 5, 7, 9, 10: the last whole-number class holds 10 alone
    with pytest.raises(ValueError, match="cannot colour"):
        classes.colour_of(None)


def test_fractional_counts_get_comma_decimals() -> None:
    classes = colours.quantile_classes([0.25, 0.5, 1.75, 2.5], n_classes=2)
    assert 0 not in classes.upper_bounds
    assert classes.zero_colour is None
    assert [entry.label_vi for entry in classes.legend_entries()] == [
        "0,25 – 1,13",
        "> 1,13 – 2,5",
    ]  # median 1.125 rounded up


def test_tooltip_naming_a_missing_property_raises() -> None:
    layer = dataclasses.replace(_hotspots(), tooltip=(render.TooltipField("code", "Mã", "Code"),))
    with pytest.raises(ValueError, match="no property 'code'"):
        render.render_map(layer, asset_url=_static, tiles=None)


def test_unknown_hotspot_label_raises() -> None:
    with pytest.raises(ValueError, match="no colour"):
        colours.HOTSPOT_COLOURS.colour_of("lukewarm")


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (1_250_000, "vnd", "1.250.000 ₫"),
        (1_250_000.4, "vnd", "1.250.000 ₫"),
        (3, "count", "3"),
        (2.5, "count", "2,5"),
        (1234.567, "count", "1.234,57"),
        (-0.001, "count", "0"),
        (0.125, "percent", "12,5 %"),
        (None, "count", "–"),
        (float("nan"), "vnd", "–"),
        ("Lê Lợi", "text", "Lê Lợi"),
    ],
)
def test_values_are_formatted_vietnamese_style(value: object, fmt: colours.Format, text: str) -> None:
    assert colours.format_value(value, fmt) == text


def test_empty_layer_renders_boundaries_free_map_over_the_province() -> None:
    layer = render.MapLayer(
        collection={"type": "FeatureCollection", "features": []},
        colour_by="count",
        colouring=colours.quantile_classes([]),
        legend_title=render.Text("Số vụ mỗi ô", "Incidents per cell"),
        tooltip=(render.TooltipField("count", "Số vụ", "Cases", "count"),),
        caption=CAPTION,
    )
    parts = render.render_map(layer, asset_url=_static, tiles=None)
    assert "[[21.7, 102.3], [22.8, 103.9]]" in parts.script


def test_tile_settings_refuse_provider_names() -> None:
    with pytest.raises(ValueError, match="url_template"):
        render.TileSettings("OpenStreetMap", "© OpenStreetMap")


def test_hexagons_carry_the_unit_boundaries_once_as_plain_lines() -> None:
    units = geometry.feature_collection(geometry.simplified("2025", geometry.tolerance_for_zoom(9)))
    layer = dataclasses.replace(_hexbins(), outline=units)
    parts = render.render_map(layer, asset_url=_static, tiles=None)
    ring = units["features"][0]["geometry"]["coordinates"][0]
    assert parts.script.count(json.dumps(ring, separators=(",", ":"))) == 1
    assert '"fill":false' in parts.script.replace(" ", "") and "interactive" in parts.script


def test_linked_areas_open_their_page_and_others_do_not() -> None:
    layer = _choropleth()
    first = str(layer.collection["features"][0]["id"])
    linked = dataclasses.replace(layer, links={first: f"/incidents?unit=2025%3A{first}"})
    parts = render.render_map(linked, asset_url=_static, tiles=None)
    assert parts.script.count('"_href":') == 1 and f"/incidents?unit=2025%3A{first}" in parts.script
    assert "window.location.assign(href)" in parts.script
    assert '"_href"' not in render.render_map(layer, asset_url=_static, tiles=None).script
