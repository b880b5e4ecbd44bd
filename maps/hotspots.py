"""Getis-Ord Gi* hot and cold spots over the 38 units (queen contiguity) and over H3 cells (k-ring).

Pure: arrays and frames in, frames out (STYLE rule 8). The statistic itself is ``maps.gistar`` (exact):

* Weights are binary and include the area itself (w_ii = 1, 1 for each neighbour): ``z`` is the standard
  Getis-Ord Gi* z-score for them (not esda's row-standardised z, which is about sqrt(k + 1) too small).
* ``p_sim`` is the conditional-permutation pseudo p-value from whole-number counts of permutations at least as
  extreme (``as_extreme``, ties counted), (as_extreme + 1) / (permutations + 1), doubled for the default
  ``alternative="two-sided"`` (at most 1), decided as exact fractions; thresholds 0.01, 0.05 and 0.10 are exact.
* The counts are the figures' counts (an incident known only by its former district is split between 2025
  units by area share, so a count may be fractional) on a grid of 1e-6 incident (``gistar.quantise``); the
  table's ``count`` is exactly the value the statistic used.
* The false-discovery-rate cut-off (Benjamini-Hochberg at ``alpha``, exact) is applied first; only areas at or
  under it are labelled, as hot or cold by the sign of z, at the 99/95/90 % level of their p-value.
* ``label_uncorrected`` is the same labelling without the FDR cut-off: indicative only. On the 38 units a small
  cluster cannot pass FDR at all with conditional permutation: for a unit with k neighbours the chance that the
  permutation puts the cluster's other two units among them is about k(k-1)/(37*36), 0.015 for k = 5, so a
  three-unit cluster's p-values stay near 0.01-0.03, above Benjamini-Hochberg's 3 * 0.10 / 38 = 0.0079 however
  many incidents it holds. Maps show such units as "indicative" and point to the hexagon test.
* Gi* sums the area's neighbourhood, the area included: an area with 0 incidents is hot when its neighbours
  hold many. ``hot_by_neighbours`` in the answers marks such areas; pages say so.
* With fewer than ``min_incidents`` incidents or fewer than ``min_nonzero_areas`` areas with any incident, no
  test is run: every area is ``not_significant``, ``enough_data`` is False and ``shortage`` says why.

Islands (units with no queen neighbour): each is joined to its nearest unit by centroid distance (EPSG:3405,
VN-2000 / UTM 48N), symmetrically, so every area has a permutation distribution. The 2025 Lai Châu units have
no islands, so this only guards against future boundary files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Literal

import geopandas as gpd
import h3
import numpy as np
import numpy.typing as npt
import pandas as pd
from h3.api import basic_int
from libpysal.weights import Queen

from maps import gistar, hexbins
from maps.boundaries import load_province, load_units_2025
from maps.gistar import Neighbours

FloatArray = npt.NDArray[np.float64]

LABELS: tuple[str, ...] = ("hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "not_significant")
NOT_SIGNIFICANT = "not_significant"
_LEVELS: tuple[tuple[Fraction, str], ...] = (
    (Fraction(1, 100), "99"),
    (Fraction(5, 100), "95"),
    (Fraction(10, 100), "90"),
)
_METRIC_CRS = "EPSG:3405"
COLUMNS: tuple[str, ...] = (
    "count",
    "z",
    "p_sim",
    "as_extreme",
    "significant",
    "label",
    "label_uncorrected",
    "hot_by_neighbours",
)
WEIGHTS_RULE = {
    "queen": "binary: 1 for the unit itself and each unit sharing a border or corner (queen), else 0",
    "kring": "binary: 1 for the cell itself and each tested cell within k grid steps (k-ring), else 0",
}
MAX_PROVINCE_RESOLUTION = 8  # province cells: res 7 1,597; res 8 11,207; res 9 would be about 78,000
Extent = Literal["province", "rings"]


@dataclass(frozen=True)
class HotspotParams:
    """Every setting of one hotspot run; returned with the result so a figure can be reproduced."""

    permutations: int = 999
    seed: int = 20250701
    alpha: float = 0.10
    weights: Literal["queen", "kring"] = "queen"
    k: int = 1
    min_incidents: int = 30
    min_nonzero_areas: int = 5
    alternative: Literal["two-sided", "directed"] = "two-sided"

    def __post_init__(self) -> None:
        """Reject settings the test cannot run with."""
        if self.permutations < 99:
            raise ValueError("permutations must be at least 99")
        if not 0.0 < self.alpha <= 0.20:
            raise ValueError("alpha must be in (0, 0.20]")
        if self.min_incidents < 1 or self.min_nonzero_areas < 2:
            raise ValueError("min_incidents must be at least 1 and min_nonzero_areas at least 2")
        if self.k < 1:
            raise ValueError("k must be at least 1")
        if self.alternative not in ("two-sided", "directed"):
            raise ValueError("alternative must be 'two-sided' or 'directed'")
        if self.weights not in ("queen", "kring"):
            raise ValueError("weights must be 'queen' or 'kring'")


@dataclass(frozen=True)
class Shortage:
    """Why no test was run: ``found`` incidents (or areas with any) where at least ``needed`` are."""

    what: Literal["incidents", "areas"]
    found: float  # incidents may be fractional (split between units by area share); areas are whole
    needed: int


@dataclass(frozen=True, eq=False)
class HotspotResult:
    """One row per area (index: unit code or H3 cell) with columns ``COLUMNS``, plus how it was made.

    ``p_fdr_threshold`` is the FDR cut-off on ``p_sim`` (None when no test was run, and ``shortage`` says why).
    ``params`` holds the ``HotspotParams`` fields plus anything the caller passed as context (period, filters,
    resolution). With too few permutations for the number of areas the smallest attainable p-value is above the
    FDR cut-off for a lone area, so only clusters of at least ``min_fdr_cluster`` areas can be called; a map
    should then say so (or the caller should raise ``permutations``).
    """

    table: pd.DataFrame
    shortage: Shortage | None
    p_fdr_threshold: float | None
    params: dict[str, Any]
    min_fdr_cluster: int = 1

    @property
    def enough_data(self) -> bool:
        """Whether the test was run."""
        return self.shortage is None


def min_fdr_cluster(n_areas: int, params: HotspotParams) -> int:
    """Fewest areas that must all reach the smallest attainable p-value to pass the FDR cut-off.

    Benjamini-Hochberg passes m areas when they have p <= m * alpha / n; the smallest attainable pseudo p is
    1/(P+1), doubled for two-sided. Example: 3,900 H3 cells at 999 permutations need 78 such cells; 9,999 need 8.
    """
    p_floor = (2.0 if params.alternative == "two-sided" else 1.0) / (params.permutations + 1)
    return max(1, int(np.ceil(p_floor * n_areas / params.alpha - 1e-9)))


def queen_neighbours(units: gpd.GeoDataFrame) -> dict[str, list[str]]:
    """Queen-contiguity neighbours by ``code`` (EPSG:4326 input); islands joined to their nearest unit.

    The link is symmetric and by centroid distance in EPSG:3405, so every unit has at least one neighbour.
    """
    codes = [str(c) for c in units["code"]]
    queen = Queen.from_dataframe(units, ids=codes, use_index=False, silence_warnings=True)
    neighbours = {code: set(queen.neighbors[code]) for code in codes}
    islands = [code for code in codes if not neighbours[code]]
    if islands and len(codes) > 1:
        centroids = gpd.GeoSeries(units.to_crs(_METRIC_CRS).geometry.centroid.to_numpy(), index=codes)
        for code in islands:
            distances = centroids.drop(code).distance(centroids[code])
            nearest = str(distances.idxmin())
            neighbours[code].add(nearest)
            neighbours[nearest].add(code)
    return {code: sorted(neighbours[code]) for code in codes}


@functools.cache
def _unit_neighbours() -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Queen neighbours of the 2025 units, cached as tuples in code order."""
    neighbours = queen_neighbours(load_units_2025())
    return tuple(neighbours), tuple(tuple(n) for n in neighbours.values())


