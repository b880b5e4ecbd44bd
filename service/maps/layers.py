"""Map figures turned into what a map page draws: geometry for the zoom, colours, tooltips, caption and notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec
import pandas as pd

from maps import geometry
from maps.render import (
    HOTSPOT_COLOURS,
    PURPLES,
    ColourLabels,
    Lang,
    LegendEntry,
    MapLayer,
    Text,
    TooltipField,
    quantile_classes,
)
from schemas.maps import ChoroplethOut, HexbinsOut, HotspotsOut, Note
from service import labels
from service.maps.query import MapFilters

PAGE_ZOOM = geometry.DEFAULT_ZOOM
METRICS: dict[str, tuple[str, str, str]] = {
    "count": ("Số vụ", "Cases", "count"),
    "goods_value_vnd": ("Giá trị hàng vi phạm", "Seized value", "vnd"),
    "fine_vnd": ("Tiền phạt", "Fines", "vnd"),
}
UNIT_TOOLTIP = (
    TooltipField("full_name", "Đơn vị", "Unit"),
    TooltipField("count", "Số vụ", "Cases", "count"),
    TooltipField("goods_value_vnd", "Giá trị hàng", "Goods value", "vnd"),
    TooltipField("fine_vnd", "Tiền phạt", "Fines", "vnd"),
)
# Units that pass the pseudo p-value but not the false-discovery-rate cut-off: shown, but lighter and named so.
INDICATIVE = (
    ("indicative_hot", LegendEntry("#fbe3d6", "Gợi ý nóng (chưa qua FDR)", "Indicative hot (not after FDR)")),
    ("indicative_cold", LegendEntry("#e3eef6", "Gợi ý lạnh (chưa qua FDR)", "Indicative cold (not after FDR)")),
)
UNIT_HOTSPOT_COLOURS = ColourLabels(HOTSPOT_COLOURS.entries[:3] + INDICATIVE + HOTSPOT_COLOURS.entries[3:])
LABEL_TEXT = {key: Text(entry.label_vi, entry.label_en) for key, entry in UNIT_HOTSPOT_COLOURS.entries}


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def caption(filters: MapFilters, extra: Sequence[Text] = ()) -> Text:
    """Period and filters, written on the map so a screenshot keeps them."""
    vi = [f"Kỳ: {_day(filters.start)} – {_day(filters.end)}"]
    en = [f"Period: {_day(filters.start)} – {_day(filters.end)}"]
    for table, code, name in (
        (labels.KINDS, filters.kind, ("Loại", "Kind")),
        (labels.SUBJECT_MATTERS, filters.subject_matter, ("Đối tượng", "Subject matter")),
        (labels.INFRINGEMENT_ACTS, filters.act, ("Hành vi", "Act")),
    ):
        if code:
            vi.append(f"{name[0]}: {labels.label(table, code, 'vi')}")
            en.append(f"{name[1]}: {labels.label(table, code, 'en')}")
    vi.append(f"Cơ quan: {filters.agency}" if filters.agency else "Cơ quan: tất cả")
    en.append(f"Agency: {filters.agency}" if filters.agency else "Agency: all")
    vi += [t.vi for t in extra]
    en += [t.en for t in extra]
    return Text(" · ".join(vi), " · ".join(en))


def _notes(notes: Sequence[Note]) -> tuple[Text, ...]:
    return tuple(Text(n.message_vi, n.message_en) for n in notes)


def _rows(items: Sequence[msgspec.Struct]) -> list[dict[str, Any]]:
    return [msgspec.to_builtins(item) for item in items]


def choropleth_layer(out: ChoroplethOut, filters: MapFilters, metric: str) -> MapLayer:
    """Units of one generation coloured by quantile classes of the metric."""
    name_vi, name_en, fmt = METRICS[metric]
    frame = geometry.simplified(out.generation, geometry.tolerance_for_zoom(PAGE_ZOOM))
    rows = _rows(out.units)
    collection = geometry.feature_collection(frame, _frame(rows, "code"), id_column="code")
    generation = Text("Đơn vị cấp xã 2025", "2025 commune-level units")
    if out.generation == "2024":
        generation = Text("Huyện cũ (trước 1/7/2025)", "Former districts (before 1 July 2025)")
    return MapLayer(
        collection=collection,
        colour_by=metric,
        colouring=quantile_classes([row[metric] for row in rows], fmt=fmt),  # type: ignore[arg-type]
        legend_title=Text(f"{name_vi} theo đơn vị", f"{name_en} per unit"),
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


def hotspots_layer(out: HotspotsOut, filters: MapFilters, lang: Lang = "vi") -> MapLayer:
    """Units coloured by Gi* label (indicative ones lighter), or the significant H3 cells."""
    tooltip: tuple[TooltipField, ...]
    if out.areas == "units_2025":
        frame = geometry.simplified("2025", geometry.tolerance_for_zoom(PAGE_ZOOM))
        rows = _rows(out.units)
        for row in rows:
            row["shown"] = _display_label(row)
            row["label_text"] = LABEL_TEXT[row["shown"]].pick(lang)
        collection = geometry.feature_collection(frame, _frame(rows, "code"), id_column="code")
        tooltip = (TooltipField("full_name", "Đơn vị", "Unit"), TooltipField("count", "Số vụ", "Cases", "count"))
        area_text = Text("38 đơn vị cấp xã 2025", "38 commune-level units (2025)")
    else:
        rows = _rows(out.cells)
        for row in rows:
            row["shown"] = row["label"]
            row["label_text"] = LABEL_TEXT[row["label"]].pick(lang)
        collection = geometry.hex_feature_collection([row["cell"] for row in rows], _frame(rows, "cell"))
        tooltip = (TooltipField("count", "Số vụ (ẩn nếu ít)", "Cases (hidden if few)", "count"),)
        area_text = Text(f"Ô H3 độ phân giải {out.resolution}", f"H3 cells, resolution {out.resolution}")
    params = out.params
    test = Text(
        f"{params['permutations']} hoán vị, hạt giống {params['seed']}, FDR α = {params['alpha']}",
        f"{params['permutations']} permutations, seed {params['seed']}, FDR α = {params['alpha']}",
    )
    return MapLayer(
        collection=collection,
        colour_by="shown",
        colouring=UNIT_HOTSPOT_COLOURS,
        legend_title=Text("Điểm nóng Getis-Ord Gi*", "Getis-Ord Gi* hot spots"),
        tooltip=(*tooltip, TooltipField("label_text", "Kết quả", "Result")),
        caption=caption(dataclasses.replace(filters, agency=out.agency), [area_text, test]),
        notes=_notes(out.notes),
    )


def hexbins_layer(out: HexbinsOut, filters: MapFilters) -> MapLayer:
    """Shown H3 cells coloured by quantile classes of their counts."""
    rows = _rows(out.cells)
    collection = geometry.hex_feature_collection([row["cell"] for row in rows], _frame(rows, "cell"))
    extra = Text(
        f"Ô H3 độ phân giải {out.resolution}, tối thiểu {out.min_count} vụ/ô",
        f"H3 cells, resolution {out.resolution}, at least {out.min_count} incidents per cell",
    )
    return MapLayer(
        collection=collection,
        colour_by="count",
        colouring=quantile_classes([row["count"] for row in rows], palette=PURPLES),
        legend_title=Text("Số vụ có tọa độ GPS mỗi ô", "Incidents with GPS per cell"),
        tooltip=(TooltipField("count", "Số vụ", "Cases", "count"),),
        caption=caption(dataclasses.replace(filters, agency=out.agency), [extra]),
        notes=_notes(out.notes),
    )


def _frame(rows: list[dict[str, Any]], key: str) -> pd.DataFrame | None:
    return pd.DataFrame(rows).set_index(key) if rows else None
