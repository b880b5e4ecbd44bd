"""Hooks of the schemathesis run (SCHEMATHESIS_HOOKS): media types the app reads that schemathesis has no
serializer for. The exchange inbox reads a compact JWS as `application/jose` (docs/exchange.md): sent as text."""

from __future__ import annotations

import schemathesis

schemathesis.serializer.alias("application/jose", "text/plain")
