"""Static assets under /static, cached for a year, and content-hashed URLs that make that cache safe."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PATH = "/static"
ONE_YEAR = 365 * 24 * 60 * 60
# A changed file gets a new URL (see asset_url), so browsers may keep each URL forever.
CACHE_CONTROL = CacheControlHeader(public=True, max_age=ONE_YEAR, immutable=True)
# A response any cache may share must not set anyone's cookie: no session refresh, no CSRF cookie.
STATELESS = {"skip_session": True, "exclude_from_csrf": True}


def static_router() -> Router:
    """GET/HEAD /static/<path>: files of service/web/static, public, long-cached, never outside that folder."""
    return create_static_files_router(
        path=STATIC_PATH,
        directories=[STATIC_DIR],
        name="static",
        cache_control=CACHE_CONTROL,
        opt=dict(STATELESS),
        include_in_schema=False,
    )


def file_version(file: Path) -> str:
    """The first 12 hex digits of the file's SHA-256."""
    with file.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()[:12]


class AssetUrls:
    """Content-hashed URLs of the files in one folder; each file is hashed once per instance."""

    def __init__(self, root: Path, prefix: str = STATIC_PATH) -> None:
        self.root = root.resolve()
        self.prefix = prefix
        self._versions: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        """`<prefix>/<path>?v=<hash>`; FileNotFoundError for a missing file or one outside the folder."""
        version = self._versions.get(path)
        if version is None:
            version = self._versions[path] = file_version(self._file(path))
        return f"{self.prefix}/{quote(path)}?v={version}"

    def _file(self, path: str) -> Path:
        file = (self.root / path).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            raise FileNotFoundError(f"no static asset {path!r} in {self.root}")
        return file


_STATIC_URLS = AssetUrls(STATIC_DIR)


def asset_url(path: str) -> str:
    """The URL pages must use for a static file: `asset_url("css/site.css")` -> "/static/css/site.css?v=1a2b3c4d5e6f".

    The hash is computed once per process; FileNotFoundError when service/web/static has no such file.
    """
    return _STATIC_URLS(path)
