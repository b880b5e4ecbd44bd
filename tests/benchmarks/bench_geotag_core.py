"""Benchmark of maps.geotag: vectorized tagging vs a plain per-point contains() loop.

Run: ``.venv/bin/python tests/benchmarks/bench_geotag_core.py [--n 100000] [--smoke]``. Not collected by
pytest (the file name does not start with ``test_``). Other benchmark scripts import ``run_core`` and
``inside_points``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # run as a script from anywhere: make `maps` importable
    sys.path.insert(0, str(_ROOT))

import aims  # noqa: E402
from shapely.geometry import Point  # noqa: E402

from maps.boundaries import load_units_2025  # noqa: E402
from maps.geotag import Geotagger, sample_points  # noqa: E402

AIM_POINTS_PER_S = 250_000.0
AIM_RATIO = 10.0
SEED = 20250701
LOOP_SAMPLE = 5_000
REPEATS = 5


def _loop_units(lon: list[float], lat: list[float]) -> list[str | None]:
    """Reference: for each point, contains() over the 38 unit polygons in code order."""
    units = load_units_2025()
    polygons = list(zip(units["code"], units.geometry, strict=True))
    found: list[str | None] = []
    for x, y in zip(lon, lat, strict=True):
        point = Point(x, y)
        found.append(next((code for code, polygon in polygons if polygon.contains(point)), None))
    return found


def run_core(n: int = 100_000, repeats: int = REPEATS) -> dict[str, float]:
    """Measure vectorized and loop geotagging throughput on n random points (median of `repeats` runs)."""
    start = time.perf_counter()
    tagger = Geotagger.from_bundled()
    build_s = time.perf_counter() - start
    lon, lat = sample_points(n, seed=SEED)
    tagger.tag(lon[:1_000], lat[:1_000])  # warm-up
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = tagger.tag(lon, lat)
        timings.append(time.perf_counter() - start)
    vectorized_s = statistics.median(timings)

    m = min(n, LOOP_SAMPLE)
    sub_lon, sub_lat = lon[:m].tolist(), lat[:m].tolist()
    start = time.perf_counter()
    expected = _loop_units(sub_lon, sub_lat)
    loop_s = time.perf_counter() - start
    agree = sum(a == b for a, b in zip(expected, result.unit_2025[:m].tolist(), strict=True))

    vectorized_rate = n / vectorized_s
    loop_rate = m / loop_s
    return {
        "n": float(n),
        "repeats": float(repeats),
        "build_seconds": build_s,
        "vectorized_seconds": vectorized_s,
        "vectorized_points_per_s": vectorized_rate,
        "loop_points": float(m),
        "loop_points_per_s": loop_rate,
        "ratio": vectorized_rate / loop_rate,
        "loop_agreement": agree / m if m else 1.0,
        "inside_share": float((result.unit_2025 != None).mean()),  # noqa: E711 (element-wise)
    }


def inside_points(n: int) -> list[tuple[float, float]]:
    """n random points that fall in both a 2025 unit and a 2024 district (so geotag answers 200)."""
    lon, lat = sample_points(n * 4, seed=SEED + 1)
    tags = Geotagger.from_bundled().tag(lon, lat)
    keep = (tags.unit_2025 != None) & (tags.district_2024 != None)  # noqa: E711 (element-wise)
    points = list(zip(lon[keep].tolist(), lat[keep].tolist(), strict=True))[:n]
    if not points:
        raise SystemExit("no sample point fell inside the province")
    return points


def print_core(figures: dict[str, float]) -> None:
    """Print the figures of run_core as human-readable lines."""
    rate, loop_rate, ratio = (
        figures["vectorized_points_per_s"],
        figures["loop_points_per_s"],
        figures["ratio"],
    )
    print(f"geotagger build: {figures['build_seconds'] * 1000:,.0f} ms (load files, prepare 46 polygons)")
    print(
        f"geotag vectorized: {rate:,.0f} points/s "
        f"({figures['n']:,.0f} points, units + districts, median of {figures['repeats']:.0f} runs, "
        f"{figures['inside_share']:.0%} inside the province)"
    )
    print(f"geotag loop: {loop_rate:,.0f} points/s ({figures['loop_points']:,.0f} points, 38 units only)")
    print(f"loop agreement (units): {figures['loop_agreement']:.2%}")
    met = aims.aim("geotag vectorized / per-point loop", f"{ratio:,.1f}x", f">= {AIM_RATIO:.0f}x", ratio >= AIM_RATIO)
    print(f"ratio vectorized/loop: {ratio:,.1f}x (aim >= {AIM_RATIO:.0f}x): {met}")
    aim_rate = f">= {AIM_POINTS_PER_S:,.0f} points/s"
    met = aims.aim("geotag vectorized, points/s", f"{rate:,.0f}", aim_rate, rate >= AIM_POINTS_PER_S)
    print(f"aim {AIM_POINTS_PER_S:,.0f} points/s: {met}")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="number of random points")
    args = aims.parse(parser)
    if args.smoke:
        args.n = 2_000
    aims.run(lambda: print_core(run_core(args.n, 1 if args.smoke else REPEATS)), timed=False)


if __name__ == "__main__":
    main()
