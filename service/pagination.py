"""Keyset cursors: an opaque, URL-safe position (a sort key and an id) after the last item of a page."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import date, datetime
from typing import TypeVar

from service.errors import Invalid

Key = TypeVar("Key", date, datetime)


def encode_cursor(key: date | datetime, ident: uuid.UUID) -> str:
    """The position after the item sorted at `key` with this id."""
    raw = f"{key.isoformat()}|{ident}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, key_type: type[Key]) -> tuple[Key, uuid.UUID]:
    """(key, id) of a cursor made by encode_cursor; anything else is a 400 naming `cursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        key, ident = raw.split("|")
        return key_type.fromisoformat(key), uuid.UUID(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid(field="cursor").with_code("incident.bad_cursor") from None
