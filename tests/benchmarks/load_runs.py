"""Bounded load runs over HTTP for the benches: requests from a number of tasks, latencies, failures by kind, and the
CPU of the server and of this client during the run; alternating comparisons and loaded-then-alone runs.

Split from harness.py (the database, users and servers), which it uses for the server's CPU time.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import httpx
from harness import cpu_seconds
from lean_client import LeanClient, LeanError, LeanResponse

# --- Load -------------------------------------------------------------------------------------------


class Layout(NamedTuple):
    """Column widths of Run.line: route name, rate, latencies; client=False prints the server's CPU only."""

    route: int = 11
    rate: int = 5
    ms: int = 6
    client: bool = True


@dataclass
class Run:
    """One bounded load run against one route."""

    route: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    unsent: int = 0  # left when the time limit stopped the run
    server_cpu: float = 0.0  # seconds of the server process's CPU during the run
    client_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    def cpu_per_request(self, seconds: float) -> float:
        return seconds / (len(self.latencies) + self.failed or 1) * 1000

    def line(self, layout: Layout) -> str:
        """req/s, p50, p99, CPU per request, counts; columns as `layout` says."""
        unsent = f", {self.unsent} unsent: time limit" if self.unsent else ""
        server = self.cpu_per_request(self.server_cpu)
        if layout.client:
            cpu = f"CPU/req server {server:.2f} ms client {self.cpu_per_request(self.client_cpu):.2f} ms"
        else:
            cpu = f"server CPU/req {server:5.1f} ms"
        return (
            f"{self.route:{layout.route}} {self.rate:{layout.rate},.0f} req/s  "
            f"p50 {self.percentile(0.5):{layout.ms}.1f} ms  p99 {self.percentile(0.99):{layout.ms}.1f} ms  "
            f"{cpu}  ({len(self.latencies)} ok, {self.failed} failed{unsent})"
        )


Client = httpx.AsyncClient | LeanClient  # LeanClient: GET load runs that leave the cores to the server
Response = httpx.Response | LeanResponse
Send = Callable[[Client, int], Awaitable[Response]]
Accept = Callable[[Response], bool]


def getting(urls: Sequence[str]) -> Send:
    """Send for GETs of urls in turn: request i gets urls[i % len(urls)]."""

    def send(client: Client, i: int) -> Awaitable[Response]:
        return client.get(urls[i % len(urls)])

    return send


def is_200(response: Response) -> bool:
    return response.status_code == 200


def is_2xx(response: Response) -> bool:
    return response.is_success


def client_for(
    base: str, concurrency: int, token: str | None = None, *, timeout: float = 30, keepalive_expiry: float = 5.0
) -> httpx.AsyncClient:
    """A keep-alive client with one connection per task, sending the bearer token when given."""
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=keepalive_expiry
    )
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=timeout)


async def load(
    client: Client,
    route: str,
    send: Send,
    n: int,
    concurrency: int,
    pid: int,
    *,
    limit_s: float,
    accept: Accept = is_200,
) -> Run:
    """n requests over `concurrency` tasks; an accepted answer is a success; stops early after limit_s.

    Measures latencies, failures by kind, and the CPU time of the server process `pid` and of this one.
    Objects alive before the run are frozen out of this process's garbage collection first (gc.freeze).
    """
    # The client holds the bench's data: a full collection of it (tenths of a second) would be counted as the
    # server's latency. Frozen out of the collector, it is not walked during the run.
    gc.collect()
    gc.freeze()
    run, counter, started = Run(route), itertools.count(), time.perf_counter()
    server_cpu, client_cpu = cpu_seconds(pid), time.process_time()
    deadline = started + limit_s

    async def worker() -> None:
        while (i := next(counter)) < n and time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                response = await send(client, i)
                outcome = "ok" if accept(response) else f"HTTP {response.status_code}"
            except (httpx.HTTPError, LeanError, OSError, asyncio.IncompleteReadError) as error:
                outcome = type(error).__name__
            if outcome == "ok":
                run.latencies.append(time.perf_counter() - sent)
            else:
                run.failures[outcome] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    run.server_cpu = cpu_seconds(pid) - server_cpu
    run.client_cpu = time.process_time() - client_cpu
    run.unsent = n - len(run.latencies) - run.failed
    return run


def check_warm_up(run: Run) -> None:
    """Stop the bench when a warm-up run had failures."""
    if run.failures:
        raise SystemExit(f"warm-up of {run.route} failed: {dict(run.failures)}")


def failed(runs: Iterable[Run]) -> int:
    """Requests of these runs that did not succeed."""
    return sum(run.failed for run in runs)


@dataclass
class Lane:
    """One side of a comparison: the route's name, its client, how to send request i, the server's pid."""

    route: str
    client: httpx.AsyncClient
    send: Send
    pid: int
    accept: Accept = is_200


async def alternate(
    lanes: list[Lane], *, rounds: int, n: int, warm_n: int, concurrency: int, limit_s: float, layout: Layout
) -> dict[str, list[Run]]:
    """Warm each lane up (warm_n requests; failures stop the bench), then `rounds` runs of n requests of each
    lane in turn (alternating reduces drift), each printed as a `run` line; the runs per route."""
    for lane in lanes:  # warm-up: connections, pools, code paths
        warm = await load(
            lane.client, lane.route, lane.send, warm_n, concurrency, lane.pid, limit_s=limit_s, accept=lane.accept
        )
        check_warm_up(warm)
    runs: dict[str, list[Run]] = {lane.route: [] for lane in lanes}
    for _ in range(rounds):
        for lane in lanes:
            run = await load(
                lane.client, lane.route, lane.send, n, concurrency, lane.pid, limit_s=limit_s, accept=lane.accept
            )
            print(f"  run {run.line(layout)}" + (f"  failures: {dict(run.failures)}" if run.failures else ""))
            runs[lane.route].append(run)
    return runs


def print_best(runs: dict[str, list[Run]], layout: Layout) -> dict[str, Run]:
    """Print and return each route's run of the highest rate, in the order of `runs`."""
    best = {route: max(done, key=lambda r: r.rate) for route, done in runs.items()}
    print(f"best of {max(len(done) for done in runs.values())}:")
    for run in best.values():
        print(f"  {run.line(layout)}")
    return best


async def loaded_and_alone(
    client: Client,
    route: str,
    url: str,
    pid: int,
    *,
    n: int,
    alone_n: int,
    warm_n: int,
    concurrency: int,
    limit_s: float,
    layout: Layout,
    accept: Accept = is_200,
) -> list[Run]:
    """GET url: a warm-up, n requests at `concurrency`, then alone_n one at a time (service time without
    queueing); prints the last two; returns the three runs (warm-up, loaded, alone)."""
    send = getting([url])
    warm = await load(client, route, send, warm_n, concurrency, pid, limit_s=limit_s, accept=accept)
    check_warm_up(warm)
    loaded = await load(client, route, send, n, concurrency, pid, limit_s=limit_s, accept=accept)
    alone = await load(client, f"{route} c=1", send, alone_n, 1, pid, limit_s=limit_s, accept=accept)
    print(f"  {loaded.line(layout)}\n  {alone.line(layout)}  <- one at a time")
    return [warm, loaded, alone]
