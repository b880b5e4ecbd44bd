"""docker-compose.yml and the Dockerfile agree with the settings the service reads."""

from __future__ import annotations

from pathlib import Path

import yaml

from service.settings import ENV_VARS, Settings

ROOT = Path(__file__).resolve().parents[1]


def _service_env(service: str = "ipcoord") -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return {k: str(v) for k, v in compose["services"][service]["environment"].items()}


def test_compose_sets_only_variables_the_service_reads():
    assert set(_service_env()) <= set(ENV_VARS), set(_service_env()) - set(ENV_VARS)


def test_compose_sets_every_variable_production_requires():
    env = _service_env()
    assert env["IPCOORD_ENV"] == "production"
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= set(env)


def test_compose_database_is_postgres_15_and_the_url_points_at_it():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["db"]["image"] == "postgres:15"
    assert "@db:5432/" in _service_env()["DATABASE_URL"]


def test_compose_values_are_accepted_by_the_settings_loader():
    env = {k: v for k, v in _service_env().items() if "${" not in v}
    env |= {"DATABASE_URL": "postgresql://ipcoord:pw@db:5432/ipcoord", "SECRET_KEY": "k" * 40}
    env |= {"ALLOWED_HOSTS": "ipcoord.laichau.gov.vn", "IPCOORD_DATA_DIR": str(ROOT / "var")}
    settings = Settings.from_env(env)
    assert settings.is_production and settings.cookie_secure


def test_compose_runs_a_job_worker_with_the_services_environment():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["worker"]["command"] == ["ipcoord", "worker"]
    assert _service_env("worker") == _service_env()


def test_every_settings_variable_is_documented():
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = [name for name in ENV_VARS if f"`{name}`" not in documented]
    assert missing == []


def test_dockerfile_migrates_before_serving():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ipcoord migrate && exec ipcoord serve" in dockerfile
    assert "IPCOORD_ENV=production" in dockerfile


def test_dockerfile_health_check_asks_readiness():
    """Ready = the database answers and the schema is at head; compose starts the worker only then."""
    check = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("HEALTHCHECK"))
    assert "/health/ready" in check


def test_compose_gives_stopping_containers_more_than_the_shutdown_grace():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    grace = int(_service_env()["SHUTDOWN_GRACE_SECONDS"])
    for service in ("ipcoord", "worker"):
        assert int(compose["services"][service]["stop_grace_period"].rstrip("s")) > grace
