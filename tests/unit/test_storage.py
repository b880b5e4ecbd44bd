"""LocalFileStore: bytes kept once under their SHA-256, written whole or not at all, never outside its folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from service.attachments.storage import InvalidStorageKey, LocalFileStore
from service.settings import Settings, SettingsError

CONTENT = b"%PDF-1.4 evidence bytes"
DIGEST = hashlib.sha256(CONTENT).hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


async def test_put_stores_under_the_content_hash_and_reads_back(tmp_path: Path):
    store = LocalFileStore(tmp_path / "attachments")
    key = await store.put(CONTENT)
    assert key == f"{DIGEST[:2]}/{DIGEST}"
    assert await store.read(key) == CONTENT
    assert await store.exists(key)
    assert _files(tmp_path) == [tmp_path / "attachments" / DIGEST[:2] / DIGEST]


async def test_same_content_is_stored_once(tmp_path: Path):
    store = LocalFileStore(tmp_path)
    assert await store.put(CONTENT) == await store.put(CONTENT)
    assert len(_files(tmp_path)) == 1


async def test_unknown_key_does_not_exist_and_cannot_be_read(tmp_path: Path):
    store = LocalFileStore(tmp_path)
    key = f"{'0' * 2}/{'0' * 64}"
    assert not await store.exists(key)
    with pytest.raises(FileNotFoundError):
        await store.read(key)


@pytest.mark.parametrize(
    "key",
    [
        "../secret_key",
        "/etc/passwd",
        f"ab/../../{'a' * 64}",
        f"{DIGEST[:2]}/{DIGEST}/../../../x",
        f"ff/{DIGEST}",  # folder not matching the hash
        DIGEST,
        f"{DIGEST[:2]}/{DIGEST.upper()}",
    ],
)
async def test_keys_the_store_did_not_hand_out_are_refused(tmp_path: Path, key: str):
    store = LocalFileStore(tmp_path / "attachments")
    (tmp_path / "secret_key").write_text("do not serve")
    with pytest.raises(InvalidStorageKey):
        await store.read(key)
    with pytest.raises(InvalidStorageKey):
        await store.exists(key)


async def test_a_symlinked_folder_cannot_lead_outside_the_root(tmp_path: Path):
    root, outside = tmp_path / "attachments", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / DIGEST[:2]).symlink_to(outside, target_is_directory=True)
    with pytest.raises(InvalidStorageKey):
        await LocalFileStore(root).put(CONTENT)
    assert _files(outside) == []


async def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def disk_full(_: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    store = LocalFileStore(tmp_path)
    with pytest.raises(OSError, match="No space"):
        await store.put(CONTENT)
    assert _files(tmp_path) == []
    assert not await store.exists(f"{DIGEST[:2]}/{DIGEST}")


async def test_no_temporary_file_is_left_after_a_write(tmp_path: Path):
    await LocalFileStore(tmp_path).put(CONTENT)
    assert [p.name for p in _files(tmp_path)] == [DIGEST]


def test_attachments_go_under_the_data_folder_unless_attachments_dir_says_otherwise(tmp_path: Path):
    env = {"IPCOORD_DATA_DIR": str(tmp_path), "SECRET_KEY": "s" * 40}
    assert Settings.from_env(env).attachments_dir == tmp_path / "attachments"
    assert Settings.from_env(env | {"ATTACHMENTS_DIR": "/srv/evidence"}).attachments_dir == Path("/srv/evidence")
    assert Settings.from_env(env).upload_max_bytes == 20 * 1024 * 1024


def test_an_upload_limit_under_one_kib_is_refused_at_start_up(tmp_path: Path):
    env = {"IPCOORD_DATA_DIR": str(tmp_path), "SECRET_KEY": "s" * 40, "UPLOAD_MAX_BYTES": "1023"}
    with pytest.raises(SettingsError, match="UPLOAD_MAX_BYTES"):
        Settings.from_env(env)
