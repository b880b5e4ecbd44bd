"""The offline app: /sw.js, the service worker that keeps the inspector's pages and their files on the phone.

The worker is served from the site's root so its scope covers every page. Its text is
service/web/static/js/service-worker.js after a first line naming what to keep: the content-hashed URLs of
the scripts and style sheets (`asset_url`, the same URLs the pages link) and the pages an inspector opens in the
field. The version is a hash of that text, so a changed file installs a new worker, which keeps the new files
and drops the old ones. Pages are fetched from the network first and kept for when there is none; the record
form's submissions wait in IndexedDB (offline.js), never in the worker.
"""

from __future__ import annotations

import functools
import hashlib
import json

from litestar import Response, get

from service.web.assets import STATELESS, STATIC_DIR, asset_url

WORKER_PATH = "/sw.js"
# What an inspector opens in the field; the record form holds the 38 units, so the unit list comes with it.
PAGES = ("/incidents/new", "/incidents/mine")
# The files those pages use (maps' Leaflet is left out: an inspector records, a coordinator maps online).
ASSETS = (
    "favicon.svg",
    "css/site.css",
    "css/record.css",
    "js/offline.js",
    "js/rules.js",
    "js/record-errors.js",
    "js/record-place.js",
    "js/record-photos.js",
    "js/record-refer.js",
    "js/record.js",
    "js/sw-register.js",
)
# The worker's own policy: it fetches only from ipcoord and runs no other script.
WORKER_CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'"


@functools.cache
def worker_script() -> tuple[str, str]:
    """(version, the worker's text), built once per process."""
    manifest = {"pages": list(PAGES), "assets": [asset_url(path) for path in ASSETS]}
    body = (STATIC_DIR / "js" / "service-worker.js").read_text(encoding="utf-8")
    version = hashlib.sha256((json.dumps(manifest) + body).encode()).hexdigest()[:12]
    head = f"self.IPCOORD = {json.dumps(manifest | {'version': version})};\n"
    return version, head + body


@get(WORKER_PATH, media_type="text/javascript; charset=utf-8", include_in_schema=False, opt=dict(STATELESS))
async def service_worker() -> Response[str]:
    """Service worker của ipcoord / ipcoord's service worker (checked for updates at every page load)."""
    version, text = worker_script()
    headers = {
        "Cache-Control": "no-cache",  # the browser asks every time; a new version installs at once
        "Content-Security-Policy": WORKER_CSP,
        "Service-Worker-Allowed": "/",
        "ETag": f'"{version}"',
    }
    return Response(text, media_type="text/javascript; charset=utf-8", headers=headers)
