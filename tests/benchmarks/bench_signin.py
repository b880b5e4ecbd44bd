"""Benchmark of issue 22: a sign-in with TOTP takes under 50 ms of server time.

Run: ``.venv/bin/python tests/benchmarks/bench_signin.py [--rounds 40] [--smoke]``. Not collected by pytest. A
throwaway database, the app in this process (Litestar's test client: no network, so the time is the server's),
a user with TOTP enrolled. Each round signs in with the password (production argon2id parameters) and then a
fresh TOTP code; the baseline, measured in the same run, is `GET /health` (one database round trip). The aim is
judged on the TOTP step, what the second factor adds to a sign-in; the password step is printed beside it as a
figure, since its cost is argon2id's, chosen on purpose (docs/security.md).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime

import aims
from harness import run_main, throwaway_database
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from service.app import create_app
from service.auth import totp
from service.settings import Settings

PASSWORD = "bench-password-long-enough"
AIM_MS = 50.0


async def _bench(database_url: str, data_dir: str, rounds: int) -> tuple[float, float, float]:
    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "b" * 48,
            "IPCOORD_DATA_DIR": data_dir,
            "LOGIN_RATE_LIMIT": "100000",
        }
    )
    from sqlalchemy.ext.asyncio import create_async_engine

    from service.auth import service
    from service.db import async_url

    engine = create_async_engine(async_url(database_url))
    async with engine.begin() as connection:
        from sqlalchemy.ext.asyncio import AsyncSession

        async with AsyncSession(bind=connection) as db:
            await service.create_user(db, username="bench", password=PASSWORD, agency_code="QLTT", role="admin")
    async with AsyncTestClient(app=create_app(settings)) as client:
        await client.post("/api/auth/login", json={"username": "bench", "password": PASSWORD})
        headers = {"x-csrftoken": (await client.get("/health")) and client.cookies.get("ipcoord_csrf", "")}
        secret = (await client.post("/api/me/second-factor/totp", headers=headers)).json()["secret"]
        await client.post(
            "/api/me/second-factor/totp/confirm",
            json={"code": totp.code_at(secret, datetime.now(UTC))},
            headers=headers,
        )
        passwords, codes, health = [], [], []
        for _ in range(rounds):
            started = time.perf_counter()
            await client.get("/health")
            health.append(time.perf_counter() - started)
            client.cookies.clear()
            async with engine.begin() as connection:  # the same code again this round (each step works once)
                await connection.execute(text("UPDATE totp_secrets SET last_used_step = 0"))
            started = time.perf_counter()
            first = await client.post("/api/auth/login", json={"username": "bench", "password": PASSWORD})
            passwords.append(time.perf_counter() - started)
            code = totp.code_at(secret, datetime.now(UTC))
            await client.get("/api/me")
            csrf = {"x-csrftoken": client.cookies.get("ipcoord_csrf", "")}
            started = time.perf_counter()
            second = await client.post("/api/auth/second-factor", json={"code": code}, headers=csrf)
            codes.append(time.perf_counter() - started)
            assert first.status_code == 200, first.text
            assert second.status_code == 200, second.text
    await engine.dispose()
    return tuple(statistics.median(values) * 1000 for values in (codes, passwords, health))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40)
    args = aims.parse(parser)
    rounds = 2 if aims.is_smoke() else args.rounds

    def bench() -> None:
        with throwaway_database() as (database_url, tmp):
            code_ms, password_ms, health_ms = asyncio.run(_bench(database_url, str(tmp / "data"), rounds))
        aims.figure("health (baseline)", f"{health_ms:.1f} ms")
        aims.figure("password step (argon2id, production parameters)", f"{password_ms:.1f} ms")
        met = code_ms < AIM_MS
        verdict = aims.aim("sign-in's TOTP step, server time", f"{code_ms:.1f} ms", f"< {AIM_MS:.0f} ms", met)
        print(f"baseline GET /health: {health_ms:.1f} ms (median)")
        print(f"password step: {password_ms:.1f} ms median (argon2id by design)")
        print(f"TOTP step: {code_ms:.1f} ms median, {code_ms / health_ms:.1f}x health")
        print(f"aim < {AIM_MS:.0f} ms: {verdict}")

    run_main(bench)


if __name__ == "__main__":
    main()
