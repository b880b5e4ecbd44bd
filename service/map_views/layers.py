"""Map figures turned into what a map page draws: geometry for the zoom, colours, tooltips, caption and notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec
import pandas as pd

from maps import geometry
from maps.colours import HOTSPOT_COLOURS, PURPLES, ColourLabels, Format, LegendEntry, quantile_classes
from maps.render import Lang, MapLayer, Text, TooltipField
from schemas.maps import ChoroplethOut, HexbinsOut, HotspotsOut, Note
from service import i18n, labels
from service.map_views.query import MapFilters

PAGE_ZOOM = geometry.DEFAULT_ZOOM


def _text(code: str, /, **params: object) -> Text:
    """A catalogue text as a map Text (Vietnamese, English)."""
    return Text(*i18n.both(code, **params))


def _field(prop: str, code: str, fmt: Format = "text") -> TooltipField:
    vi, en = i18n.both(code)
    return TooltipField(prop, vi, en, fmt)


def _entry(colour: str, code: str) -> LegendEntry:
    return LegendEntry(colour, *i18n.both(code))


METRICS: dict[str, Format] = {"count": "count", "goods_value_vnd": "vnd", "fine_vnd": "vnd"}
UNIT_TOOLTIP = (
    _field("full_name", "ui.maps.tip.unit"),
    _field("count", "ui.maps.metric.count", "count"),
    _field("goods_value_vnd", "ui.maps.metric.goods_value_vnd", "vnd"),
    _field("fine_vnd", "ui.maps.metric.fine_vnd", "vnd"),
)
# Units that pass the pseudo p-value but not the false-discovery-rate cut-off: shown, but lighter and named so.
INDICATIVE = (
    ("indicative_hot", _entry("#fbe3d6", "ui.maps.indicative_hot")),
    ("indicative_cold", _entry("#e3eef6", "ui.maps.indicative_cold")),
)
UNIT_HOTSPOT_COLOURS = ColourLabels(HOTSPOT_COLOURS.entries[:3] + INDICATIVE + HOTSPOT_COLOURS.entries[3:])
LABEL_TEXT = {key: Text(entry.label_vi, entry.label_en) for key, entry in UNIT_HOTSPOT_COLOURS.entries}


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def caption(filters: MapFilters, extra: Sequence[Text] = ()) -> Text:
    """Period and filters, written on the map so a screenshot keeps them."""
    parts = [_text("ui.maps.cap.period", start=_day(filters.start), end=_day(filters.end))]
    for table, code, key in (
        (labels.KINDS, filters.kind, "ui.maps.cap.kind"),
        (labels.SUBJECT_MATTERS, filters.subject_matter, "ui.maps.cap.subject_matter"),
        (labels.INFRINGEMENT_ACTS, filters.act, "ui.maps.cap.act"),
    ):
        if code:
            vi, en = i18n.both(key)
            parts.append(Text(f"{vi}: {labels.label(table, code, 'vi')}", f"{en}: {labels.label(table, code, 'en')}"))
    parts.append(_text("ui.maps.cap.agency", agency=filters.agency) if filters.agency else _text("ui.maps.cap.all"))
    parts += list(extra)
    return Text(" · ".join(t.vi for t in parts), " · ".join(t.en for t in parts))


def _unit_outline() -> dict[str, Any]:
    """The 38 units as context lines under hexagons."""
    return geometry.feature_collection(geometry.simplified("2025", geometry.tolerance_for_zoom(PAGE_ZOOM)))


def _notes(notes: Sequence[Note]) -> tuple[Text, ...]:
    return tuple(Text(n.message_vi, n.message_en) for n in notes)


def _rows(items: Sequence[msgspec.Struct]) -> list[dict[str, Any]]:
    return [msgspec.to_builtins(item) for item in items]


def choropleth_layer(out: ChoroplethOut, filters: MapFilters, metric: str) -> MapLayer:
    """Units of one generation coloured by quantile classes of the metric."""
    fmt = METRICS[metric]
    frame = geometry.simplified(out.generation, geometry.tolerance_for_zoom(PAGE_ZOOM))
    rows = _rows(out.units)
    collection = geometry.feature_collection(frame, _frame(rows, "code"), id_column="code")
    generation = _text(f"ui.maps.gen.{out.generation}")
    return MapLayer(
        collection=collection,
        colour_by=metric,
        colouring=quantile_classes([row[metric] for row in rows], fmt=fmt),
        legend_title=Text(
            *(
                i18n.message("ui.maps.legend.per_unit", lang, metric=i18n.message(f"ui.maps.metric.{metric}", lang))
                for lang in ("vi", "en")
            )
        ),
        tooltip=UNIT_TOOLTIP,
        caption=caption(dataclasses.replace(filters, agency=out.agency), [generation]),
        notes=_notes(out.notes),
    )


def _display_label(row: dict[str, Any]) -> str:
    label = str(row["label"])
    if label != "not_significant":
        return label
    uncorrected = str(row.get("label_uncorrected", label))
    if uncorrected.startswith("hot"):
        return "indicative_hot"
    if uncorrected.startswith("cold"):
        return "indicative_cold"
    return label


NEIGHBOURS_TEXT = _text("ui.maps.hot_by_neighbours")


def _result_text(row: dict[str, Any], lang: Lang) -> str:
    """The label as shown, and for an area with no incident that is hot, that its neighbours make it so."""
    text = LABEL_TEXT[row["shown"]].pick(lang)
    if row.get("hot_by_neighbours") and "hot" in str(row["shown"]):
        text = f"{text} – {NEIGHBOURS_TEXT.pick(lang)}"
    return text


def _hotspot_legend_title() -> Text:
    """The legend's title, with what Gi* includes: an area with no incident can be hot."""
    title, neighbours = _text("ui.maps.legend.hotspots"), _text("ui.maps.legend.neighbours")
    return Text(f"{title.vi}. {neighbours.vi}", f"{title.en}. {neighbours.en}")


