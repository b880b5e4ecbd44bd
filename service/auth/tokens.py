"""API bearer tokens: high-entropy secrets stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "ipc_"  # noqa: S105 - a public marker, not a secret


def new_token() -> str:
    """A fresh token, shown to its owner once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The stored form of a token; a fast hash suffices for 256 random bits."""
    return hashlib.sha256(token.encode()).hexdigest()


def display_prefix(token: str) -> str:
    """The first characters, so the owner can tell tokens apart in a list."""
    return token[: len(TOKEN_PREFIX) + 6]
