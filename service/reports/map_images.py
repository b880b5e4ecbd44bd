"""Static maps for the PDF: cases per unit and the hot spots, drawn with matplotlib (Agg) from the bundled boundaries.

Pure: frames in, PNG bytes out. Colours and legend rows are the web maps' (maps.colours, service.map_views.layers), so
a printed map reads like the one on screen. ``matplotlib.figure.Figure`` is used without pyplot: no global state,
safe in worker threads.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display on a server; set before geopandas imports pyplot

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from PIL import Image as PILImage

from maps.boundaries import attribution, load_districts_2024, load_units_2025
from maps.colours import LegendEntry, quantile_classes
from maps.hotspots import HotspotResult
from service.i18n import Language
from service.map_views.layers import UNIT_HOTSPOT_COLOURS

EDGE = "#555555"
DPI = 150
SIZE_IN = (8.0, 6.2)


@dataclass(frozen=True)
class MapText:
    """The words on one map, already in the report's language."""

    lang: Language
    title: str
    subtitle: str
    legend: str


def _boundaries(generation: str) -> gpd.GeoDataFrame:
    return load_units_2025() if generation == "2025" else load_districts_2024()


def _draw(frame: gpd.GeoDataFrame, colours: list[str], legend: tuple[LegendEntry, ...], text: MapText) -> bytes:
    """One map with its title, legend and the boundary attribution under it, as PNG."""
    figure = Figure(figsize=SIZE_IN, dpi=DPI)
    axes = figure.add_axes((0.02, 0.1, 0.96, 0.8))
    frame.plot(ax=axes, color=colours, edgecolor=EDGE, linewidth=0.4)
    axes.set_axis_off()
    axes.set_aspect("equal")
    figure.suptitle(text.title, fontsize=12, y=0.975)
    figure.text(0.5, 0.915, text.subtitle, ha="center", fontsize=8.5)
    handles = [Patch(facecolor=e.colour, edgecolor=EDGE, label=e.label_vi if text.lang == "vi" else e.label_en)
               for e in legend]  # fmt: skip
    axes.legend(handles=handles, loc="lower left", fontsize=7, title=text.legend, title_fontsize=7.5, framealpha=0.9)
    credit = attribution()[0 if text.lang == "vi" else 1]
    figure.text(0.03, 0.015, "\n".join(textwrap.wrap(credit, 150)), fontsize=5.2, va="bottom", color="#333333")
    return _opaque_png(figure)


def _opaque_png(figure: Figure) -> bytes:
    """The figure as an RGB PNG: without an alpha channel the PDF holds one image, not an image and its mask."""
    drawn = io.BytesIO()
    figure.savefig(drawn, format="png", dpi=DPI, facecolor="white")
    drawn.seek(0)
    out = io.BytesIO()
    with PILImage.open(drawn) as image:
        image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def choropleth_png(by_unit: pd.DataFrame, generation: str, text: MapText) -> bytes:
    """Cases per unit of the generation (``by_unit`` rows: code, cases), in the web map's quantile classes."""
    frame = _boundaries(generation)
    cases = by_unit.dropna(subset=["code"]).set_index("code")["cases"].astype(float)
    values = frame["code"].map(cases).fillna(0.0)
    classes = quantile_classes(values.tolist())
    return _draw(frame, [classes.colour_of(v) for v in values], classes.legend_entries(), text)


def _shown(label: str, uncorrected: str) -> str:
    """What a unit is coloured as: its label after FDR, else "indicative" when its p-value alone says so."""
    if label != "not_significant":
        return label
    if uncorrected.startswith("hot"):
        return "indicative_hot"
    if uncorrected.startswith("cold"):
        return "indicative_cold"
    return label


def hotspot_png(result: HotspotResult, text: MapText) -> bytes:
    """The 38 units of 2025 coloured by their Gi* label (indicative ones lighter), every class in the legend."""
    frame = load_units_2025()
    table = result.table.reindex(frame["code"].to_numpy())
    shown = [_shown(str(a), str(b)) for a, b in zip(table["label"], table["label_uncorrected"], strict=True)]
    return _draw(frame, [UNIT_HOTSPOT_COLOURS.colour_of(s) for s in shown], UNIT_HOTSPOT_COLOURS.legend_entries(), text)
