"""The `ipcoord` console script: create-user reads the password from standard input; bad input exits 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import User
from service.auth.passwords import verify_password
from service.cases.models import DuplicateFlag
from tests.builders import make_incident, make_user
from tests.conftest import TEST_SECRET


def _run(
    args: list[str], database_url: str, tmp_root: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "IPCOORD_DATA_DIR": str(tmp_root / "cli"),
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own console script with fixed arguments
        [sys.executable, "-m", "service", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


async def test_create_user_takes_the_password_from_stdin(database_url: str, tmp_root: Path, db: AsyncSession):
    result = _run(
        ["create-user", "hq.malu", "--agency", "HQ", "--role", "inspector", "--full-name", "Vàng A Sử"],
        database_url,
        tmp_root,
        stdin="cửa-khẩu-Ma-Lù-Thàng\n",
    )
    assert result.returncode == 0, result.stderr
    user = (await db.scalars(select(User).where(User.username == "hq.malu"))).one()
    assert user.full_name == "Vàng A Sử" and user.role == "inspector"
    assert verify_password(user.password_hash, "cửa-khẩu-Ma-Lù-Thàng")
    assert "cửa-khẩu" not in result.stdout + result.stderr


def test_create_user_has_no_password_option(database_url: str, tmp_root: Path):
    result = _run(
        ["create-user", "x.y", "--agency", "HQ", "--role", "inspector", "--password", "secret-pass-1"],
        database_url,
        tmp_root,
    )
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr


async def test_create_user_with_unknown_agency_exits_2_in_both_languages(
    database_url: str, tmp_root: Path, db: AsyncSession
):
    result = _run(
        ["create-user", "ghost", "--agency", "NOPE", "--role", "inspector"],
        database_url,
        tmp_root,
        stdin="long-enough-password\n",
    )
    assert result.returncode == 2
    assert "Không tìm thấy cơ quan `NOPE`" in result.stderr and "Agency `NOPE` not found" in result.stderr
    assert (await db.scalars(select(User).where(User.username == "ghost"))).one_or_none() is None


def test_create_user_with_unknown_role_exits_2(database_url: str, tmp_root: Path):
    result = _run(
        ["create-user", "ghost2", "--agency", "QLTT", "--role", "boss"],
        database_url,
        tmp_root,
        stdin="long-enough-password\n",
    )
    assert result.returncode == 2
    assert "boss" in result.stderr


def test_production_without_secret_key_is_a_clear_start_error(tmp_root: Path):
    result = _run(["migrate"], "", tmp_root, IPCOORD_ENV="production", SECRET_KEY="", ALLOWED_HOSTS="")
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr and "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_load_demo_refuses_production(database_url: str, tmp_root: Path):
    result = _run(["load-demo"], database_url, tmp_root, IPCOORD_ENV="production", ALLOWED_HOSTS="example.org")
    assert result.returncode == 2
    assert "production" in result.stderr


async def test_scan_duplicates_flags_incidents_recorded_before_detection(
    database_url: str, tmp_root: Path, db: AsyncSession
):
    """Rows written directly (as before this version) carry no flags until the scan raises them."""
    police, market = await make_user(db, agency="CA", role="agency_staff"), await make_user(db, agency="QLTT")
    await make_incident(db, market)
    await make_incident(db, police)  # the same three LV bags at the same place: one seizure, two records
    assert await db.scalar(select(func.count()).select_from(DuplicateFlag)) == 0
    result = _run(["scan-duplicates"], database_url, tmp_root)
    assert result.returncode == 0, result.stderr
    assert "Đã rà soát 2 vụ việc; hiện có 1 cặp nghi trùng chờ xử lý." in result.stdout
    assert "Scanned 2 incidents; 1 likely-duplicate pairs are now open." in result.stdout
    again = _run(["scan-duplicates"], database_url, tmp_root)
    assert "1 likely-duplicate pairs" in again.stdout


def test_worker_with_a_database_that_does_not_exist_exits_2_not_0(database_url: str, tmp_root: Path):
    """A configuration error no waiting cures: a supervisor must see a failure, with the reason."""
    missing = database_url.rsplit("/", 1)[0] + "/ipcoord_no_such_database"
    result = _run(["worker"], missing, tmp_root)
    assert result.returncode == 2
    assert "ipcoord_no_such_database" in result.stderr and "Traceback" not in result.stderr
