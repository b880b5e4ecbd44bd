"""Getis-Ord Gi* with binary weights: the analytic z-score and an exact conditional-permutation p-value.

Pure and exact where a threshold is decided (STYLE rule 8):

* Counts are put on a grid of ``1 / COUNT_SCALE`` incidents (``quantise``) and held as integers, so every
  neighbourhood sum is exact and two equal sums are equal.
* z is Getis and Ord's (1992; Ord and Getis 1995) standard Gi* z for binary weights with the area itself
  included (w_ii = 1, w_ij = 1 for each neighbour, else 0): with W_i = k_i + 1 the weights of i, S_i the sum
  over them, x̄ the mean and s the population standard deviation of the counts over the n areas,
  ``z_i = (S_i - W_i x̄) / (s sqrt((n W_i - W_i²) / (n - 1))))``. It is invariant to scaling the counts, so it
  is computed from the integers; its sign is decided exactly (``n S_i - W_i Σx``). An area whose neighbourhood
  is every area has no z (NaN) and is never labelled.
* Conditional permutation: ``rng = numpy.random.default_rng(seed)``; permutation r (0 .. P-1) is
  ``rng.choice(n - 1, size=m, replace=False)`` with m the largest number of neighbours. For area i the draws
  index the other n - 1 areas in order (area i left out); its first k_i draws are its random neighbours.
  ``greater`` counts permutations whose neighbourhood sum is >= the observed one, ``lesser`` those <= (ties
  count as extreme, decided on integers). ``as_extreme`` = min(greater, lesser); the directed p is
  (as_extreme + 1) / (P + 1) and the two-sided p twice that, at most 1, both as exact fractions.
* Benjamini-Hochberg on those fractions: the largest m with p_(m) <= m alpha / n; areas with p <= m alpha / n
  are significant (none when m = 0; the cut-off is then reported as alpha / n).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
COUNT_DECIMALS = 6
COUNT_SCALE = 10**COUNT_DECIMALS
Alternative = Literal["two-sided", "directed"]


@dataclass(frozen=True)
class Neighbours:
    """Binary weights as CSR arrays: the neighbours of area i (itself excluded) are indices[indptr[i]:indptr[i+1]]."""

    indptr: IntArray
    indices: IntArray

    @classmethod
    def from_lists(cls, lists: Sequence[Sequence[int]]) -> Neighbours:
        """From one list of neighbour positions per area (no self, no duplicates)."""
        lengths = np.array([len(row) for row in lists], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        flat = [j for row in lists for j in row]
        return cls(indptr, np.asarray(flat, dtype=np.int64))

    @property
    def cardinalities(self) -> IntArray:
        """Number of neighbours of each area (the area itself not counted)."""
        cards: IntArray = np.diff(self.indptr)
        return cards


@dataclass(frozen=True)
class GiStar:
    """Per area: z, permutations at least as extreme (``greater``, ``lesser``, ``as_extreme``) and p as a fraction."""

    z: FloatArray
    greater: IntArray
    lesser: IntArray
    as_extreme: IntArray
    p: list[Fraction]
    sign: IntArray  # sign of S_i - W_i x̄, decided on integers


def quantise(counts: npt.ArrayLike) -> IntArray:
    """Counts on the grid of 1/COUNT_SCALE incidents, as int64 (finite, >= 0, small enough to sum exactly)."""
    values = np.asarray(counts, dtype=np.float64)
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError("counts must be finite and non-negative")
    if values.sum() * COUNT_SCALE > 2**52:
        raise ValueError("counts are too large to be summed exactly")
    grid: IntArray = np.rint(values * COUNT_SCALE).astype(np.int64)
    return grid


def neighbourhood_sums(values: IntArray, neighbours: Neighbours) -> IntArray:
    """S_i: the area's own value plus its neighbours' (exact)."""
    rows = np.repeat(np.arange(values.size), neighbours.cardinalities)
    sums = values.copy()
    np.add.at(sums, rows, values[neighbours.indices])
    return sums


def z_scores(values: IntArray, neighbours: Neighbours) -> tuple[FloatArray, IntArray]:
    """The Getis-Ord Gi* z of each area and the exact sign of its numerator."""
    n = values.size
    total = int(values.sum())
    squares = sum(int(v) * int(v) for v in values)
    spread = n * squares - total * total  # n² s², exact
    weights = neighbours.cardinalities + 1
    sums = neighbourhood_sums(values, neighbours)
    numerators = [n * int(s) - int(w) * total for s, w in zip(sums, weights, strict=True)]  # n (S_i - W_i x̄)
    sign = np.sign(np.array(numerators, dtype=np.float64)).astype(np.int64)
    if spread == 0:
        return np.zeros(n), sign
    root = math.sqrt(spread)
    z = [_z(num, root, n, int(w)) for num, w in zip(numerators, weights, strict=True)]
    sign[weights >= n] = 0
    return np.asarray(z, dtype=np.float64), sign


def _z(numerator: int, root: float, n: int, w: int) -> float:
    """One z; NaN when the neighbourhood is every area (S_i is then the total whatever the data)."""
    if w >= n:
        return math.nan
    return numerator / (root * math.sqrt((n * w - w * w) / (n - 1)))


@functools.lru_cache(maxsize=16)
def permutation_ids(n_areas: int, max_neighbours: int, permutations: int, seed: int) -> IntArray:
    """(permutations, max_neighbours) draws without replacement from the other n - 1 areas (see module doc).

    Kept for the last few settings (read-only): the same areas at the same settings draw the same permutations,
    and drawing 9,999 of them one by one costs about 80 ms.
    """
    rng = np.random.default_rng(seed)
    ids = np.empty((permutations, max_neighbours), dtype=np.int64)
    for r in range(permutations):
        ids[r] = rng.choice(n_areas - 1, size=max_neighbours, replace=False)
    ids.flags.writeable = False
    return ids


def _tail_counts(values: IntArray, neighbours: Neighbours, ids: IntArray) -> tuple[IntArray, IntArray]:
    """Per area, permutations with a neighbourhood sum >= and <= the observed one.

    For area i a draw d stands for area d + (d >= i) (area i left out). With a permutation's k draws sorted,
    its sum for area i is ``table[r, p]``: the draws below i taken as they are, the p-th and later ones shifted
    by one; p, the number of draws below i, only grows with i. So the areas of one cardinality are swept in
    order, each permutation's sum updated only when i passes one of its draws (k updates per permutation in
    all), and each area compares the P current sums with its own: P x areas comparisons, all on integers.
    """
    n = values.size
    cards = neighbours.cardinalities
    observed = neighbourhood_sums(values, neighbours) - values
    greater = np.zeros(n, dtype=np.int64)
    lesser = np.zeros(n, dtype=np.int64)
    shifted_gain = values[1:] - values[:-1]  # what draw d adds when it stands for area d + 1
    permutations = ids.shape[0]
    for k in np.unique(cards).tolist():
        sites = np.flatnonzero(cards == k)
        draws = np.sort(ids[:, :k], axis=1)
        table = np.zeros((permutations, k + 1), dtype=np.int64)
        table[:, :k] = np.cumsum(shifted_gain[draws][:, ::-1], axis=1)[:, ::-1]
        table += values[draws].sum(axis=1)[:, None]
        order = np.argsort(draws, axis=None, kind="stable")
        drawn, row_of = draws.ravel()[order], order // k
        below = np.zeros(permutations, dtype=np.int64)  # draws of each permutation below the current area
        sums = table[:, 0].copy()
        done = 0
        for site, end in zip(sites.tolist(), np.searchsorted(drawn, sites, side="left").tolist(), strict=True):
            if end > done:
                passed = row_of[done:end]
                np.add.at(below, passed, 1)
                sums[passed] = table[passed, below[passed]]
                done = end
            greater[site] = np.count_nonzero(sums >= observed[site])
            lesser[site] = np.count_nonzero(sums <= observed[site])
    return greater, lesser


def gi_star(values: IntArray, neighbours: Neighbours, permutations: int, seed: int, alternative: Alternative) -> GiStar:
    """z, tail counts and exact pseudo p-values of Gi* over the quantised ``values``."""
    z, sign = z_scores(values, neighbours)
    max_card = int(neighbours.cardinalities.max()) if values.size else 0
    if max_card == 0 or values.size < 2:
        raise ValueError("every area needs at least one neighbour")
    ids = permutation_ids(values.size, max_card, permutations, seed)
    greater, lesser = _tail_counts(values, neighbours, ids)
    as_extreme = np.minimum(greater, lesser)
    factor = 2 if alternative == "two-sided" else 1
    p = [min(Fraction(1), Fraction(factor * (int(k) + 1), permutations + 1)) for k in as_extreme]
    return GiStar(z, greater, lesser, as_extreme, p, sign)


def at_most(p: Sequence[Fraction], bound: Fraction) -> npt.NDArray[np.bool_]:
    """Exactly which fractions are <= ``bound``, compared on their integers (a/b <= c/d when a d <= c b)."""
    c, d = bound.numerator, bound.denominator
    return np.fromiter((v.numerator * d <= c * v.denominator for v in p), dtype=bool, count=len(p))


def _ordered(p: Sequence[Fraction]) -> list[Fraction]:
    """The fractions in ascending order. Floats order them exactly when every denominator is under 2**26: two
    different fractions in [0, 1] then differ by more than 2**-52, more than the rounding of either."""
    if all(v.denominator < 2**26 and 0 <= v <= 1 for v in p):
        return sorted(p, key=float)
    return sorted(p)


def fdr_cutoff(p: Sequence[Fraction], alpha: Fraction) -> tuple[Fraction, int]:
    """Benjamini-Hochberg: the cut-off m alpha / n (alpha / n when m = 0) and m, decided exactly."""
    n = len(p)
    a, b = alpha.numerator, alpha.denominator
    # p_(rank) <= rank alpha / n, on integers: p.numerator b n <= rank a p.denominator
    passed = max(
        (rank for rank, v in enumerate(_ordered(p), start=1) if v.numerator * b * n <= rank * a * v.denominator),
        default=0,
    )
    return (passed if passed else 1) * alpha / n, passed


def as_fraction(value: float) -> Fraction:
    """A decimal setting (alpha 0.1, a level 0.05) as the exact fraction it is written as."""
    return Fraction(repr(float(value)))
