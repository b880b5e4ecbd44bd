"""Where attachment bytes live: content-addressed by SHA-256, behind a small interface (object storage can follow)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^(?P<prefix>[0-9a-f]{2})/(?P=prefix)[0-9a-f]{62}$")


class InvalidStorageKey(ValueError):
    """A key that is not one this store hands out (and might point outside its folder)."""


class FileStore(Protocol):
    """Stores bytes once and gives them back by the key `put` returned."""

    async def put(self, content: bytes) -> str:
        """Store the bytes (idempotent for equal content); returns their key."""
        ...

    async def read(self, key: str) -> bytes:
        """The bytes stored under a key; FileNotFoundError if there are none."""
        ...

    async def exists(self, key: str) -> bool:
        """Whether bytes are stored under a key."""
        ...


def storage_key(content: bytes) -> str:
    """The key of some bytes: `ab/abcdef…`, their SHA-256 in hex under a folder named by its first two digits."""
    digest = hashlib.sha256(content).hexdigest()
    return f"{digest[:2]}/{digest}"


class LocalFileStore:
    """A FileStore in a local folder; files are written atomically and never changed afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, key: str) -> Path:
        """The file for a key, refusing any key this store would not have produced."""
        if not _KEY.fullmatch(key):
            raise InvalidStorageKey(key)
        path = self.root / key
        # Defence in depth behind the pattern: a symlinked folder must not lead outside the root either.
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise InvalidStorageKey(key)
        return path

    async def put(self, content: bytes) -> str:
        """Store the bytes under their hash; equal content is stored once."""
        key = storage_key(content)
        await asyncio.to_thread(self._write, self.path_of(key), content)
        return key

    async def read(self, key: str) -> bytes:
        """The bytes stored under a key."""
        return await asyncio.to_thread(self.path_of(key).read_bytes)

    async def exists(self, key: str) -> bool:
        """Whether a file is stored under a key."""
        return await asyncio.to_thread(self.path_of(key).is_file)

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target, then rename: readers see the whole file or none (os.replace is atomic).
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
