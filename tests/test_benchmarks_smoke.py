"""Benchmarks that cannot rot: every bench script runs in smoke mode (tiny sizes, nothing judged) and records.

The benches are found as ``make bench`` finds them (tests/benchmarks/summary.py ``bench_scripts``: every
``bench_*.py`` with a ``__main__`` entry point), so a new bench is covered without being named here, and a
function a bench calls that was renamed or moved fails here instead of in the next ``make bench``. Each runs as
``python tests/benchmarks/bench_X.py --smoke`` in a subprocess, as ``make bench`` runs it, against the tests'
PostgreSQL (a throwaway database of its own), and must exit 0 having recorded a finished run with its aims
(aims.py, JSON lines in BENCH_AIMS_DIR), none of them judged. A bench that drives Chromium is marked browser.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHES = ROOT / "tests" / "benchmarks"
sys.path.insert(0, str(BENCHES))
import summary  # noqa: E402

TIMEOUT_S = 300


def params() -> list[object]:
    found = []
    for script in summary.bench_scripts(BENCHES):
        marks = [pytest.mark.browser] if "playwright" in script.read_text("utf-8") else []
        found.append(pytest.param(script, id=script.stem, marks=marks))
    return found


def test_the_benches_are_found_and_the_data_helpers_left_out() -> None:
    names = {script.stem for script in summary.bench_scripts(BENCHES)}
    assert {"bench_incidents", "bench_pages", "bench_maps", "bench_reports"} <= names
    assert not names & {"bench_maps_data", "bench_pages_data"}


@pytest.mark.parametrize("script", params())
def test_bench_runs_in_smoke_mode_and_records_its_aims(script: Path, tmp_path: Path) -> None:
    env = os.environ | {"BENCH_AIMS_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(  # noqa: S603 - our own interpreter on our own script
        [sys.executable, str(script), "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    output = (done.stdout + done.stderr)[-4000:]
    assert done.returncode == 0, f"{script.name} --smoke exited {done.returncode}:\n{output}"
    runs = summary.last_runs(tmp_path)
    assert list(runs) == [script.stem], output
    records = runs[script.stem]
    assert records[0]["kind"] == "start", output
    assert (records[-1]["kind"], records[-1]["status"]) == ("end", "finished"), output
    measured = [r for r in records if r["kind"] in ("aim", "figure")]
    assert measured, f"{script.name} recorded no aim nor figure"
    assert all(r["smoke"] for r in records)
    assert all(r["met"] is None for r in measured if r["kind"] == "aim"), "smoke mode judged an aim"
    assert all(r["figure"] for r in measured), json.dumps(measured, ensure_ascii=False)


def test_the_summary_shows_every_aim_and_fails_on_one_not_met(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(bench: str, *records: dict[str, object]) -> None:
        lines = [json.dumps(r | {"bench": bench, "smoke": False}) for r in records]
        (tmp_path / f"{bench}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")

    old = {"kind": "aim", "name": "old run", "figure": "9x", "aim": "<= 4x", "met": False}
    write(
        "bench_a",
        {"kind": "start"},
        old,
        {"kind": "end", "status": "finished"},
        {"kind": "start"},
        {"kind": "aim", "name": "export CSV vs COPY", "figure": "3.1x", "aim": "<= 4x", "met": True},
        {"kind": "end", "status": "finished"},
    )
    write(
        "bench_b", {"kind": "start"}, {"kind": "aim", "name": "p99", "figure": "60 ms", "aim": "< 50 ms", "met": False}
    )
    monkeypatch.setattr(sys, "argv", ["summary.py", str(tmp_path)])
    assert summary.main() == 1
    table = capsys.readouterr().out
    assert "export CSV vs COPY" in table and "3.1x" in table and " met" in table
    assert "old run" not in table  # only the last run of a bench counts
    assert "NOT met" in table and "did not finish" in table
    (tmp_path / "bench_b.jsonl").unlink()
    assert summary.main() == 0