def _csr(neighbours: Mapping[str, Sequence[str]]) -> Neighbours:
    """Binary weights in mapping order: each area's neighbours as positions (the area itself implied)."""
    position = {site: i for i, site in enumerate(neighbours)}
    return Neighbours.from_lists([[position[n] for n in neighbours[site]] for site in neighbours])


def unit_neighbours() -> dict[str, list[str]]:
    """Queen neighbours of each 2025 unit (code order), islands joined to their nearest unit."""
    codes, neighbours = _unit_neighbours()
    return {code: list(n) for code, n in zip(codes, neighbours, strict=True)}


def shortage(counts: FloatArray, params: HotspotParams) -> Shortage | None:
    """The one rule for too little data: fewer than ``min_incidents`` incidents or fewer than
    ``min_nonzero_areas`` areas with any; None when there are enough."""
    total = round(float(counts.sum()), 6)
    if total < params.min_incidents:
        return Shortage("incidents", total, params.min_incidents)
    nonzero = int(np.count_nonzero(counts))
    if nonzero < params.min_nonzero_areas:
        return Shortage("areas", nonzero, params.min_nonzero_areas)
    return None


def _label(sign: npt.NDArray[np.int64], p: Sequence[Fraction], significant: npt.NDArray[np.bool_]) -> list[str]:
    """Hot/cold by the exact sign of z, level by the exact p-value; only where significant after FDR."""
    labels = np.full(len(p), NOT_SIGNIFICANT, dtype=object)
    unlabelled = significant & (sign != 0)
    for cut, name in _LEVELS:  # the strictest level first
        at_level = unlabelled & gistar.at_most(p, cut)
        labels[at_level & (sign > 0)] = f"hot_{name}"
        labels[at_level & (sign < 0)] = f"cold_{name}"
        unlabelled &= ~at_level
    return labels.tolist()


