"""Map answers cached per (map, settings, filters, scope, data version), in PostgreSQL for every app instance.

A map's answer depends only on what it is asked and on the incidents, fines and agencies stored: the data version
(repository.data_version) grows with every committed write to those tables, so an answer stored at a version is
right for as long as the version stays; a write makes every older answer unreachable (and the next store deletes
them). The version is read before the data, so an answer is never stored under a version newer than its data.
Answers are kept ``KEEP`` at most and ``MAX_ENTRIES`` at most (the newest). See docs/maps.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from service.map_views import repository
from service.map_views.query import MapFilters

# Raise when an answer's content changes meaning without its Struct's fields changing (a new rule, a new note):
# answers stored by the older code are then never read.
FORMAT = 1
KEEP = timedelta(hours=24)
MAX_ENTRIES = 500

Out = TypeVar("Out", bound=msgspec.Struct)


def key(kind: str, out_type: type[msgspec.Struct], filters: MapFilters, agency: str | None, **settings: Any) -> str:
    """The cache key: a digest of the map, its answer's fields, the filters, the scope and the map's settings."""
    parts = {
        "format": FORMAT,
        "kind": kind,
        "answer": [out_type.__name__, *out_type.__struct_fields__],
        "generation": filters.generation,
        "filters": filters.context(),
        "scope": agency,
        "settings": settings,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def named_key(kind: str, **parts: Any) -> str:
    """The cache key of an answer built from the maps' data that is not a map (service/share's datasets)."""
    named = {"format": FORMAT, "kind": kind, "parts": parts}
    return hashlib.sha256(json.dumps(named, sort_keys=True, default=str).encode()).hexdigest()


async def cached(
    session: AsyncSession,
    cache_key: str,
    out_type: type[Out],
    compute: Callable[[], Awaitable[Out]],
) -> Out:
    """The answer stored under ``cache_key`` at the current data version, else ``compute()`` stored there."""
    version = await repository.data_version(session)  # before the data: see the module docstring
    body = await repository.cached_result(session, cache_key, version)
    if body is not None:
        try:
            return msgspec.json.decode(body, type=out_type)
        except msgspec.MsgspecError:  # stored by code whose answer no longer decodes: computed again
            pass
    out = await compute()
    await repository.store_result(session, cache_key, version, msgspec.json.encode(out), KEEP, MAX_ENTRIES)
    return out


async def cached_rows(
    session: AsyncSession, cache_key: str, compute: Callable[[], Awaitable[list[dict[str, Any]]]]
) -> list[dict[str, Any]]:
    """As ``cached``, for rows of plain JSON values (strings, numbers, booleans, None)."""
    version = await repository.data_version(session)  # before the data
    body = await repository.cached_result(session, cache_key, version)
    if body is not None:
        return list(msgspec.json.decode(body))
    rows = await compute()
    await repository.store_result(session, cache_key, version, msgspec.json.encode(rows), KEEP, MAX_ENTRIES)
    return rows
