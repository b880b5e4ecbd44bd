"""Benchmark of issue 20: what a timestamp (PAdES B-T) and embedded validation data (B-LT) add to signing a letter.

Run: ``.venv/bin/python tests/benchmarks/bench_signing.py [--rounds 10] [--smoke]``. Not collected by pytest. No
database: ``service.documents.service.produce`` (load the PKCS#12, lay out, PDF/A, sign) on a one-page official
letter, as the takedown request's route runs it in its worker thread. The timestamp authority is the tests' real
RFC 3161 server over HTTP on 127.0.0.1 (tests/timestamp_authority.py), so the figure is pyHanko's work plus two
local HTTP round trips (a size estimate and the timestamp), not a remote TSA's latency, which adds to it in
production. The baseline, measured in the same run, is B-B (each level's figure is also given as a ratio to it);
the aim is judged on B-T's median: under a second, a download the user waits for. The in-process TSA competes for
the same interpreter (its RSA signature, its HTTP handling), so the figure is pessimistic on a loaded machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import aims
import harness  # noqa: F401 - puts the project root on sys.path (`service`, `tests`)

from service.documents import model, service, signing
from tests import timestamp_authority
from tests.signing_certs import PASSPHRASE, make_ca

AIM_MS = 1000.0  # a timestamped one-page letter within a second (a download the user waits for)


def _letter() -> model.Document:
    return model.Document(
        superior="UBND TỈNH LAI CHÂU", agency="CHI CỤC QUẢN LÝ THỊ TRƯỜNG", number=1, symbol="2026/YCGG-QLTT",
        place="Lai Châu", issued_on=dt.date(2026, 12, 7), kind=None, summary="đề nghị gỡ bỏ nội dung xâm phạm",
        body=[model.Paragraph("Đề nghị gỡ bỏ các đường dẫn sau trong 24 giờ. " * 6)],
        recipients=["Như trên;", "Lưu: VT."], signer=model.Signer(["CHI CỤC TRƯỞNG"], "Nguyễn Văn An"),
        addressees=["Công ty TNHH Sàn Thử"],
    )  # fmt: skip


def _median_ms(rounds: int, produce: object) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        produce()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = aims.parse(parser)
    rounds = 1 if aims.is_smoke() else args.rounds

    def bench() -> None:
        ca, letter, at = make_ca(), _letter(), dt.datetime.now(dt.UTC)
        with tempfile.TemporaryDirectory() as tmp, timestamp_authority.running(ca) as tsa:
            valid = {"not_before": at - dt.timedelta(days=1), "not_after": at + dt.timedelta(days=30)}
            plain = ca.issue_pkcs12(Path(tmp) / "plain.p12", "QLTT", **valid)  # type: ignore[arg-type]
            published = ca.issue_pkcs12(Path(tmp) / "crl.p12", "QLTT", crl_url=tsa.crl_url, **valid)  # type: ignore[arg-type]
            stamp = signing.Timestamping(tsa.url, 5)
            cases = {
                "unsigned": lambda: service.produce(letter, (None, ""), at),
                "B-B": lambda: service.produce(letter, (plain, PASSPHRASE), at),
                "B-T": lambda: service.produce(letter, (plain, PASSPHRASE), at, stamp),
                "B-LT": lambda: service.produce(letter, (published, PASSPHRASE), at, stamp),
            }
            levels = {name: case()[1].level for name, case in cases.items()}  # warm up, and check each level
            assert levels == {"unsigned": None, "B-B": "B-B", "B-T": "B-T", "B-LT": "B-LT"}, levels
            figures = {name: _median_ms(rounds, case) for name, case in cases.items()}
        for name, ms in figures.items():
            aims.figure(f"one-page letter, {name}", f"{ms:.0f} ms ({ms / figures['B-B']:.2f}x B-B)")
            print(f"{name}: {ms:.0f} ms median of {rounds} ({ms / figures['B-B']:.2f}x B-B)")
        b_t = figures["B-T"]
        verdict = aims.aim(
            "one-page letter signed B-T (local TSA)", f"{b_t:.0f} ms", f"< {AIM_MS:.0f} ms", b_t < AIM_MS
        )
        print(f"aim B-T < {AIM_MS:.0f} ms: {verdict}")

    aims.run(bench)


if __name__ == "__main__":
    main()