def _empty_table(index: pd.Index, counts: FloatArray) -> pd.DataFrame:
    """Every area not significant, no statistic (too little data)."""
    n = counts.size
    nan = np.full(n, np.nan)
    return pd.DataFrame(
        {
            "count": counts,
            "z": nan,
            "p_sim": nan,
            "as_extreme": pd.array([pd.NA] * n, dtype="Int64"),
            "significant": np.zeros(n, dtype=bool),
            "label": [NOT_SIGNIFICANT] * n,
            "label_uncorrected": [NOT_SIGNIFICANT] * n,
            "hot_by_neighbours": np.zeros(n, dtype=bool),
        },
        index=index,
    )


def _run(
    index: pd.Index,
    counts: FloatArray,
    weights: Callable[[], Neighbours],
    params: HotspotParams,
    context: Mapping[str, Any],
) -> HotspotResult:
    """Gi* + FDR + labels, or an all-not-significant table when there is too little data."""
    record = {**asdict(params), "weights_rule": WEIGHTS_RULE[params.weights], **context}
    values = gistar.quantise(counts)
    used = values / gistar.COUNT_SCALE  # the counts exactly as the statistic saw them
    missing = shortage(used, params)
    if missing is not None:
        return HotspotResult(_empty_table(index, used), missing, None, record)
    stat = gistar.gi_star(values, weights(), params.permutations, params.seed, params.alternative)
    threshold, _ = gistar.fdr_cutoff(stat.p, gistar.as_fraction(params.alpha))
    significant = gistar.at_most(stat.p, threshold)
    label = _label(stat.sign, stat.p, significant)
    table = pd.DataFrame(
        {
            "count": used,
            "z": stat.z,
            "p_sim": [float(p) for p in stat.p],
            "as_extreme": pd.array(stat.as_extreme, dtype="Int64"),
            "significant": significant,
            "label": label,
            "label_uncorrected": _label(stat.sign, stat.p, np.ones(counts.size, dtype=bool)),
            "hot_by_neighbours": (values == 0) & (stat.sign > 0),
        },
        index=index,
    )
    return HotspotResult(
        table,
        shortage=None,
        p_fdr_threshold=float(threshold),
        params=record,
        min_fdr_cluster=min_fdr_cluster(counts.size, params),
    )


