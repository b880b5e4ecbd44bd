"""The node's Ed25519 key pair, its fingerprint, and JWS signing and verification (pure apart from the key file).

Messages are JWS compact serialisations with the fully specified algorithm `Ed25519` (RFC 9864); the `kid`
header is the key's RFC 7638 thumbprint, which is also the fingerprint partners pin.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

ALGORITHM = "Ed25519"
KEY_FILE = "exchange_key.jwk"
MESSAGE_TYPE = "ipcoord-exchange+jws"


class BadSignature(Exception):
    """The JWS is malformed, uses another algorithm, or its signature does not match the key."""


def load_or_create(private_jwk: str | None, data_dir: Path) -> OKPKey:
    """The key given by the setting, else the one kept in the data folder, else a new one saved there."""
    if private_jwk:
        return OKPKey.import_key(json.loads(private_jwk))
    path = data_dir / KEY_FILE
    if path.exists():
        return OKPKey.import_key(json.loads(path.read_text()))
    key = OKPKey.generate_key("Ed25519")
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(key.as_dict(private=True)))
    path.chmod(0o600)
    return key


def fingerprint(key: OKPKey) -> str:
    """The RFC 7638 SHA-256 thumbprint of the public key (base64url): what partners pin and `kid` carries."""
    return str(key.thumbprint())


def public_jwk(key: OKPKey) -> dict[str, Any]:
    """The public half as a JWK with its kid, use and algorithm."""
    return dict(key.as_dict(private=False)) | {"kid": fingerprint(key), "use": "sig", "alg": ALGORITHM}


def import_public(jwk: dict[str, Any]) -> OKPKey:
    """A partner's public key from its JWKS entry; refuses anything but an Ed25519 OKP key."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
        raise BadSignature("not an Ed25519 public key")
    return OKPKey.import_key({k: jwk[k] for k in ("kty", "crv", "x")})


def sign(key: OKPKey, payload: bytes) -> str:
    """The compact JWS of `payload` under the node's key."""
    header = {"alg": ALGORITHM, "kid": fingerprint(key), "typ": MESSAGE_TYPE}
    return str(jws.serialize_compact(header, payload, key, algorithms=[ALGORITHM]))


def key_id(token: str) -> str:
    """The `kid` of a compact JWS, read before verifying (to find the partner's pinned key)."""
    try:
        headers = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError) as error:
        raise BadSignature(str(error)) from error
    kid = headers.get("kid")
    if headers.get("alg") != ALGORITHM or not isinstance(kid, str):
        raise BadSignature("alg must be Ed25519 and kid a string")
    return kid


def verify(token: str, key: OKPKey) -> bytes:
    """The payload of a compact JWS signed by `key`; BadSignature otherwise."""
    try:
        return bytes(jws.deserialize_compact(token, key, algorithms=[ALGORITHM]).payload)
    except (JoseError, ValueError) as error:
        raise BadSignature(type(error).__name__) from error


def unverified_payload(token: str) -> bytes:
    """The payload of a compact JWS without checking its signature: only for tokens this node stored after
    signing or verifying them (a resend re-signed, a stored arrival compared with a new one)."""
    try:
        return bytes(jws.extract_compact(token.encode()).payload)
    except (JoseError, ValueError) as error:
        raise BadSignature(str(error)) from error
