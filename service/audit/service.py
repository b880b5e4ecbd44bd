"""Appending to the audit trail, checking its chain, and pruning its oldest end. Services flush; the request commits.

`record` is the one way in: every security or accountability event of the service calls it inside the request's
transaction, so an event and the change it records are stored together or not at all. Appends are serialised by a
transaction-level advisory lock (one chain across every app instance and worker): the lock is held from the append
to the commit, so handlers record after their reads, as the last thing they do.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from service.audit import chain, repository
from service.audit.models import AuditAnchor
from service.clock import now
from service.db import in_own_transaction
from service.observability import current_origin, current_request_id


class Actor(Protocol):
    """Who acted: a Principal or a User both qualify (their id and their user name)."""

    @property
    def username(self) -> str: ...


@dataclass(frozen=True)
class Who:
    """An actor given by id and name (the failed sign-in of an unknown name has no id)."""

    id: uuid.UUID | None
    username: str


def _actor_id(actor: Actor | None) -> uuid.UUID | None:
    if actor is None:
        return None
    found = getattr(actor, "user_id", None) or getattr(actor, "id", None)
    return found if isinstance(found, uuid.UUID) else None


def event_row(
    event: str,
    actor: Actor | None,
    *,
    record_type: str | None = None,
    record_ids: Iterable[object] = (),
    fields: Iterable[str] = (),
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An event's content as it is hashed and stored: the time now, and where the request being served came from."""
    address, user_agent = current_origin()
    return {
        "at": now(),
        "event": event,
        "actor_id": _actor_id(actor),
        "actor_name": actor.username[:100] if actor is not None else None,
        "record_type": record_type,
        "record_ids": [str(r) for r in record_ids],
        "fields": list(fields),
        "address": address,
        "user_agent": user_agent,
        "request_id": current_request_id(),
        "detail": dict(detail or {}),
    }


def _arguments(row: Mapping[str, Any]) -> dict[str, Any]:
    arguments = {**row, "digest": chain.content_digest(row)}
    arguments.update({name: json.dumps(row[name], ensure_ascii=False) for name in ("record_ids", "fields", "detail")})
    return arguments


async def append(session: AsyncSession, row: Mapping[str, Any]) -> int:
    """Append one row made by `event_row` to the chain; returns its id."""
    return await repository.append(session, _arguments(row))


def prepared(row: Mapping[str, Any]) -> str:
    """A row made by `event_row` as append_many sends it: JSON, its content digest computed (the read buffer
    prepares each row as it is added, so a batch of a hundred costs its flush no 5 ms on the event loop)."""
    arguments = _arguments(row)
    arguments["at"] = row["at"].isoformat()
    arguments["actor_id"] = str(row["actor_id"]) if row["actor_id"] else None
    return json.dumps(arguments)


async def append_many(session: AsyncSession, rows: list[str]) -> None:
    """Append rows (each `prepared`), in their order, in one round trip (the read buffer's batches)."""
    await repository.append_many(session, "[" + ",".join(rows) + "]")


async def record(session: AsyncSession, event: str, actor: Actor | None, **what: Any) -> int:
    """Append one event (who, which records, which fields, from where) to the chain; returns its id.

    `what`: record_type, record_ids, fields, and `detail`, which holds strings, whole numbers, booleans and lists of
    them (they come back from JSONB unchanged)."""
    return await append(session, event_row(event, actor, **what))


async def record_apart(session: AsyncSession, event: str, actor: Actor | None, **what: Any) -> None:
    """`record` in a transaction of its own, kept whatever becomes of the request's (a refused sign-in).

    Only for a request that has recorded nothing yet: its own transaction would hold the append lock."""

    async def work(own: AsyncSession) -> None:
        await record(own, event, actor, **what)

    await in_own_transaction(session, work)


@dataclass(frozen=True)
class Verdict:
    """What `ipcoord audit verify` found."""

    rows: int
    head_hash: str
    broken: chain.Break | None
    anchor_id: int | None


async def verify(connection: AsyncConnection, batch: int = 2000) -> Verdict:
    """Recompute the chain from its latest anchor (or the genesis hash); the first row that breaks it, if any."""
    anchor = await repository.latest_anchor(connection)
    after, start = (anchor[0], anchor[1]) if anchor else (0, chain.GENESIS)
    walk = chain.Walk(last_hash=start)
    async for rows in repository.chain_rows(connection, after, batch):
        if not walk.run(rows):
            break
    return Verdict(walk.rows, walk.last_hash, walk.broken, anchor[0] if anchor else None)


async def prune(session: AsyncSession, keep_days: int, at: datetime | None = None) -> int:
    """Delete the rows older than `keep_days` at the chain's oldest end, recording the new anchor first.

    The trigger lets DELETE through only for rows at or below the latest anchor; the pruning is itself recorded."""
    at = at or now()
    await repository.lock_appends(session)
    last = await repository.last_before(session, at - timedelta(days=keep_days))
    if last is None:
        return 0
    deleted = await repository.count_through(session, last[0])
    session.add(AuditAnchor(at=at, through_id=last[0], through_hash=last[1], deleted=deleted))
    await session.flush()
    await repository.delete_through(session, last[0])
    await record(
        session,
        "audit.pruned",
        None,
        detail={"through_id": int(last[0]), "through_hash": last[1], "deleted": deleted, "keep_days": keep_days},
    )
    return deleted
