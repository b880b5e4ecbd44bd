"""Test signing certificates: a self-signed root and an agency certificate it issues, as PKCS#12 files.

Made with `cryptography` in a fixture (nothing is committed): the root stands for a Vietnamese certification
authority (tests trust it explicitly), the agency certificate for the organisation's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = "mat-khau-thu"


@dataclass(frozen=True)
class SigningCa:
    """The root (as asn1crypto, for pyHanko's validator) and a way to issue agency PKCS#12 files."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def trust_root(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    def issue_pkcs12(self, path: Path, common_name: str, *, not_before: dt.datetime, not_after: dt.datetime) -> Path:
        """An agency certificate (digital signature, non-repudiation) in a PKCS#12 file with PASSPHRASE."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            _builder(_name(common_name), self.cert.subject, key.public_key(), not_before, not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_signing_usage(), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        encryption = serialization.BestAvailableEncryption(PASSPHRASE.encode())
        path.write_bytes(pkcs12.serialize_key_and_certificates(b"agency", key, cert, [self.cert], encryption))
        return path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ipcoord test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _signing_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _builder(subject, issuer, public_key, not_before, not_after) -> x509.CertificateBuilder:  # type: ignore[no-untyped-def]
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )


def make_ca() -> SigningCa:
    """A self-signed root CA valid from a year ago for ten years."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
    )  # fmt: skip
    name = _name("ipcoord test root CA")
    cert = (
        _builder(name, name, key.public_key(), now - dt.timedelta(days=365), now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    return SigningCa(key, cert)
