"""The hash chain of the audit trail (pure): each row's hash covers its content, its id and the hash before it.

hash = SHA-256 of ``"<hash of the row before>:<id>:<content digest>"`` (hex), where the content digest is the SHA-256
of the row's canonical form: JSON with sorted keys, no spaces, UTF-8, times in UTC with microseconds. What PostgreSQL
gives back for a stored row is exactly what was digested, so `ipcoord audit verify` recomputes every hash. The
service computes the content digest; the database function `audit_append` (migration 9c4e1a7b2d55) chains it, in
the same statement that takes the append lock and reads the hash before.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the "row before" the first row of a chain that was never pruned
CONTENT = (
    "at",
    "event",
    "actor_id",
    "actor_name",
    "record_type",
    "record_ids",
    "fields",
    "address",
    "user_agent",
    "request_id",
    "detail",
)
HASHED = ("id", *CONTENT, "prev_hash")  # every column the hash covers


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes a row's content digest is computed over."""
    body = {name: _plain(row[name]) for name in CONTENT}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_digest(row: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of a row's canonical content."""
    return hashlib.sha256(canonical(row)).hexdigest()


def link(prev_hash: str, row_id: int, digest: str) -> str:
    """A row's hash from the hash before it, its id and its content digest (as audit_append computes it)."""
    return hashlib.sha256(f"{prev_hash}:{row_id}:{digest}".encode()).hexdigest()


def row_hash(row: Mapping[str, Any]) -> str:
    """The hash a stored row must carry."""
    return link(row["prev_hash"], row["id"], content_digest(row))


@dataclass(frozen=True)
class Break:
    """The first row that breaks the chain, and how."""

    id: int
    reason: str  # "changed": its content does not give its hash; "unlinked": it does not follow the row before


@dataclass
class Walk:
    """A walk over the chain, row by row in id order, from the hash before its first row."""

    last_hash: str
    rows: int = 0
    broken: Break | None = None

    def step(self, row: Mapping[str, Any]) -> bool:
        """Check one row; False (and `broken` set) at the first row that breaks the chain."""
        if row["prev_hash"] != self.last_hash:
            self.broken = Break(row["id"], "unlinked")
        elif row_hash(row) != row["hash"]:
            self.broken = Break(row["id"], "changed")
        else:
            self.last_hash = row["hash"]
            self.rows += 1
            return True
        return False

    def run(self, rows: Iterable[Mapping[str, Any]]) -> bool:
        """Check rows until one breaks the chain."""
        return all(self.step(row) for row in rows)