def hotspots_layer(out: HotspotsOut, filters: MapFilters, lang: Lang = "vi") -> MapLayer:
    """Units coloured by Gi* label (indicative ones lighter), or the significant H3 cells."""
    tooltip: tuple[TooltipField, ...]
    z_field = _field("z", "ui.maps.tip.z", "count")
    if out.areas == "units_2025":
        frame = geometry.simplified("2025", geometry.tolerance_for_zoom(PAGE_ZOOM))
        rows = _rows(out.units)
        for row in rows:
            row["shown"] = _display_label(row)
            row["label_text"] = _result_text(row, lang)
        collection = geometry.feature_collection(frame, _frame(rows, "code"), id_column="code")
        tooltip = (
            _field("full_name", "ui.maps.tip.unit"),
            _field("incidents", "ui.maps.tip.incidents", "count"),
            _field("count", "ui.maps.tip.count_used", "count"),
            z_field,
        )
        area_text = _text("ui.maps.gen.units38")
    else:
        rows = _rows(out.cells)
        for row in rows:
            row["shown"] = row["label"]
            row["label_text"] = _result_text(row, lang)
        collection = geometry.hex_feature_collection([row["cell"] for row in rows], _frame(rows, "cell"))
        tooltip = (_field("count", "ui.maps.tip.count_hidden", "count"), z_field)
        area_text = _text("ui.maps.cap.h3", resolution=out.resolution)
    params = out.params
    test = _text("ui.maps.cap.test", permutations=params["permutations"], seed=params["seed"], alpha=params["alpha"])
    return MapLayer(
        collection=collection,
        colour_by="shown",
        colouring=UNIT_HOTSPOT_COLOURS,
        legend_title=_hotspot_legend_title(),
        tooltip=(*tooltip, _field("label_text", "ui.maps.tip.result")),
        caption=caption(dataclasses.replace(filters, agency=out.agency), [area_text, test]),
        notes=_notes(out.notes),
        outline=None if out.areas == "units_2025" else _unit_outline(),
    )


def hexbins_layer(out: HexbinsOut, filters: MapFilters) -> MapLayer:
    """Shown H3 cells coloured by quantile classes of their counts."""
    rows = _rows(out.cells)
    collection = geometry.hex_feature_collection([row["cell"] for row in rows], _frame(rows, "cell"))
    extra = _text("ui.maps.cap.hexbins", resolution=out.resolution, min_count=out.min_count)
    return MapLayer(
        collection=collection,
        colour_by="count",
        colouring=quantile_classes([row["count"] for row in rows], palette=PURPLES),
        legend_title=_text("ui.maps.legend.hexbins"),
        tooltip=(_field("count", "ui.maps.metric.count", "count"),),
        caption=caption(dataclasses.replace(filters, agency=out.agency), [extra]),
        notes=_notes(out.notes),
        outline=_unit_outline(),
    )


def _frame(rows: list[dict[str, Any]], key: str) -> pd.DataFrame | None:
    return pd.DataFrame(rows).set_index(key) if rows else None
