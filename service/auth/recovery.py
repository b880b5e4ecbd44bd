"""Recovery codes (pure apart from hashing): ten single-use codes, shown once, stored as argon2 hashes.

A code reads `ABCD-EFGH-JKLM` (12 characters of a 31-letter alphabet without 0/O, 1/I/L: about 59 bits). Its
first group is stored in clear as a lookup key, so a code is checked against one hash, not ten.
"""

from __future__ import annotations

import secrets

from service.auth import passwords

COUNT = 10
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP_LENGTH = 3, 4


def new_codes(count: int = COUNT) -> list[str]:
    """Fresh codes, each unique in the set."""
    codes: set[str] = set()
    while len(codes) < count:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
        codes.add("-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH)))
    return sorted(codes)


def normalise(code: str) -> str | None:
    """The code as stored (upper case, dashes in place), or None when it cannot be a recovery code."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(raw) != GROUPS * GROUP_LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def lookup_of(code: str) -> str:
    """The clear part used to find the code's row."""
    return code[:GROUP_LENGTH]


def hash_code(code: str) -> str:
    """The stored form of a code."""
    return passwords.hash_password(code)


def matches(code_hash: str, code: str) -> bool:
    """True when the code is the one hashed."""
    return passwords.verify_password(code_hash, code)
