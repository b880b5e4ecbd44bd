"""`ipcoord backup` and `ipcoord restore` against real PostgreSQL: round trip, refusals, the nightly job's keeping."""

from __future__ import annotations

import asyncio
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from service.__main__ import main
from service.all_models import metadata
from service.attachments.storage import LocalFileStore
from service.audit.service import Who, record
from service.backup import archive, pgtools
from service.backup.jobs import archive_name, remove_old, take_nightly
from service.backup.service import RestoreRefused, backup, restore
from service.db import async_url
from service.settings import Settings
from tests.builders import make_incident, make_user
from tests.conftest import TEST_SECRET
from tests.databases import create_database, drop_database


def _settings(database_url: str, folder: Path) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET,
            "IPCOORD_DATA_DIR": str(folder),
            "ATTACHMENTS_DIR": str(folder / "attachments"),
            "BACKUP_DIR": str(folder / "backups"),
            "BACKUP_KEEP": "2",
        }
    )


@pytest.fixture
def empty_url(server_url: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    url = create_database(server_url, prefix="ipcoord_restore")
    yield url
    drop_database(server_url, url)


async def _fingerprints(database_url: str) -> dict[str, tuple[int, str | None]]:
    """Each table's row count and a digest of its rows in a stable order."""
    engine = create_async_engine(async_url(database_url))
    found = {}
    try:
        async with engine.connect() as connection:
            for name in [*metadata.tables, "alembic_version"]:
                row = (
                    await connection.execute(
                        text(f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {name} t")  # noqa: S608
                    )
                ).one()
                found[name] = (row[0], row[1])
    finally:
        await engine.dispose()
    return found


async def _table_count(database_url: str) -> int:
    engine = create_async_engine(async_url(database_url))
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) or 0)
    finally:
        await engine.dispose()


def _sums(folder: Path) -> dict[str, str]:
    return {name: archive.file_sum(path)["sha256"] for name, path in archive.folder_files(folder)}


@pytest.fixture
async def source(db: AsyncSession, settings: Settings, tmp_path: Path) -> Settings:
    """The test database with users, incidents, audit rows and two attachment files."""
    user = await make_user(db)
    for _ in range(3):
        await make_incident(db, user)
    await record(db, "test.event", Who(user.id, user.username), detail={"n": 1})
    await db.commit()
    src = _settings(settings.database_url or "", tmp_path / "src")
    store = LocalFileStore(src.attachments_dir)
    await store.put(b"%PDF-1.4 bien ban")
    await store.put("ảnh hiện trường".encode())
    return src


async def test_backup_then_restore_into_a_new_database_gives_the_same_rows_and_files(
    source: Settings, empty_url: str, tmp_path: Path
):
    file = tmp_path / "ipcoord.tar"
    manifest = await asyncio.to_thread(backup, source, file)
    assert archive.DUMP in manifest.files and len(manifest.files) == 3
    target = _settings(empty_url, tmp_path / "dst")
    await asyncio.to_thread(restore, target, file)
    before, after = await _fingerprints(source.database_url or ""), await _fingerprints(empty_url)
    assert after == before and after["incidents"][0] == 3 and after["audit_events"][0] >= 1
    assert _sums(target.attachments_dir) == _sums(source.attachments_dir) and len(_sums(target.attachments_dir)) == 2


async def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    source: Settings, empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    file = tmp_path / "ipcoord.tar"
    await asyncio.to_thread(backup, source, file)
    target = _settings(empty_url, tmp_path / "dst")
    await asyncio.to_thread(restore, target, file)
    with pytest.raises(RestoreRefused) as refused:
        await asyncio.to_thread(restore, target, file)
    assert refused.value.part == "database"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (("DATABASE_URL", empty_url), ("ATTACHMENTS_DIR", str(target.attachments_dir))):
            patch.setenv(name, value)
        patch.setenv("SECRET_KEY", TEST_SECRET)
        assert await asyncio.to_thread(main, ["restore", str(file)]) == 2
        assert "Từ chối khôi phục" in capsys.readouterr().err
        assert await asyncio.to_thread(main, ["restore", "--force", str(file)]) == 0
    assert (await _fingerprints(empty_url))["incidents"][0] == 3


