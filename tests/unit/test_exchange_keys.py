"""The node key: generated once in the data folder, signing and verifying, refusals of tampering and other keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.exchange import keys


def test_the_key_is_generated_once_and_kept_private(tmp_path: Path):
    first = keys.load_or_create(None, tmp_path)
    again = keys.load_or_create(None, tmp_path)
    assert keys.fingerprint(first) == keys.fingerprint(again)
    assert (tmp_path / keys.KEY_FILE).stat().st_mode & 0o077 == 0
    assert "d" not in keys.public_jwk(first)


def test_a_key_given_by_the_setting_wins(tmp_path: Path):
    given = keys.load_or_create(None, tmp_path / "other")
    setting = json.dumps(given.as_dict(private=True))
    assert keys.fingerprint(keys.load_or_create(setting, tmp_path)) == keys.fingerprint(given)
    assert not (tmp_path / keys.KEY_FILE).exists()


def test_a_signed_message_verifies_with_the_published_key_only(tmp_path: Path):
    node = keys.load_or_create(None, tmp_path / "a")
    stranger = keys.load_or_create(None, tmp_path / "b")
    token = keys.sign(node, b'{"id": "m1"}')
    published = keys.import_public(keys.public_jwk(node))
    assert keys.key_id(token) == keys.fingerprint(node)
    assert keys.verify(token, published) == b'{"id": "m1"}'
    with pytest.raises(keys.BadSignature):
        keys.verify(token, keys.import_public(keys.public_jwk(stranger)))


def test_a_modified_body_under_a_valid_signature_is_refused(tmp_path: Path):
    node = keys.load_or_create(None, tmp_path)
    header, _, signature = keys.sign(node, b'{"value": 1}').split(".")
    forged = keys.sign(node, b'{"value": 2}').split(".")[1]
    with pytest.raises(keys.BadSignature):
        keys.verify(f"{header}.{forged}.{signature}", keys.import_public(keys.public_jwk(node)))


def test_only_ed25519_public_keys_are_imported(tmp_path: Path):
    node = keys.load_or_create(None, tmp_path)
    with pytest.raises(keys.BadSignature):
        keys.import_public(node.as_dict(private=True))
    with pytest.raises(keys.BadSignature):
        keys.import_public({"kty": "RSA", "n": "x", "e": "AQAB"})
    with pytest.raises(keys.BadSignature):
        keys.key_id("not-a-jws")
