"""TOTP codes (RFC 6238: 30-second steps, 6 digits, SHA-1, as every authenticator app reads them) with pyotp.

Pure: no database. A code is accepted for its own step and one step either side (clock drift), and the caller
refuses a step it has seen before, so each code works once.
"""

from __future__ import annotations

import io
from datetime import datetime

import pyotp
import segno

ISSUER = "ipcoord Lai Châu"
DRIFT_STEPS = 1


def new_secret() -> str:
    """A fresh base32 key of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an SVG QR code (inline in the page; no image service, no script)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (within the drift allowed), or None for a wrong or expired code."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step + offset), code):
            return step + offset
    return None


def code_at(secret: str, when: datetime) -> str:
    """The code an app shows at `when` (tests and the benchmark)."""
    return pyotp.TOTP(secret).at(when)
