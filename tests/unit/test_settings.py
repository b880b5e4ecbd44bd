"""Settings.from_env: what the service accepts from its environment, and what it refuses at start-up."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from service.settings import Settings, SettingsError

SECRET = "s" * 40
PRODUCTION = {
    "IPCOORD_ENV": "production",
    "SECRET_KEY": SECRET,
    "DATABASE_URL": "postgresql://ipcoord@db:5432/ipcoord",
    "ALLOWED_HOSTS": "ipcoord.laichau.gov.vn",
}


def _env(data_dir: Path, **values: str) -> dict[str, str]:
    """A development environment with a data folder of the test's own."""
    return {"IPCOORD_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET, **values}


def test_production_without_required_variables_names_all_of_them(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"IPCOORD_ENV": "production", "IPCOORD_DATA_DIR": str(tmp_path)})
    for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
        assert name in str(refused.value)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_names_the_one_missing_variable(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing} | {"IPCOORD_DATA_DIR": str(tmp_path)}
    with pytest.raises(SettingsError, match=missing) as refused:
        Settings.from_env(env)
    others = {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"} - {missing}
    assert not any(name in str(refused.value) for name in others)


def test_production_with_every_required_variable_starts(tmp_path: Path) -> None:
    settings = Settings.from_env(PRODUCTION | {"IPCOORD_DATA_DIR": str(tmp_path)})
    assert settings.is_production
    assert settings.allowed_hosts == ("ipcoord.laichau.gov.vn",)


def test_short_secret_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        Settings.from_env(_env(tmp_path, SECRET_KEY="x" * 31))


def test_development_without_secret_key_keeps_a_generated_one(tmp_path: Path) -> None:
    env = {"IPCOORD_DATA_DIR": str(tmp_path)}
    first = Settings.from_env(env).secret_key
    second = Settings.from_env(env).secret_key
    assert len(first) >= 32
    assert second == first
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_generated_secret_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    Settings.from_env({"IPCOORD_DATA_DIR": str(tmp_path / "data")})
    mode = stat.S_IMODE((tmp_path / "data" / "secret_key").stat().st_mode)
    assert mode == 0o600


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SESSION_MAX_AGE", "eight hours"),
        ("SESSION_MAX_AGE", "59"),
        ("LOGIN_RATE_LIMIT", "0"),
        ("LOGIN_RATE_LIMIT", "1.5"),
        ("DB_POOL_SIZE", "-1"),
        ("DB_POOL_OVERFLOW", "-1"),
        ("COOKIE_SECURE", "maybe"),
        ("LOG_LEVEL", "LOUD"),
        ("IPCOORD_ENV", "staging"),
        ("MAP_TILE_URL", "ftp://tiles.example/{z}/{x}/{y}.png"),
        ("MAP_TILE_URL", "https://tiles.example/tile.png"),
        ("MAP_MIN_HEX_COUNT", "1"),
    ],
)
def test_bad_value_is_refused_naming_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(_env(tmp_path, **{name: value}))


def test_map_tiles_default_to_openstreetmap_and_can_be_turned_off(tmp_path: Path) -> None:
    assert Settings.from_env(_env(tmp_path)).map_tile_url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert Settings.from_env(_env(tmp_path, MAP_TILE_URL="none")).map_tile_url is None
    internal = Settings.from_env(_env(tmp_path, MAP_TILE_URL="/tiles/{z}/{x}/{y}.png", MAP_MIN_HEX_COUNT="5"))
    assert internal.map_tile_url == "/tiles/{z}/{x}/{y}.png" and internal.map_min_hex_count == 5


def test_allowed_hosts_split_on_commas(tmp_path: Path) -> None:
    settings = Settings.from_env(_env(tmp_path, ALLOWED_HOSTS=" ipcoord.example , 10.0.0.5,,localhost "))
    assert settings.allowed_hosts == ("ipcoord.example", "10.0.0.5", "localhost")


def test_allowed_hosts_naming_no_host_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="ALLOWED_HOSTS"):
        Settings.from_env(_env(tmp_path, ALLOWED_HOSTS=" , "))


def test_settings_cannot_be_changed_after_start(tmp_path: Path) -> None:
    settings = Settings.from_env(_env(tmp_path))
    with pytest.raises(AttributeError):
        settings.secret_key = "another-secret-key-that-is-long-enough"  # type: ignore[misc]
    assert settings.secret_key == SECRET


def test_second_factor_is_required_of_admins_and_coordinators_in_production_only():
    production = {"IPCOORD_ENV": "production", "SECRET_KEY": "k" * 40, "DATABASE_URL": "postgresql://db/x"}
    production |= {"ALLOWED_HOSTS": "ipcoord.example"}
    assert Settings.from_env(production).mfa_required_roles == ("admin", "coordinator")
    assert Settings.from_env({"SECRET_KEY": "k" * 40}).mfa_required_roles == ()
    assert Settings.from_env(production | {"MFA_REQUIRED_ROLES": "none"}).mfa_required_roles == ()
    named = Settings.from_env({"SECRET_KEY": "k" * 40, "MFA_REQUIRED_ROLES": " admin , agency_head,admin"})
    assert named.mfa_required_roles == ("admin", "agency_head")


def test_an_unknown_role_in_mfa_required_roles_stops_the_start():
    with pytest.raises(SettingsError, match="MFA_REQUIRED_ROLES names unknown roles"):
        Settings.from_env({"SECRET_KEY": "k" * 40, "MFA_REQUIRED_ROLES": "admin,boss"})


def test_share_gateway_needs_its_secret_or_addresses_and_the_rate_limit_has_a_default(tmp_path: Path) -> None:
    assert Settings.from_env(_env(tmp_path)).share_rate_limit == 60
    assert not Settings.from_env(_env(tmp_path)).share_gateway_enabled
    with pytest.raises(SettingsError, match="SHARE_GATEWAY_SECRET or SHARE_GATEWAY_ADDRESSES"):
        Settings.from_env(_env(tmp_path, SHARE_GATEWAY_ENABLED="1"))
    with pytest.raises(SettingsError, match="SHARE_GATEWAY_SECRET"):
        Settings.from_env(_env(tmp_path, SHARE_GATEWAY_ENABLED="1", SHARE_GATEWAY_SECRET="short"))
    on = Settings.from_env(
        _env(tmp_path, SHARE_GATEWAY_ENABLED="1", SHARE_GATEWAY_ADDRESSES="10.0.0.5, 10.0.0.6", SHARE_RATE_LIMIT="5")
    )
    assert on.share_gateway_addresses == ("10.0.0.5", "10.0.0.6") and on.share_rate_limit == 5
