"""The image as docker-compose.yml runs it: the Dockerfile's own command lines, on this machine, with the compose
file's environment (no Docker engine runs here). The server answers its own health check and a browser's request
to localhost; the worker starts beside it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[1]
IMAGE_PORT = "8000"
_DEFAULT = re.compile(r"\$\{(\w+)(?::-([^}]*))?(?::\?[^}]*)?\}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dockerfile(instruction: str) -> str:
    """The text after `INSTRUCTION` in the Dockerfile (one line)."""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith(f"{instruction} "):
            return line.removeprefix(f"{instruction} ")
    raise AssertionError(f"no {instruction} in the Dockerfile")


def _health_command(port: int) -> list[str]:
    """The HEALTHCHECK's CMD as the container runs it (`CMD x` is `/bin/sh -c x`), on this run's port."""
    check = _dockerfile("HEALTHCHECK")
    command = check[check.index(" CMD ") + len(" CMD ") :]
    return ["/bin/sh", "-c", command.replace(f":{IMAGE_PORT}/", f":{port}/")]


def _serve_command(port: int) -> list[str]:
    """The image's CMD (JSON form), on this run's port."""
    args: list[str] = json.loads(_dockerfile("CMD"))
    return [a.replace(f"--port {IMAGE_PORT}", f"--port {port}") for a in args]


def _compose_env(service: str, database_url: str, data_dir: Path) -> dict[str, str]:
    """The service's environment as compose builds it from an .env holding only the two required secrets."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dotenv = {"POSTGRES_PASSWORD": "pw", "SECRET_KEY": TEST_SECRET}
    env = {
        name: _DEFAULT.sub(lambda m: dotenv.get(m.group(1), m.group(2) or ""), str(value))
        for name, value in compose["services"][service]["environment"].items()
    }
    # Only what points outside the container changes: the database and the volume.
    env |= {"DATABASE_URL": database_url, "IPCOORD_DATA_DIR": str(data_dir)}
    env["ATTACHMENTS_DIR"] = str(data_dir / "attachments")
    venv_bin = str(Path(sys.executable).parent)
    return {"PATH": f"{venv_bin}:{os.environ['PATH']}", "HOME": str(data_dir), "LANG": "C.UTF-8", **env}


def _wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError("the server did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def image_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, str]]]:
    """The image's CMD with the compose environment of `ipcoord`, on a free port."""
    port = _free_port()
    env = _compose_env("ipcoord", database_url, tmp_path_factory.mktemp("image"))
    server = subprocess.Popen(_serve_command(port), env=env, cwd=ROOT)  # noqa: S603 - the Dockerfile's own CMD
    try:
        _wait_healthy(port, server)
        yield port, env
    finally:
        _stop(server)


def test_the_images_health_check_passes_against_the_server_compose_runs(image_server: tuple[int, dict[str, str]]):
    port, env = image_server
    assert env["ALLOWED_HOSTS"] == "localhost"  # compose's default, unchanged
    check = subprocess.run(_health_command(port), env=env, capture_output=True, timeout=10, check=False)  # noqa: S603
    assert check.returncode == 0, check.stderr.decode()


def test_a_browser_on_localhost_is_served_on_the_published_port(image_server: tuple[int, dict[str, str]]):
    port, _ = image_server
    page = httpx.get(f"http://localhost:{port}/login", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and "<form" in page.text


def test_a_host_outside_allowed_hosts_is_refused_in_the_error_contract(image_server: tuple[int, dict[str, str]]):
    port, _ = image_server
    refused = httpx.get(f"http://127.0.0.1:{port}/login", headers={"Host": "evil.example:8000"}, timeout=10)
    assert refused.status_code == 400
    assert refused.json()["code"] == "request.bad_host" and refused.json()["message_en"]


def test_the_worker_starts_with_the_compose_environment(image_server: tuple[int, dict[str, str]], tmp_path: Path):
    """compose starts the worker once the web container is healthy (above); then it runs until stopped."""
    _, env = image_server
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["worker"]["depends_on"]["ipcoord"]["condition"] == "service_healthy"
    assert compose["services"]["worker"]["environment"] == compose["services"]["ipcoord"]["environment"]
    log = tmp_path / "worker.log"
    command = compose["services"]["worker"]["command"]
    with log.open("wb") as out:
        worker = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)  # noqa: S603 - compose's command
        try:
            deadline = time.monotonic() + 90
            while "Starting worker" not in log.read_text() and time.monotonic() < deadline:
                assert worker.poll() is None, log.read_text()
                time.sleep(0.5)
            assert "Starting worker" in log.read_text()
            time.sleep(2)
            assert worker.poll() is None, log.read_text()
        finally:
            _stop(worker)