def hotspots_by_unit(
    counts: pd.Series, params: HotspotParams | None = None, context: Mapping[str, Any] | None = None
) -> HotspotResult:
    """Gi* over the 38 units. ``counts`` is indexed by unit code; missing units count 0, unknown codes raise.

    ``context`` (e.g. period and filters) is stored in ``result.params`` next to the test settings.
    """
    params = params or HotspotParams()
    if params.weights != "queen":
        raise ValueError("hotspots_by_unit uses queen weights")
    codes, _ = _unit_neighbours()
    given = counts.copy()
    given.index = given.index.astype(str)
    unknown = sorted(set(given.index) - set(codes))
    if unknown:
        raise ValueError(f"unknown unit codes: {unknown}")
    if given.index.has_duplicates:
        raise ValueError("counts has duplicate unit codes")
    values = given.reindex(list(codes), fill_value=0).to_numpy(dtype=np.float64)
    if (values < 0).any() or not np.isfinite(values).all():
        raise ValueError("counts must be finite and non-negative")
    index = pd.Index(codes, name="code")
    weights = functools.partial(_csr, unit_neighbours())
    return _run(index, values, weights, params, {"areas": "units_2025", **(context or {})})


def hex_neighbours(cells: Sequence[str], k: int) -> dict[str, list[str]]:
    """Each given cell's other given cells within ``k`` grid steps (the cell itself implied by Gi*)."""
    ids = [h3.str_to_int(cell) for cell in cells]  # on 64-bit integers: no string per ring member
    present = dict(zip(ids, cells, strict=True))
    disk = basic_int.grid_disk
    return {
        cell: sorted(present[n] for n in disk(i, k) if n != i and n in present)
        for cell, i in zip(cells, ids, strict=True)
    }


@functools.cache
def _province_cells(resolution: int) -> frozenset[str]:
    """H3 cells whose centre lies in the province outline, cached per resolution."""
    outline = load_province().geometry.iloc[0]
    return frozenset(h3.geo_to_cells(outline.__geo_interface__, resolution))


def _hex_areas(occupied: pd.Series, resolution: int, k: int, extent: Extent) -> pd.Series:
    """Counts over the study cells, sorted by cell; see ``hotspots_by_hex`` for which cells are included."""
    areas: set[str]
    if extent == "province":
        base = set(_province_cells(resolution)) | {str(c) for c in occupied.index}
        isolated = [c for c in occupied.index if not (set(h3.grid_disk(c, k)) - {c}) & base]
        areas = base.union(*(h3.grid_disk(c, k) for c in isolated))
    else:
        areas = {n for cell in occupied.index for n in h3.grid_disk(cell, k)}
    return occupied.reindex(sorted(areas), fill_value=0)


def hotspots_by_hex(
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    resolution: int,
    params: HotspotParams | None = None,
    context: Mapping[str, Any] | None = None,
    extent: Extent | None = None,
) -> HotspotResult:
    """Gi* over H3 cells at ``resolution`` with k-ring weights; points with non-finite lon/lat are dropped.

    Which cells are tested (``extent``; default "province" up to resolution ``MAX_PROVINCE_RESOLUTION``,
    "rings" above, where the province holds too many cells):

    * "province": every cell whose centre is in the province (count 0 if empty) plus every occupied cell;
      an occupied cell with no tested cell within ``k`` steps (a stray GPS fix far outside) also brings its
      k-ring, so it is never an island. Empty land inside the province is compared fairly, and no band of
      invented zeros along the province edge makes border cells look cold.
    * "rings": occupied cells plus every cell within ``k`` steps of one (count 0).

    The table is indexed by cell, sorted.
    """
    params = params or HotspotParams(weights="kring")
    if params.weights != "kring":
        raise ValueError("hotspots_by_hex uses k-ring weights")
    if not 0 <= resolution <= 15:
        raise ValueError("resolution must be 0..15")
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("lon and lat must be 1-D arrays of the same length")
    keep = np.isfinite(x) & np.isfinite(y)
    if extent is None:
        extent = "province" if resolution <= MAX_PROVINCE_RESOLUTION else "rings"
    if extent not in ("province", "rings"):
        raise ValueError("extent must be 'province' or 'rings'")
    counts = _hex_areas(hexbins.cell_counts(x[keep], y[keep], resolution), resolution, params.k, extent)
    record = {
        "areas": "h3",
        "resolution": resolution,
        "extent": extent,
        "points_dropped": int((~keep).sum()),
        **(context or {}),
    }
    index = pd.Index(counts.index.astype(str), name="cell")
    cells = list(index)
    return _run(index, counts.to_numpy(dtype=np.float64), lambda: _csr(hex_neighbours(cells, params.k)), params, record)
