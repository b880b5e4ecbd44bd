"""Short-lived signed partner tokens (JWT, HS256, joserfc): partner id, secret version, jti, expiry."""

from __future__ import annotations

import time
import uuid

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

ISSUER = "ipcoord"
LIFETIME_SECONDS = 300
_CLAIMS = jwt.JWTClaimsRegistry(
    iss={"essential": True, "value": ISSUER}, sub={"essential": True}, jti={"essential": True}, exp={"essential": True}
)


def issue(key: str, partner_id: uuid.UUID, secret_version: int, now: float | None = None) -> tuple[str, str]:
    """A signed token for the partner and its jti."""
    issued = int(now if now is not None else time.time())
    jti = str(uuid.uuid4())
    claims = {
        "iss": ISSUER,
        "sub": str(partner_id),
        "ver": secret_version,
        "jti": jti,
        "iat": issued,
        "exp": issued + LIFETIME_SECONDS,
    }
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(key)), jti


def verify(key: str, token: str) -> tuple[uuid.UUID, int, str] | None:
    """(partner id, secret version, jti) of a genuine unexpired token, or None."""
    try:
        decoded = jwt.decode(token, OctKey.import_key(key), algorithms=["HS256"])
        _CLAIMS.validate(decoded.claims)
        return uuid.UUID(decoded.claims["sub"]), int(decoded.claims["ver"]), str(decoded.claims["jti"])
    except (JoseError, ValueError, KeyError, TypeError):
        return None
