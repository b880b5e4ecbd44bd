"""Settings read once from the environment: the only module that reads os.environ."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import msgspec
import platformdirs
from litestar.di import NamedDependency

Environment = Literal["development", "production"]
DEFAULT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024

# Every variable the service reads, with its meaning. docker-compose.yml must use exactly these names
# (tests/test_compose.py checks), and docs/configuration.md lists them.
ENV_VARS: dict[str, str] = {
    "IPCOORD_ENV": "development | production; production requires SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS",
    "DATABASE_URL": "PostgreSQL URL; unset in development starts the embedded PostgreSQL",
    "SECRET_KEY": "signs CSRF tokens; at least 32 characters",
    "FIELD_ENCRYPTION_KEY": (
        "seals encrypted columns (TOTP keys), at least 32 characters; unset: derived from SECRET_KEY, so set it "
        "before ever rotating SECRET_KEY (docs/security.md)"
    ),
    "ALLOWED_HOSTS": "comma-separated host names, served on any port ('*': any; '*.example.gov.vn': subdomains)",
    "COOKIE_SECURE": "1 to send cookies over HTTPS only (default 1 in production)",
    "SESSION_MAX_AGE": "seconds a login session lives without activity (default 28800)",
    "LOGIN_RATE_LIMIT": "login attempts allowed per client address per minute (default 10)",
    "DB_POOL_SIZE": "database connections an app process keeps open once it needed them (default 20)",
    "DB_POOL_OVERFLOW": (
        "connections an app process may open beyond DB_POOL_SIZE for a burst, closed after use (default 5); "
        "a request waits up to 10 s for a connection, then gets a 503"
    ),
    "SHUTDOWN_GRACE_SECONDS": (
        "on SIGTERM, seconds `serve` lets requests in flight finish and `worker` lets its current job finish "
        "(default 20)"
    ),
    "LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR (default INFO)",
    "IPCOORD_DATA_DIR": "folder for the embedded database and uploads (default: per-user data folder)",
    "FORWARDED_ALLOW_IPS": "proxy addresses trusted for X-Forwarded-For (default 127.0.0.1)",
    "UPLOAD_MAX_BYTES": "largest attachment accepted, in bytes (default 20971520 = 20 MiB, at least 1024)",
    "ATTACHMENTS_DIR": "folder where attachments are stored by content hash (default: <IPCOORD_DATA_DIR>/attachments)",
    "SMTP_HOST": "mail server for notification email; unset: no email is sent (webhooks still are)",
    "SMTP_PORT": "mail server port (default 587)",
    "SMTP_USER": "mail server login; unset: no login",
    "SMTP_PASSWORD": "mail server password",
    "SMTP_FROM": "sender address of notification email (default ipcoord@localhost)",
    "SMTP_STARTTLS": "1 to upgrade the mail connection with STARTTLS (default 1)",
    "REMINDER_DAYS_BEFORE": "working days before a clock runs out when its receiver is reminded (default 1)",
    "NOTIFY_MAX_ATTEMPTS": "delivery attempts before a notification becomes a dead letter (default 8)",
    "NOTIFY_RETRY_SECONDS": "delay before the first retry of a failed delivery, doubled each time (default 60)",
    "WEBHOOK_TIMEOUT_SECONDS": "seconds a webhook receiver has to answer (default 10)",
    "MAP_TILE_URL": "base-map tile URL template with {z}/{x}/{y} (default OpenStreetMap; 'none': boundaries only)",
    "MAP_TILE_ATTRIBUTION": "credit line of the base-map tiles (default: OpenStreetMap contributors)",
    "MAP_MIN_HEX_COUNT": "fewest incidents a hexagon needs to be shown on density maps (default 3, at least 2)",
    "RETENTION_YEARS": (
        "years a violator's personal data is kept after a case closed, per record class, e.g. 'seizure=5,dispute=10,"
        "withdrawn=1' (unset classes keep their defaults; docs/retention.md)"
    ),
    "RETENTION_BATCH": "incidents anonymised per transaction by the retention job (default 500)",
    "EXCHANGE_NODE_ID": "this instance's node id in the exchange between instances, e.g. LCU (docs/exchange.md)",
    "EXCHANGE_NODE_NAME": "this instance's name shown to partner nodes (default: the node id)",
    "EXCHANGE_PUBLIC_URL": "the public base URL partners reach this instance at (default http://127.0.0.1:8000)",
    "EXCHANGE_PRIVATE_KEY": "the node's Ed25519 private JWK (JSON); unset: generated in the data folder",
    "AUDIT_RETENTION_DAYS": "days audit rows are kept before the daily job prunes them (default 730, at least 30)",
    "AUDIT_READ_FLUSH_MS": (
        "milliseconds between the batched appends of personal-data reads to the audit trail (default 200; "
        "0: each read is recorded in its own request's transaction)"
    ),
    "BACKUP_DIR": "folder for the worker's nightly backups (unset: no nightly backup; docs/operations.md)",
    "BACKUP_KEEP": "nightly backups kept in BACKUP_DIR, the oldest removed first (default 7)",
    "MFA_REQUIRED_ROLES": (
        "comma-separated roles that must sign in with a second factor (default 'admin,coordinator' in production, "
        "none in development; 'none': nobody; docs/security.md)"
    ),
    "SIGNING_PKCS12": (
        "PKCS#12 file (.p12/.pfx) of the certificate outgoing documents are signed with, for agencies without one "
        "of their own (unset: documents go out unsigned and say so; docs/documents.md)"
    ),
    "SIGNING_PASSPHRASE": "passphrase of SIGNING_PKCS12 (and of the agencies' files without one of their own)",
    "SIGNING_PKCS12_BY_AGENCY": (
        "per-agency certificates, e.g. 'SKHCN=/etc/ipcoord/skhcn.p12,QLTT=/etc/ipcoord/qltt.p12'; the passphrase of "
        "agency CODE is read from SIGNING_PASSPHRASE_CODE (the code in capitals, other characters as _)"
    ),
    "SIGNING_TSA_URL": (
        "http(s) URL of an RFC 3161 timestamp authority: signatures become PAdES B-T (B-LT when the chain's "
        "revocation data can be fetched); unreachable or a bad answer: signed B-B and said so (docs/documents.md)"
    ),
    "SIGNING_TSA_TIMEOUT": "seconds to wait for the timestamp authority, and for each CRL/OCSP fetch (default 10)",
}
# Roles that must use a second factor unless MFA_REQUIRED_ROLES says otherwise (production only).
PRODUCTION_MFA_ROLES = ("admin", "coordinator")
ROLE_CODES = ("inspector", "agency_staff", "agency_head", "coordinator", "admin")

# Years a violator's personal data is kept once a case is closed, per record class: the incident kinds, and
# `withdrawn` for incidents withdrawn as recorded in error (docs/retention.md; verify with the province's legal
# staff). Administrative kinds: the limitation to sanction is 2 years, complaints and lawsuits against a decision
# run after it; disputes and mediation outcomes back civil rights that last longer.
DEFAULT_RETENTION_YEARS: dict[str, int] = {
    "seizure": 5,
    "customs_suspension": 5,
    "advertising_violation": 5,
    "online_infringement": 5,
    "copyright_infringement": 5,
    "plant_variety_infringement": 5,
    "dispute": 10,
    "mediation_outcome": 10,
    "withdrawn": 1,
}
MAX_RETENTION_YEARS = 100

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap contributors"


class SettingsError(Exception):
    """Raised at start-up when the environment cannot produce valid settings."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything configurable about one ipcoord process."""

    environment: Environment = "development"
    database_url: str | None = None
    secret_key: str
    allowed_hosts: tuple[str, ...] = ("*",)
    cookie_secure: bool = False
    session_max_age: int = 8 * 3600
    login_rate_limit: int = 10
    db_pool_size: int = 20
    db_pool_overflow: int = 5
    shutdown_grace_seconds: int = 20
    log_level: str = "INFO"
    data_dir: Path
    forwarded_allow_ips: str = "127.0.0.1"
    upload_max_bytes: int = DEFAULT_UPLOAD_MAX_BYTES
    attachments_dir: Path
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str = ""
    smtp_from: str = "ipcoord@localhost"
    smtp_starttls: bool = True
    reminder_days_before: int = 1
    notify_max_attempts: int = 8
    notify_retry_seconds: int = 60
    webhook_timeout_seconds: int = 10
    map_tile_url: str | None = DEFAULT_TILE_URL
    map_tile_attribution: str = DEFAULT_TILE_ATTRIBUTION
    map_min_hex_count: int = 3
    # (record class, years) for every class of DEFAULT_RETENTION_YEARS, in its order.
    retention_years: tuple[tuple[str, int], ...] = tuple(DEFAULT_RETENTION_YEARS.items())
    retention_batch: int = 500
    exchange_node_id: str = "LCU"
    exchange_node_name: str = "LCU"
    exchange_public_url: str = "http://127.0.0.1:8000"
    exchange_private_key: str | None = None
    # Decree 53/2022/NĐ-CP art. 26 asks for system logs kept at least 12 months; two years by default.
    audit_retention_days: int = 730
    audit_read_flush_ms: int = 200
    backup_dir: Path | None = None
    backup_keep: int = 7
    mfa_required_roles: tuple[str, ...] = ()
    field_encryption_key: str | None = None
    signing_pkcs12: Path | None = None
    signing_passphrase: str = ""
    # (agency code, PKCS#12 file, passphrase) for the agencies that sign with a certificate of their own.
    signing_by_agency: tuple[tuple[str, Path, str], ...] = ()
    # An RFC 3161 timestamp authority (None: signatures are PAdES B-B) and how long to wait for it.
    signing_tsa_url: str | None = None
    signing_tsa_timeout: int = 10
    # Partner systems (docs/sharing.md): calls a minute by default, and the LGSP gateway's header.
    share_rate_limit: int = 60
    share_gateway_enabled: bool = False
    share_gateway_secret: str | None = None
    share_gateway_addresses: tuple[str, ...] = ()

    @property
    def field_key(self) -> str:
        """The key sealing encrypted columns (TOTP keys): FIELD_ENCRYPTION_KEY, or derived from SECRET_KEY."""
        if self.field_encryption_key:
            return self.field_encryption_key
        return hmac.new(self.secret_key.encode(), b"ipcoord field encryption key", hashlib.sha256).hexdigest()

    def signing_credential(self, agency_code: str) -> tuple[Path | None, str]:
        """The PKCS#12 file and passphrase an agency signs with: its own, else the default (None: none)."""
        for code, path, passphrase in self.signing_by_agency:
            if code == agency_code:
                return path, passphrase
        return self.signing_pkcs12, self.signing_passphrase

    @property
    def share_token_key(self) -> str:
        """The key signing partner tokens (service/share/): derived from SECRET_KEY, so it is as secret."""
        return hmac.new(self.secret_key.encode(), b"ipcoord share token key", hashlib.sha256).hexdigest()

    @property
    def is_production(self) -> bool:
        """True when running as a deployed service."""
        return self.environment == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from the environment (or the given mapping), failing with a clear message."""
        env = os.environ if env is None else env
        environment = env.get("IPCOORD_ENV", "development")
        if environment not in ("development", "production"):
            raise SettingsError(f"IPCOORD_ENV must be 'development' or 'production', not {environment!r}")
        production = environment == "production"
        data_dir = Path(env.get("IPCOORD_DATA_DIR") or platformdirs.user_data_dir("ipcoord"))
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS") if production and not env.get(name)]
        if missing:
            raise SettingsError(f"production needs these environment variables: {', '.join(missing)}")
        secret_key = env.get("SECRET_KEY") or _development_secret(data_dir)
        if len(secret_key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters")
        return cls(
            environment=environment,  # type: ignore[arg-type]
            database_url=env.get("DATABASE_URL") or None,
            secret_key=secret_key,
            allowed_hosts=_hosts(env.get("ALLOWED_HOSTS", "*")),
            cookie_secure=_flag(env, "COOKIE_SECURE", default=production),
            session_max_age=_integer(env, "SESSION_MAX_AGE", 8 * 3600, minimum=60),
            login_rate_limit=_integer(env, "LOGIN_RATE_LIMIT", 10, minimum=1),
            db_pool_size=_integer(env, "DB_POOL_SIZE", 20, minimum=1),
            db_pool_overflow=_integer(env, "DB_POOL_OVERFLOW", 5, minimum=0),
            shutdown_grace_seconds=_integer(env, "SHUTDOWN_GRACE_SECONDS", 20, minimum=1),
            log_level=_log_level(env.get("LOG_LEVEL", "INFO")),
            data_dir=data_dir,
            forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            upload_max_bytes=_integer(env, "UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES, minimum=1024),
            attachments_dir=Path(env.get("ATTACHMENTS_DIR") or data_dir / "attachments"),
            **_notification_settings(env),
            **_map_settings(env),
            retention_years=_retention_years(env.get("RETENTION_YEARS", "")),
            retention_batch=_integer(env, "RETENTION_BATCH", 500, minimum=1),
            **_exchange_settings(env),
            audit_retention_days=_integer(env, "AUDIT_RETENTION_DAYS", 730, minimum=30),
            audit_read_flush_ms=_integer(env, "AUDIT_READ_FLUSH_MS", 200, minimum=0),
            backup_dir=Path(env["BACKUP_DIR"]) if env.get("BACKUP_DIR") else None,
            backup_keep=_integer(env, "BACKUP_KEEP", 7, minimum=1),
            mfa_required_roles=_mfa_roles(env.get("MFA_REQUIRED_ROLES"), production=production),
            field_encryption_key=_field_key(env.get("FIELD_ENCRYPTION_KEY")),
            **_signing_settings(env),
            **_share_settings(env),
        )


def _field_key(value: str | None) -> str | None:
    if value and len(value) < 32:
        raise SettingsError("FIELD_ENCRYPTION_KEY must be at least 32 characters")
    return value or None


def _notification_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Mail server, reminder and delivery-retry settings of the background worker."""
    return {
        "smtp_host": env.get("SMTP_HOST") or None,
        "smtp_port": _integer(env, "SMTP_PORT", 587, minimum=1),
        "smtp_user": env.get("SMTP_USER") or None,
        "smtp_password": env.get("SMTP_PASSWORD", ""),
        "smtp_from": env.get("SMTP_FROM") or "ipcoord@localhost",
        "smtp_starttls": _flag(env, "SMTP_STARTTLS", default=True),
        "reminder_days_before": _integer(env, "REMINDER_DAYS_BEFORE", 1, minimum=0),
        "notify_max_attempts": _integer(env, "NOTIFY_MAX_ATTEMPTS", 8, minimum=1),
        "notify_retry_seconds": _integer(env, "NOTIFY_RETRY_SECONDS", 60, minimum=1),
        "webhook_timeout_seconds": _integer(env, "WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1),
    }


def _map_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Base-map tiles and the privacy floor of density maps."""
    tile_url = env.get("MAP_TILE_URL") or DEFAULT_TILE_URL
    if tile_url.lower() == "none":
        tile_url = ""
    elif not tile_url.startswith(("https://", "http://", "/")) or not all(p in tile_url for p in ("{z}", "{x}", "{y}")):
        raise SettingsError("MAP_TILE_URL must be an http(s) or /path URL containing {z}, {x} and {y}, or 'none'")
    return {
        "map_tile_url": tile_url or None,
        "map_tile_attribution": env.get("MAP_TILE_ATTRIBUTION") or DEFAULT_TILE_ATTRIBUTION,
        "map_min_hex_count": _integer(env, "MAP_MIN_HEX_COUNT", 3, minimum=2),
    }


def _exchange_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The node's identity in the exchange between instances (docs/exchange.md)."""
    node_id = env.get("EXCHANGE_NODE_ID") or "LCU"
    if not re.fullmatch(r"[A-Z0-9_]{2,16}", node_id):
        raise SettingsError("EXCHANGE_NODE_ID must be 2 to 16 capital letters, digits or _, e.g. LCU")
    public_url = (env.get("EXCHANGE_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
    if not public_url.startswith(("https://", "http://")):
        raise SettingsError("EXCHANGE_PUBLIC_URL must be an http(s) URL")
    return {
        "exchange_node_id": node_id,
        "exchange_node_name": env.get("EXCHANGE_NODE_NAME") or node_id,
        "exchange_public_url": public_url,
        "exchange_private_key": env.get("EXCHANGE_PRIVATE_KEY") or None,
    }


def passphrase_variable(agency_code: str) -> str:
    """SIGNING_PASSPHRASE_QLTT_DOI_1 for agency QLTT-DOI-1."""
    return "SIGNING_PASSPHRASE_" + re.sub(r"[^A-Z0-9]", "_", agency_code.upper())


def _signing_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The certificates outgoing documents are signed with (service/documents/signing.py)."""
    default = env.get("SIGNING_PASSPHRASE", "")
    by_agency: list[tuple[str, Path, str]] = []
    for item in (part.strip() for part in env.get("SIGNING_PKCS12_BY_AGENCY", "").split(",")):
        if not item:
            continue
        code, sep, path = (piece.strip() for piece in item.partition("="))
        if not sep or not code or not path:
            raise SettingsError(f"SIGNING_PKCS12_BY_AGENCY must list CODE=path pairs separated by commas, not {item!r}")
        if code in (c for c, _, _ in by_agency):
            raise SettingsError(f"SIGNING_PKCS12_BY_AGENCY names {code!r} twice")
        by_agency.append((code, Path(path), env.get(passphrase_variable(code), default)))
    return {
        "signing_pkcs12": Path(env["SIGNING_PKCS12"]) if env.get("SIGNING_PKCS12") else None,
        "signing_passphrase": default,
        "signing_by_agency": tuple(by_agency),
        "signing_tsa_url": _tsa_url(env.get("SIGNING_TSA_URL", "").strip()),
        "signing_tsa_timeout": _integer(env, "SIGNING_TSA_TIMEOUT", 10, minimum=1),
    }


def _tsa_url(raw: str) -> str | None:
    """The timestamp authority's URL: http or https with a host (unset: none)."""
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"SIGNING_TSA_URL must be an http(s) URL, not {raw!r}")
    return raw


def _share_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Partner systems: the default rate limit and when the LGSP gateway's partner header is believed."""
    enabled = _flag(env, "SHARE_GATEWAY_ENABLED", default=False)
    secret = env.get("SHARE_GATEWAY_SECRET") or None
    addresses = tuple(a.strip() for a in env.get("SHARE_GATEWAY_ADDRESSES", "").split(",") if a.strip())
    if secret is not None and len(secret) < 32:
        raise SettingsError("SHARE_GATEWAY_SECRET must be at least 32 characters")
    if enabled and secret is None and not addresses:
        raise SettingsError("SHARE_GATEWAY_ENABLED needs SHARE_GATEWAY_SECRET or SHARE_GATEWAY_ADDRESSES")
    return {
        "share_rate_limit": _integer(env, "SHARE_RATE_LIMIT", 60, minimum=1),
        "share_gateway_enabled": enabled,
        "share_gateway_secret": secret,
        "share_gateway_addresses": addresses,
    }


def _retention_years(raw: str) -> tuple[tuple[str, int], ...]:
    """RETENTION_YEARS ('seizure=5,dispute=10'): the defaults with the classes it names overridden."""
    years = dict(DEFAULT_RETENTION_YEARS)
    named: set[str] = set()
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        record_class, sep, value = (piece.strip() for piece in item.partition("="))
        if not sep:
            raise SettingsError(f"RETENTION_YEARS must list class=years pairs separated by commas, not {item!r}")
        if record_class not in years:
            known = ", ".join(DEFAULT_RETENTION_YEARS)
            raise SettingsError(f"RETENTION_YEARS names an unknown record class {record_class!r} (classes: {known})")
        if record_class in named:
            raise SettingsError(f"RETENTION_YEARS names {record_class!r} twice")
        try:
            number = int(value)
        except ValueError:
            raise SettingsError(
                f"RETENTION_YEARS: the years of {record_class!r} must be a whole number, not {value!r}"
            ) from None
        if not 1 <= number <= MAX_RETENTION_YEARS:
            raise SettingsError(
                f"RETENTION_YEARS: the years of {record_class!r} must be from 1 to {MAX_RETENTION_YEARS}, not {number}"
            )
        named.add(record_class)
        years[record_class] = number
    return tuple(years.items())


def _mfa_roles(raw: str | None, *, production: bool) -> tuple[str, ...]:
    """MFA_REQUIRED_ROLES: the roles named ('none' or empty: nobody); unset, the environment's default."""
    if raw is None:
        return PRODUCTION_MFA_ROLES if production else ()
    if raw.strip().lower() in ("", "none"):
        return ()
    roles = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    unknown = [role for role in roles if role not in ROLE_CODES]
    if unknown:
        raise SettingsError(f"MFA_REQUIRED_ROLES names unknown roles {unknown} (roles: {', '.join(ROLE_CODES)})")
    return roles


def _development_secret(data_dir: Path) -> str:
    """A random key kept in the data folder, so development logins survive restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _hosts(raw: str) -> tuple[str, ...]:
    hosts = tuple(h.strip() for h in raw.split(",") if h.strip())
    if not hosts:
        raise SettingsError("ALLOWED_HOSTS must name at least one host")
    return hosts


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0, not {raw!r}")


def _integer(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}")
    return value


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {raw!r}")
    return level


# The process's settings, injected by name (create_app provides "settings").
SettingsDep = NamedDependency[Settings]