async def test_restore_refuses_an_attachments_folder_that_is_not_empty(
    source: Settings, empty_url: str, tmp_path: Path
):
    file = tmp_path / "ipcoord.tar"
    await asyncio.to_thread(backup, source, file)
    target = _settings(empty_url, tmp_path / "dst")
    target.attachments_dir.mkdir(parents=True)
    (target.attachments_dir / "stray.bin").write_bytes(b"x")
    with pytest.raises(RestoreRefused) as refused:
        await asyncio.to_thread(restore, target, file)
    assert refused.value.part == "attachments"


def _member_offset(file: Path, name: str) -> int:
    with tarfile.open(file) as tar:
        return tar.getmember(name).offset_data


async def test_one_changed_byte_is_refused_naming_the_part(source: Settings, empty_url: str, tmp_path: Path):
    file = tmp_path / "ipcoord.tar"
    manifest = await asyncio.to_thread(backup, source, file)
    target = _settings(empty_url, tmp_path / "dst")
    for name in (archive.DUMP, next(n for n in manifest.files if n.startswith("attachments/")), archive.MANIFEST):
        damaged = tmp_path / "damaged.tar"
        content = bytearray(file.read_bytes())
        content[_member_offset(file, name) + 5] ^= 0x01
        damaged.write_bytes(bytes(content))
        with pytest.raises(archive.ArchiveDamaged) as refused:
            await asyncio.to_thread(restore, target, damaged)
        assert refused.value.part == name
    assert await _table_count(empty_url) == 0  # nothing was restored


async def test_a_truncated_archive_is_refused_naming_the_part(source: Settings, empty_url: str, tmp_path: Path):
    file = tmp_path / "ipcoord.tar"
    await asyncio.to_thread(backup, source, file)
    cut = tmp_path / "cut.tar"
    cut.write_bytes(file.read_bytes()[: _member_offset(file, archive.DUMP) + 100])
    with pytest.raises(archive.ArchiveDamaged) as refused:
        await asyncio.to_thread(restore, _settings(empty_url, tmp_path / "dst"), cut)
    assert refused.value.part == archive.DUMP and "cut short" in refused.value.problem


async def test_an_archive_from_a_newer_schema_is_refused(source: Settings, empty_url: str, tmp_path: Path):
    file = tmp_path / "ipcoord.tar"
    manifest = await asyncio.to_thread(backup, source, file)
    newer = tmp_path / "newer.tar"
    with tarfile.open(file) as tar:
        tar.extractall(tmp_path / "x", filter="data")
    members = [(name, tmp_path / "x" / name) for name in manifest.files]
    archive.write(newer, {**manifest.meta, "alembic_revision": "ffffffffffff"}, members)
    with pytest.raises(RestoreRefused, match="newer than this code") as refused:
        await asyncio.to_thread(restore, _settings(empty_url, tmp_path / "dst"), newer)
    assert refused.value.part == archive.MANIFEST


def test_no_pg_dump_of_the_servers_version_is_a_clear_error():
    with pytest.raises(pgtools.ToolMissing, match="no pg_dump of PostgreSQL 99 found"):
        pgtools.find_tool("pg_dump", 99)


def test_the_embedded_servers_own_binaries_are_looked_at_first():
    from service import embedded_pg

    for major, folder in embedded_pg.bundled_bin_dirs().items():
        assert pgtools.candidates("pg_dump", major)[0] == folder / "pg_dump"
        assert pgtools.find_tool("pg_dump", major) == folder / "pg_dump"


async def test_the_nightly_backup_keeps_the_last_backup_keep(source: Settings):
    from datetime import UTC, datetime, timedelta

    folder = source.backup_dir
    assert folder is not None
    first = datetime(2026, 12, 1, 20, 40, tzinfo=UTC)
    for night in range(3):
        await asyncio.to_thread(take_nightly, source, first + timedelta(days=night))
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [archive_name(first + timedelta(days=1)), archive_name(first + timedelta(days=2))]
    (folder / "notes.txt").write_text("kept: not an archive of the job")
    assert remove_old(folder, 1) == [folder / kept[0]] and (folder / "notes.txt").exists()
