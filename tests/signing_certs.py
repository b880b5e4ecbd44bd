"""Test signing certificates: a self-signed root, an agency certificate it issues (as a PKCS#12 file), a timestamp
authority's certificate and the root's certificate revocation list.

Made with `cryptography` in a fixture (nothing is committed): the root stands for a Vietnamese certification
authority (tests trust it explicitly), the agency certificate for the organisation's own. A certificate issued
with ``crl_url`` names where the root's CRL is published (tests/timestamp_authority.py serves it), so pyHanko can
fetch revocation data and embed it (PAdES B-LT).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "mat-khau-thu"


@dataclass(frozen=True)
class SigningCa:
    """The root (as asn1crypto, for pyHanko's validator) and a way to issue agency PKCS#12 files."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def trust_root(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    def issue_pkcs12(
        self,
        path: Path,
        common_name: str,
        *,
        not_before: dt.datetime,
        not_after: dt.datetime,
        crl_url: str | None = None,
    ) -> Path:
        """An agency certificate (digital signature, non-repudiation) in a PKCS#12 file with PASSPHRASE."""
        key = ec.generate_private_key(ec.SECP256R1())
        builder = _builder(_name(common_name), self.cert.subject, key.public_key(), not_before, not_after)
        cert = (
            _published(builder, crl_url)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_signing_usage(), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        encryption = serialization.BestAvailableEncryption(PASSPHRASE.encode())
        path.write_bytes(pkcs12.serialize_key_and_certificates(b"agency", key, cert, [self.cert], encryption))
        return path

    def issue_tsa(self, crl_url: str | None = None) -> tuple[asn1_x509.Certificate, asn1_keys.PrivateKeyInfo]:
        """A timestamp authority's certificate (extended key usage timeStamping, critical) and its RSA key (pyHanko's
        DummyTimeStamper signs with RSA only)."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        moment = dt.datetime.now(dt.UTC)
        builder = _builder(
            _name("ipcoord test TSA"), self.cert.subject, key.public_key(), moment - dt.timedelta(days=30),
            moment + dt.timedelta(days=365),
        )  # fmt: skip
        cert = (
            _published(builder, crl_url)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_signing_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        der_key = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)), asn1_keys.PrivateKeyInfo.load(
            der_key
        )

    def crl(self) -> bytes:
        """The root's certificate revocation list (DER): nothing revoked, valid a week."""
        moment = dt.datetime.now(dt.UTC)
        crl = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(moment - dt.timedelta(minutes=5))
            .next_update(moment + dt.timedelta(days=7))
            .add_extension(x509.CRLNumber(1), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return crl.public_bytes(serialization.Encoding.DER)


def _published(builder: x509.CertificateBuilder, crl_url: str | None) -> x509.CertificateBuilder:
    """The builder with a CRL distribution point at ``crl_url``, if one is given."""
    if crl_url is None:
        return builder
    point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
    return builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)


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
