"""Tests of maps.gistar: Gi* z and permutation p on a 3x3 lattice against a hand computation, and esda."""

from __future__ import annotations

import math
from fractions import Fraction

import esda
import numpy as np
import pytest
from esda.crand import compute_chunk
from esda.getisord import _g_local_star_crand
from libpysal.weights import lat2W

from maps import gistar, hotspots
from maps.gistar import Neighbours

# 3 x 3 lattice, queen contiguity, row-major positions:  0 1 2 / 3 4 5 / 6 7 8
VALUES = [9, 7, 1, 8, 6, 0, 2, 0, 3]
P, SEED = 999, 11


def _queen_3x3() -> list[list[int]]:
    cells = [(r, c) for r in range(3) for c in range(3)]
    return [
        [j for j, (r2, c2) in enumerate(cells) if (r2, c2) != (r, c) and abs(r - r2) <= 1 and abs(c - c2) <= 1]
        for r, c in cells
    ]


def _hand_z(i: int) -> float:
    """Getis-Ord (1992) Gi* z with binary weights, the site included, written out from the formula."""
    n = len(VALUES)
    mean = sum(VALUES) / n
    s = math.sqrt(sum(v * v for v in VALUES) / n - mean**2)
    sites = [i, *_queen_3x3()[i]]
    w = len(sites)  # sum of w_ij = sum of w_ij² for binary weights
    return (sum(VALUES[j] for j in sites) - mean * w) / (s * math.sqrt((n * w - w * w) / (n - 1)))


def _hand_p(i: int) -> float:
    """Replay of the documented permutations with plain integers: two-sided (k + 1) / (P + 1), doubled."""
    rng = np.random.default_rng(SEED)
    neighbours = _queen_3x3()
    width = max(len(row) for row in neighbours)
    others = [v for j, v in enumerate(VALUES) if j != i]
    observed = sum(VALUES[j] for j in neighbours[i])
    greater = lesser = 0
    for _ in range(P):
        draw = rng.choice(len(VALUES) - 1, size=width, replace=False)[: len(neighbours[i])]
        total = sum(others[int(d)] for d in draw)
        greater += total >= observed
        lesser += total <= observed
    return min(1.0, 2 * (min(greater, lesser) + 1) / (P + 1))


def _stat() -> gistar.GiStar:
    values = gistar.quantise(VALUES)
    return gistar.gi_star(values, Neighbours.from_lists(_queen_3x3()), P, SEED, "two-sided")


@pytest.mark.parametrize("site", range(9))
def test_gi_star_z_and_p_equal_the_hand_computation_on_a_3x3_lattice(site: int) -> None:
    stat = _stat()
    if site == 4:  # the centre's neighbourhood is the whole lattice: no z
        assert math.isnan(stat.z[site])
    else:
        assert stat.z[site] == pytest.approx(_hand_z(site), abs=1e-9)
    assert float(stat.p[site]) == pytest.approx(_hand_p(site), abs=1e-9)


def test_centre_of_3x3_draws_every_other_site_so_its_p_is_exactly_one() -> None:
    stat = _stat()
    assert stat.greater[4] == stat.lesser[4] == P  # every permutation ties with the observed sum
    assert stat.p[4] == 1


def test_corner_with_the_largest_values_is_hot_with_a_positive_z() -> None:
    stat = _stat()
    assert stat.z[0] > 1.96
    assert stat.sign[0] == 1
    assert stat.p[0] <= Fraction(1, 20)


def test_p_exactly_at_005_and_010_get_their_level() -> None:
    p = [Fraction(5, 100), Fraction(10, 100), Fraction(10, 100), Fraction(101, 1000)]
    sign = np.array([1, 1, -1, 1], dtype=np.int64)
    assert hotspots._label(sign, p, [True] * 4) == ["hot_95", "hot_90", "cold_90", "not_significant"]
    # what the API publishes: the double nearest the fraction, which compares as the reader expects
    assert float(Fraction(10, 100)) <= 0.10
    assert float(Fraction(1, 20)) <= 0.05


def test_fdr_cutoff_is_benjamini_hochberg_with_ties_at_the_bound_included() -> None:
    alpha = gistar.as_fraction(0.10)
    p = [Fraction(1, 40), Fraction(1, 20), Fraction(1, 2), Fraction(1)]  # 1/20 == 2 * 0.1 / 4 exactly
    assert gistar.fdr_cutoff(p, alpha) == (Fraction(1, 20), 2)
    assert gistar.fdr_cutoff([Fraction(1, 2)] * 4, alpha) == (Fraction(1, 40), 0)


def test_fractional_counts_are_used_on_a_one_millionth_grid() -> None:
    values = gistar.quantise([0.1, 0.2, 0.30000000000000004, 411.6437])
    assert list(values) == [100_000, 200_000, 300_000, 411_643_700]
    assert values[0] + values[1] == values[2]  # 0.1 + 0.2 == 0.3 on the grid, unlike in floats
    with pytest.raises(ValueError, match="non-negative"):
        gistar.quantise([1.0, -0.5])


def test_esda_cross_check_same_z_and_same_counts_through_esdas_permutation_engine() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 10**6, 25).astype(np.float64)  # no ties: esda's float comparisons are then exact
    w = lat2W(5, 5, rook=False)
    lists = [sorted(w.neighbors[i]) for i in range(25)]
    ours = gistar.gi_star(gistar.quantise(y), Neighbours.from_lists(lists), 199, 5, "directed")
    binary = lat2W(5, 5, rook=False)
    star = esda.G_Local(y, binary, transform="B", permutations=0, star=True)
    np.testing.assert_allclose(ours.z, star.Zs, atol=1e-9)
    ids = gistar.permutation_ids(25, max(len(r) for r in lists), 199, 5)
    sparse = star.w.sparse.copy().tocsr()
    self_weights = sparse.diagonal()
    sparse.setdiag(0)
    sparse.eliminate_zeros()
    cards = np.diff(sparse.indptr)
    args = (0, y, y, star.Gs, cards, self_weights, sparse.data.astype(y.dtype), ids, y.sum(), False)
    greater, _ = compute_chunk(*args, _g_local_star_crand, 0, alternative="greater")
    np.testing.assert_array_equal(np.rint(np.asarray(greater, dtype=np.float64) * 200) - 1, ours.greater)


def test_tail_counts_equal_a_direct_count_over_every_permutation_with_ties_and_mixed_neighbour_counts() -> None:
    """The sweep over areas (gistar._tail_counts) counts the same permutations as gathering each area's draws."""
    rng = np.random.default_rng(17)
    n = 300
    lists = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        lists.append(sorted(int(j) for j in rng.choice(others, size=int(rng.integers(1, 8)), replace=False)))
    values = gistar.quantise(rng.integers(0, 4, n) * 0.5)  # many ties, many zeros
    neighbours = Neighbours.from_lists(lists)
    stat = gistar.gi_star(values, neighbours, 199, 9, "directed")
    ids = gistar.permutation_ids(n, 7, 199, 9)
    for i in range(n):
        others = np.delete(values, i)
        k = len(lists[i])
        sums = others[ids[:, :k]].sum(axis=1)
        observed = values[lists[i]].sum()
        assert (stat.greater[i], stat.lesser[i]) == ((sums >= observed).sum(), (sums <= observed).sum()), i
