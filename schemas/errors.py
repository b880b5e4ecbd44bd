"""The one error contract: every 4xx and 5xx body has this shape."""

from __future__ import annotations

import msgspec


class FieldError(msgspec.Struct, kw_only=True):
    """One problem with one field of the request."""

    field: str | None
    code: str
    message_vi: str
    message_en: str


class ErrorBody(msgspec.Struct, kw_only=True):
    """Error response: a stable code, both languages, the first field at fault and all problems."""

    code: str
    message_vi: str
    message_en: str
    field: str | None = None
    errors: list[FieldError] = msgspec.field(default_factory=list)
    request_id: str | None = None
