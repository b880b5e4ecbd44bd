"""What every bench reports, and its smoke switch: aims (figure, aim, met) and plain figures, as JSON records.

A bench calls ``parse(parser)`` (adds ``--smoke``), ``aim(...)`` for every aim it judges, ``figure(...)`` for a
figure without an aim, and runs through ``run(name, bench)`` (harness.run_main does). When the environment names
a folder in BENCH_AIMS_DIR, each record is appended at once to ``<folder>/<bench>.jsonl``: a ``start`` record,
one per aim or figure, and an ``end`` record saying whether the bench finished. ``summary.py`` reads the folder
and prints one table; ``make bench`` runs it last.

Smoke mode (``--smoke``): tiny sizes, every code path of the full bench, nothing judged: ``verdict`` answers
"not judged (smoke)" and the records say so (``met`` is null). tests/test_benchmarks_smoke.py runs every bench
so. This module imports nothing of the project: bench_geotag_core.py uses it without the database harness.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

AIMS_DIR_ENV = "BENCH_AIMS_DIR"
NOT_JUDGED = "not judged (smoke)"
_state: dict[str, Any] = {"smoke": False, "bench": Path(sys.argv[0]).stem or "bench"}


def parse(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The bench's arguments with ``--smoke`` added; smoke mode set from it."""
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, every code path, nothing judged (CI)")
    args = parser.parse_args()
    _state["smoke"] = bool(args.smoke)
    return args


def is_smoke() -> bool:
    return bool(_state["smoke"])


def verdict(met: bool) -> str:
    """'met' or 'NOT met'; in smoke mode nothing is judged."""
    if is_smoke():
        return NOT_JUDGED
    return "met" if met else "NOT met"


def _write(record: dict[str, Any]) -> None:
    folder = os.environ.get(AIMS_DIR_ENV)
    if not folder:
        return
    path = Path(folder) / f"{_state['bench']}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record | {"bench": _state["bench"], "smoke": is_smoke()}, ensure_ascii=False) + "\n")


def aim(name: str, figure: str, target: str, met: bool) -> str:
    """Record one judged aim (name, the figure as printed, the aim as printed, met) and return its verdict."""
    _write({"kind": "aim", "name": name, "figure": figure, "aim": target, "met": None if is_smoke() else met})
    return verdict(met)


def figure(name: str, value: str) -> None:
    """Record a figure the bench prints without judging it (a baseline, a cost)."""
    _write({"kind": "figure", "name": name, "figure": value})


def run(bench: Callable[[], object], *, timed: bool = True) -> None:
    """Run a bench between a start and an end record (end: finished or failed, and how long); print the time."""
    _write({"kind": "start", "argv": sys.argv[1:]})
    started, status = time.perf_counter(), "failed"
    try:
        bench()
        status = "finished"
    finally:
        seconds = time.perf_counter() - started
        _write({"kind": "end", "status": status, "seconds": round(seconds, 1)})
    if timed:
        print(f"bench took {seconds:.0f} s")
