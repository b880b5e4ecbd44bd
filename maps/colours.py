"""Map colours and number formats: quantile classes, Gi* label colours and their bilingual legend rows.

Pure (STYLE rule 8): values in, colours and legend texts out. Numbers are written Vietnamese style
(``1.250.000``, ``3,5``), for legend labels here and for tooltips in ``maps.render``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np

Format = Literal["text", "count", "vnd", "percent"]

ZERO_COLOUR = "#f0f0f0"
YL_OR_RD = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")  # ColorBrewer YlOrRd, 5 classes
PURPLES = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")  # ColorBrewer Purples, 5 classes


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
