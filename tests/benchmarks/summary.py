"""One table of every aim the benches recorded: the aim, the figure, met / NOT met; and which benches to run.

Run: ``.venv/bin/python tests/benchmarks/summary.py [FOLDER] [--figures]`` (FOLDER: BENCH_AIMS_DIR, else
``.bench-aims``), after the benches ran with BENCH_AIMS_DIR set (``make bench`` does both). Each bench's last run
counts (its records after its last ``start``). A bench that did not finish is shown as failed; exit status 1 when
an aim is NOT met or a bench failed, so ``make bench`` ends in an error then.

``.venv/bin/python tests/benchmarks/summary.py --list`` prints the bench scripts (``make bench`` runs those):
every ``bench_*.py`` of this folder with a ``__main__`` entry point, so a new bench is included without being
named anywhere, and data-only helpers (bench_maps_data.py, bench_pages_data.py) are not. tests/test_benchmarks_smoke.py
runs the same list with ``--smoke``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AIMS_DIR_ENV = "BENCH_AIMS_DIR"  # aims.py's
DEFAULT_DIR = ".bench-aims"
ENTRY_POINT = re.compile(r"^if __name__ == [\"']__main__[\"']:", re.MULTILINE)


def bench_scripts(folder: Path = HERE) -> list[Path]:
    """The runnable benches: bench_*.py with a ``__main__`` entry point (data-only helpers have none)."""
    return [path for path in sorted(folder.glob("bench_*.py")) if ENTRY_POINT.search(path.read_text("utf-8"))]


def last_runs(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """bench name -> the records of its last run (from its last ``start`` record)."""
    runs: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        starts = [i for i, record in enumerate(records) if record.get("kind") == "start"]
        runs[path.stem] = records[starts[-1] :] if starts else records
    return runs


def verdict(record: dict[str, Any]) -> str:
    if record.get("smoke"):
        return "not judged (smoke)"
    return "met" if record.get("met") else "NOT met"


def table(runs: dict[str, list[dict[str, Any]]], *, figures: bool) -> tuple[list[list[str]], bool]:
    """Rows (bench, aim, figure, aim, verdict) and whether everything was met and finished."""
    rows, good = [], True
    for bench, records in runs.items():
        end = next((r for r in reversed(records) if r.get("kind") == "end"), None)
        if end is None or end.get("status") != "finished":
            rows.append([bench, "(the bench)", "", "finishes", "FAILED" if end else "did not finish"])
            good = False
        for record in records:
            if record.get("kind") == "aim":
                rows.append([bench, record["name"], record["figure"], record["aim"], verdict(record)])
                good = good and (record.get("met") is True or bool(record.get("smoke")))
            elif figures and record.get("kind") == "figure":
                rows.append([bench, record["name"], record["figure"], "", "(figure)"])
    return rows, good


def render(rows: list[list[str]]) -> str:
    header = ["bench", "what", "figure", "aim", "verdict"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * width for width in widths]), *map(line, rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", nargs="?", help=f"the aims folder (default: ${AIMS_DIR_ENV}, else {DEFAULT_DIR})")
    parser.add_argument("--figures", action="store_true", help="also the figures recorded without an aim")
    parser.add_argument("--list", action="store_true", help="print the bench scripts to run, one a line")
    args = parser.parse_args()
    if args.list:
        cwd = Path.cwd()
        print("\n".join(str(p.relative_to(cwd) if p.is_relative_to(cwd) else p) for p in bench_scripts()))
        return 0
    folder = Path(args.folder or os.environ.get(AIMS_DIR_ENV) or DEFAULT_DIR)
    runs = last_runs(folder) if folder.is_dir() else {}
    if not runs:
        print(f"no recorded aims in {folder} (run the benches with {AIMS_DIR_ENV}={folder})", file=sys.stderr)
        return 1
    rows, good = table(runs, figures=args.figures)
    print(f"== aims of {len(runs)} benches ({folder}) ==")
    print(render(rows))
    met = sum(row[4] == "met" for row in rows)
    judged = sum(row[4] in ("met", "NOT met") for row in rows)
    smoke = "" if judged else " (smoke runs: nothing judged)"
    print(f"{met} of {judged} judged aims met{smoke}" + ("" if good else "; see NOT met / FAILED above"))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
