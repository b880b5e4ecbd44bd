"""Benchmark of geotagging: the core figures, then GET /api/geotag against GET /health over real HTTP.

Run: ``.venv/bin/python tests/benchmarks/bench_geotag.py [--requests N] [--concurrency N] [--points N] [--smoke]``
(not collected by pytest). Needs PostgreSQL, found as the tests find it; see tests/benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import uuid

import aims
from bench_geotag_core import inside_points, print_core, run_core
from harness import Server, create_users, load_average, run_main, server_env, serving, throwaway_database
from load_runs import Lane, Layout, alternate, client_for, failed, getting, print_best

AIM_RATIO = 0.70
ROUNDS = 3  # health, geotag, health, geotag, ...: alternate to reduce drift, keep each route's best
RUN_TIMEOUT_S = 12.0  # per run: the whole bench stays near 2 minutes even on a busy machine
LAYOUT = Layout(route=7, rate=6, ms=5)


def auth_note() -> str:
    """How the server authenticates a bearer request (a per-process login cache changes what geotag costs)."""
    try:
        from service.auth.cache import AUTH_CACHE_SECONDS
    except ImportError:
        return "every bearer request looks its token up in the database"
    return f"principals cached {AUTH_CACHE_SECONDS:g} s per process: geotag looks its token up on a miss only"


async def compare(server: Server, token: str, points: list[tuple[float, float]], args: argparse.Namespace) -> int:
    """Alternate health and geotag runs, print each route's best and the ratio; return failures."""
    routes = {"health": ["/health"], "geotag": [f"/api/geotag?lon={x!r}&lat={y!r}" for x, y in points]}
    # Idle connections expire before uvicorn's 5 s keep-alive timeout: no close/reuse race (ReadError).
    async with client_for(server.base, args.concurrency, token, timeout=10, keepalive_expiry=2.0) as client:
        lanes = [Lane(route, client, getting(urls), server.pid) for route, urls in routes.items()]
        runs = await alternate(
            lanes,
            rounds=args.rounds,
            n=args.requests,
            warm_n=min(500, args.requests),
            concurrency=args.concurrency,
            limit_s=RUN_TIMEOUT_S,
            layout=LAYOUT,
        )
    best = print_best(runs, LAYOUT)
    ratio = best["geotag"].rate / best["health"].rate if best["health"].rate else 0.0
    met = aims.aim("GET /api/geotag vs GET /health, req/s", f"{ratio:.0%}", f">= {AIM_RATIO:.0%}", ratio >= AIM_RATIO)
    print(f"geotag/health req/s: {ratio:.0%} (aim >= {AIM_RATIO:.0%}): {met}")
    # Less sensitive to load: server CPU per request (median of the runs) bounds each route's rate.
    server_cpu, client_cpu = (
        {route: statistics.median(r.cpu_per_request(getattr(r, side)) for r in done) for route, done in runs.items()}
        for side in ("server_cpu", "client_cpu")
    )
    if server_cpu["health"] and server_cpu["geotag"]:
        print(
            f"server CPU/req (median): health {server_cpu['health']:.2f} ms, geotag {server_cpu['geotag']:.2f} ms -> "
            f"server-side capacity ratio {server_cpu['health'] / server_cpu['geotag']:.0%}"
        )
        if client_cpu["health"] > server_cpu["health"]:
            print(
                f"  note: the client spent more CPU per /health request ({client_cpu['health']:.2f} ms) than the "
                "server: the req/s figures are bounded by the client on this machine; the capacity ratio is what "
                "a client on another host would see"
            )
    return failed(r for done in runs.values() for r in done)


def bench_http(args: argparse.Namespace) -> None:
    points = inside_points(args.points)
    with throwaway_database() as (database_url, tmp):
        bench_user = {f"bench{uuid.uuid4().hex[:8]}": ("QLTT", "inspector")}
        (user,) = asyncio.run(create_users(database_url, bench_user)).values()
        with serving(server_env(database_url, tmp), tmp / "server.log") as server:
            print(
                f"HTTP: uvicorn --workers 1 on {server.base}; client httpx.AsyncClient, {args.concurrency} tasks, "
                f"{args.requests:,} requests per run, Authorization: Bearer on both routes\n"
                f"  NOTE: client and server share this machine ({os.cpu_count()} cores); "
                "absolute rates are lower than on separate hosts\n"
                f"  geotag points: {len(points):,} random points inside the province; "
                f"load average before: {load_average()}\n"
                f"  auth: {auth_note()}"
            )
            if failures := asyncio.run(compare(server, user.token, points, args)):
                print(f"FAILED: {failures} requests did not answer 200; server log (last lines):")
                print(server.tail())
    if failures:
        raise SystemExit(f"FAILED: {failures} requests did not answer 200")


def bench(args: argparse.Namespace) -> None:
    """The core figures, then the HTTP comparison."""
    print("== core: maps.geotag ==")
    print_core(run_core(args.core_points, 1 if args.smoke else 5))
    print("== HTTP: GET /api/geotag vs GET /health ==")
    bench_http(args)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=3_000, help="requests per run and route")
    parser.add_argument("--concurrency", type=int, default=32, help="client tasks and connections")
    parser.add_argument("--points", type=int, default=2_000, help="distinct geotag points to cycle")
    args = aims.parse(parser)
    args.rounds, args.core_points = ROUNDS, 100_000
    if args.smoke:
        args.requests, args.concurrency, args.points, args.rounds, args.core_points = 30, 2, 20, 1, 2_000
    run_main(lambda: bench(args), timed=False)


if __name__ == "__main__":
    main()
