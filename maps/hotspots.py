"""Getis-Ord Gi* hot and cold spots over the 38 units (queen contiguity) and over H3 cells (k-ring).

Pure: arrays and frames in, frames out (STYLE rule 8).

Method, identical for units and hexagons:

* Gi* (``esda.G_Local`` with ``star=True``, row-standardised weights including the site itself) gives the
  statistic and its z-score.
* Pseudo p-values come from esda's conditional-permutation engine (``esda.crand.crand``) with a fixed seed.
  We call the engine ourselves rather than through ``G_Local(permutations=...)`` because ``G_Local`` passes no
  alternative: esda then warns (DeprecationWarning) and silently uses its "directed" p-value, announced to change
  in the next major release. We run the "greater" and "lesser" tails (same seed, so the same permutations),
  each (#at-least-as-extreme + 1) / (P + 1), take the smaller ("directed") and, for the default
  ``alternative="two-sided"``, double it (capped at 1). Neither esda "two-sided" nor "directed" is used, as both
  mishandle ties, which count data is full of: "two-sided" cuts at percentiles and returned p = 0.03 for a
  cell with z = 16.7; "directed" counts the lower tail as #(sim < observed), so every all-zero neighbourhood
  came out cold at p = 1/(P+1) (both measured on H3 cells). The statistic function is esda's Gi* one, so the
  permutations are exactly those ``G_Local`` would run. Pinning all this keeps published figures reproducible
  across esda versions.
* The false-discovery-rate cut-off (``esda.fdr``, Benjamini-Hochberg at ``alpha``) is applied first; only
  areas at or under it are labelled, as hot or cold by the sign of the z-score, at the 99/95/90 % level of
  their pseudo p-value.
* ``label_uncorrected`` is the same labelling without the FDR cut-off: indicative only. On the 38 units a small
  cluster cannot pass FDR at all with conditional permutation: for a unit with k neighbours the chance that the
  permutation puts the cluster's other two units among them is about k(k-1)/(37*36), 0.015 for k = 5, so a
  three-unit cluster's p-values stay near 0.01-0.03, above Benjamini-Hochberg's 3 * 0.10 / 38 = 0.0079 however
  many incidents it holds. Maps show such units as "indicative" and point to the hexagon test, which has the
  areas to find them.
* With fewer than ``min_incidents`` incidents or fewer than ``min_nonzero_areas`` areas with any incident, no
  test is run: every area is ``not_significant``, ``enough_data`` is False and ``reason`` says why.

Islands (units with no queen neighbour): each is joined to its nearest unit by centroid distance (EPSG:3405,
VN-2000 / UTM 48N), symmetrically. A self-only island would have a Gi* equal to its own share and no
permutation distribution, so it could never be tested; a nearest-neighbour link keeps it comparable. The 2025
Lai Châu units have no islands, so this only guards against future boundary files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from types import SimpleNamespace
from typing import Any, Literal

import esda
import geopandas as gpd
import h3
import numpy as np
import numpy.typing as npt
import pandas as pd
from esda.crand import crand
from esda.getisord import _g_local_star_crand
from libpysal.weights import Queen, W

from maps.boundaries import load_province, load_units_2025

FloatArray = npt.NDArray[np.float64]

LABELS: tuple[str, ...] = ("hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "not_significant")
NOT_SIGNIFICANT = "not_significant"
_LEVELS: tuple[tuple[float, str], ...] = ((0.01, "99"), (0.05, "95"), (0.10, "90"))
_METRIC_CRS = "EPSG:3405"
COLUMNS: tuple[str, ...] = ("count", "gi", "gi_z", "p_sim", "significant", "label", "label_uncorrected")
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


@dataclass(frozen=True, eq=False)
class HotspotResult:
    """One row per area (index: unit code or H3 cell) with columns ``COLUMNS``, plus how it was made.

    ``p_fdr_threshold`` is the FDR cut-off on ``p_sim`` (None when no test was run). ``params`` holds the
    ``HotspotParams`` fields plus anything the caller passed as context (period, filters, resolution).
    ``power_note`` is set when the permutations are too few for the number of areas: the smallest attainable
    p-value is above the FDR cut-off for a lone area, so only clusters of at least ``min_fdr_cluster``
    areas can be called; a map should then say so (or the caller should raise ``permutations``).
    """

    table: pd.DataFrame
    enough_data: bool
    reason: str | None
    p_fdr_threshold: float | None
    params: dict[str, Any]
    min_fdr_cluster: int = 1
    power_note: str | None = None


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


def _binary_w_with_self(neighbours: Mapping[str, Sequence[str]]) -> W:
    """Binary W with each site its own neighbour (weight 1), as Gi* needs; row order = mapping order.

    Built directly rather than with ``libpysal.weights.fill_diagonal``, which rebuilds the W and warns about
    disconnected components (expected for H3 cells: separate groups of occupied cells).
    """
    ids = list(neighbours)
    full = {site: [site, *neighbours[site]] for site in ids}
    return W(full, id_order=ids, silence_warnings=True)


def unit_weights() -> W:
    """Return a fresh binary queen-contiguity W over the 38 units incl. self-weights, ids = codes (islands handled)."""
    codes, neighbours = _unit_neighbours()
    return _binary_w_with_self(dict(zip(codes, neighbours, strict=True)))


def _shortage(counts: FloatArray, params: HotspotParams) -> str | None:
    """Return why there are too few incidents for Gi* to mean anything, or None when there are enough."""
    total = int(counts.sum())
    nonzero = int(np.count_nonzero(counts))
    if total < params.min_incidents:
        return f"only {total} incidents; at least {params.min_incidents} are needed"
    if nonzero < params.min_nonzero_areas:
        return f"incidents in only {nonzero} areas; at least {params.min_nonzero_areas} are needed"
    return None


def _label(z: FloatArray, p: FloatArray, significant: npt.NDArray[np.bool_]) -> list[str]:
    """Hot/cold by the sign of z, level by the pseudo p-value; only where significant after FDR."""
    labels = []
    for zi, pi, sig in zip(z, p, significant, strict=True):
        level = next((name for cut, name in _LEVELS if pi <= cut), None)
        if not sig or level is None or zi == 0:
            labels.append(NOT_SIGNIFICANT)
        else:
            labels.append(f"{'hot' if zi > 0 else 'cold'}_{level}")
    return labels


def _one_tailed(stat: Any, params: HotspotParams, alternative: str) -> FloatArray:
    """Pseudo p-value (#as-or-more-extreme + 1) / (P + 1) in one tail; ties count as extreme.

    crand reads only ``w.sparse`` and zeroes its diagonal in place, so it gets a copy each time.
    """
    p_sim, _ = crand(
        stat.y,
        SimpleNamespace(sparse=stat.w.sparse.copy()),
        stat.Gs,
        params.permutations,
        False,
        n_jobs=1,
        stat_func=_g_local_star_crand,
        scaling=stat.y.sum(),
        seed=params.seed,
        alternative=alternative,
    )
    return np.asarray(p_sim, dtype=np.float64)


def _gi_star(counts: FloatArray, w: W, params: HotspotParams) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return (Gi*, z, pseudo p) for counts over w (see the module docstring for the p-value)."""
    if np.ptp(counts) == 0:
        # Every area has the same count: with row-standardised weights Gi* = 1/n = its expectation everywhere,
        # and esda's z-score would be 0/0. Nothing to test.
        n = counts.size
        return np.full(n, 1.0 / n), np.zeros(n), np.ones(n)
    stat = esda.G_Local(counts, w, transform="R", permutations=0, star=True)
    greater = _one_tailed(stat, params, "greater")
    lesser = _one_tailed(stat, params, "lesser")
    p = np.minimum(greater, lesser)
    if params.alternative == "two-sided":
        p = np.minimum(1.0, 2.0 * p)
    return np.asarray(stat.Gs, dtype=np.float64), np.asarray(stat.Zs, dtype=np.float64), p


def _run(
    index: pd.Index, counts: FloatArray, weights: Callable[[], W], params: HotspotParams, context: Mapping[str, Any]
) -> HotspotResult:
    """Gi* + FDR + labels, or an all-not-significant table when there is too little data."""
    record = {**asdict(params), **context}
    reason = _shortage(counts, params)
    n = counts.size
    if reason is not None:
        nan = np.full(n, np.nan)
        table = pd.DataFrame(
            {
                "count": counts.astype(np.int64),
                "gi": nan,
                "gi_z": nan,
                "p_sim": nan,
                "significant": np.zeros(n, dtype=bool),
                "label": [NOT_SIGNIFICANT] * n,
                "label_uncorrected": [NOT_SIGNIFICANT] * n,
            },
            index=index,
        )
        return HotspotResult(table, enough_data=False, reason=reason, p_fdr_threshold=None, params=record)
    gi, z, p = _gi_star(counts, weights(), params)
    threshold = float(esda.fdr(p, params.alpha))
    significant = p <= threshold
    table = pd.DataFrame(
        {
            "count": counts.astype(np.int64),
            "gi": gi,
            "gi_z": z,
            "p_sim": p,
            "significant": significant,
            "label": _label(z, p, significant),
            "label_uncorrected": _label(z, p, np.ones(n, dtype=bool)),
        },
        index=index,
    )
    cluster = min_fdr_cluster(n, params)
    note = None
    if cluster > 1:
        note = (
            f"with {params.permutations} permutations over {n} areas, only groups of at least {cluster} areas"
            " can pass the FDR cut-off"
        )
    return HotspotResult(
        table,
        enough_data=True,
        reason=None,
        p_fdr_threshold=threshold,
        params=record,
        min_fdr_cluster=cluster,
        power_note=note,
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
    return _run(index, values, unit_weights, params, {"areas": "units_2025", **(context or {})})


def hex_weights(cells: Sequence[str], k: int) -> W:
    """Binary W linking each cell to itself and the other given cells within ``k`` grid steps (ids = cells)."""
    present = set(cells)
    neighbours = {cell: sorted(n for n in h3.grid_disk(cell, k) if n != cell and n in present) for cell in cells}
    return _binary_w_with_self(neighbours)


@functools.cache
def _province_cells(resolution: int) -> frozenset[str]:
    """H3 cells whose centre lies in the province outline, cached per resolution."""
    outline = load_province().geometry.iloc[0]
    return frozenset(h3.geo_to_cells(outline.__geo_interface__, resolution))


def _cell_counts(lon: FloatArray, lat: FloatArray, resolution: int) -> pd.Series:
    """Number of points per occupied H3 cell."""
    cells = [h3.latlng_to_cell(float(y), float(x), resolution) for x, y in zip(lon, lat, strict=True)]
    return pd.Series(cells, dtype=object).value_counts()


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
    counts = _hex_areas(_cell_counts(x[keep], y[keep], resolution), resolution, params.k, extent)
    record = {
        "areas": "h3",
        "resolution": resolution,
        "extent": extent,
        "points_dropped": int((~keep).sum()),
        **(context or {}),
    }
    index = pd.Index(counts.index.astype(str), name="cell")
    cells = list(index)
    return _run(index, counts.to_numpy(dtype=np.float64), lambda: hex_weights(cells, params.k), params, record)
