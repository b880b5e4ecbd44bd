"""The backup archive: a tar holding manifest.json, its SHA-256 (manifest.sha256), database.dump and attachments/.

The manifest comes first and lists every other member with its SHA-256 and size, so a reader checks each part as it
streams past and can name the part that is cut short, changed or missing. Nothing here knows of PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "ipcoord-backup/1"
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
DUMP = "database.dump"
ATTACHMENTS = "attachments"
_CHUNK = 1 << 20


class ArchiveDamaged(Exception):
    """The archive is not whole: `part` names the member that is cut short, changed, missing or unexpected."""

    def __init__(self, part: str, problem: str) -> None:
        super().__init__(f"{part}: {problem}")
        self.part = part
        self.problem = problem


@dataclass(frozen=True)
class Manifest:
    """What an archive holds: its metadata (schema revision, server version, time) and every member's sum."""

    meta: dict[str, Any]
    files: dict[str, dict[str, Any]]

    def encode(self) -> bytes:
        """The manifest as stored (sorted keys, so its checksum is stable)."""
        body = {"format": FORMAT, **self.meta, "files": self.files}
        return json.dumps(body, sort_keys=True, indent=1, ensure_ascii=False).encode()


def file_sum(path: Path) -> dict[str, Any]:
    """A file's SHA-256 and size."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


def folder_files(root: Path) -> Iterator[tuple[str, Path]]:
    """The regular files under a folder as (archive name, path), sorted; symbolic links are not followed."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield f"{ATTACHMENTS}/{path.relative_to(root).as_posix()}", path


def write(target: Path, meta: dict[str, Any], members: list[tuple[str, Path]]) -> Manifest:
    """Write the archive atomically (a partial file renamed once complete and flushed to disk)."""
    members = sorted(members)  # the manifest's order (sorted keys), so a reader knows which part comes next
    manifest = Manifest(meta, {name: file_sum(path) for name, path in members})
    encoded = manifest.encode()
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        _add_bytes(tar, MANIFEST, encoded)
        _add_bytes(tar, MANIFEST_SUM, hashlib.sha256(encoded).hexdigest().encode())
        for name, path in members:
            tar.add(path, arcname=name, recursive=False)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.replace(target)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(content))


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _read_small(tar: tarfile.TarFile, expected: str) -> bytes:
    try:
        member = tar.next()
        handle = tar.extractfile(member) if member is not None and member.name == expected else None
        if handle is None:
            raise ArchiveDamaged(expected, "missing")
        return handle.read()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveDamaged(expected, f"unreadable ({exc})") from None


def _manifest(tar: tarfile.TarFile) -> Manifest:
    encoded = _read_small(tar, MANIFEST)
    stated = _read_small(tar, MANIFEST_SUM).decode("ascii", "replace").strip()
    if hashlib.sha256(encoded).hexdigest() != stated:
        raise ArchiveDamaged(MANIFEST, f"its checksum differs from {MANIFEST_SUM}")
    try:
        body = json.loads(encoded)
    except ValueError:
        raise ArchiveDamaged(MANIFEST, "not valid JSON") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ArchiveDamaged(MANIFEST, f"not an {FORMAT} manifest")
    files = body.pop("files")
    body.pop("format")
    return Manifest(body, files)


def _copy_checked(handle: IO[bytes], out: Path, name: str, expected: dict[str, Any]) -> None:
    digest, size = hashlib.sha256(), 0
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with out.open("wb") as sink:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                sink.write(chunk)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveDamaged(name, f"cut short ({exc})") from None
    if size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
        raise ArchiveDamaged(name, "its SHA-256 differs from the manifest's")


def extract(source: Path, into: Path) -> Manifest:
    """Extract and check every member into a folder; ArchiveDamaged names the first part that is not whole."""
    try:
        tar = tarfile.open(source, "r:")  # noqa: SIM115 - closed below
    except (tarfile.TarError, OSError) as exc:
        raise ArchiveDamaged(MANIFEST, f"not a readable archive ({exc})") from None
    with tar:
        manifest = _manifest(tar)
        seen: set[str] = set()
        last = MANIFEST_SUM
        while True:
            try:
                member = tar.next()
            except (tarfile.TarError, EOFError, OSError) as exc:
                raise ArchiveDamaged(_next_after(manifest, last), f"unreadable header ({exc})") from None
            if member is None:
                break
            name = member.name
            if name not in manifest.files or name in seen or not member.isfile() or not _safe_name(name):
                raise ArchiveDamaged(name, "not listed in the manifest")
            handle = tar.extractfile(member)
            if handle is None:
                raise ArchiveDamaged(name, "unreadable")
            _copy_checked(handle, into / name, name, manifest.files[name])
            seen.add(name)
            last = name
    missing = [name for name in manifest.files if name not in seen]
    if missing:
        raise ArchiveDamaged(missing[0], "missing (the archive is cut short)")
    return manifest


def _next_after(manifest: Manifest, last: str) -> str:
    """The member the manifest lists after `last`: the one whose header could not be read."""
    names = list(manifest.files)
    index = names.index(last) + 1 if last in names else 0
    return names[index] if index < len(names) else last
