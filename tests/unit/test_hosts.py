"""ALLOWED_HOSTS names hosts: an allowed host is served on any port; wildcards and '*' keep their meaning."""

from __future__ import annotations

import pytest

from service.web.hosts import HostMatcher


@pytest.mark.parametrize(
    ("allowed", "header"),
    [
        (("localhost",), "localhost:8000"),
        (("localhost",), "localhost"),
        (("127.0.0.1", "localhost"), "127.0.0.1:8765"),
        (("ipcoord.laichau.gov.vn",), "IPCOORD.LaiChau.gov.vn:443"),
        (("*.example.gov.vn",), "ipcoord.example.gov.vn:8443"),
        (("[::1]",), "[::1]:8000"),
        (("localhost:8000",), "localhost:9000"),  # a port written into ALLOWED_HOSTS is not a restriction
        (("*",), "anything.example:1"),
    ],
)
def test_an_allowed_host_is_served_on_any_port(allowed: tuple[str, ...], header: str):
    assert HostMatcher(allowed).allows(header)


@pytest.mark.parametrize(
    ("allowed", "header"),
    [
        (("localhost",), "evil.example:8000"),
        (("localhost",), "localhost.evil.example"),
        (("*.example.gov.vn",), "example.gov.vn"),
        (("*.example.gov.vn",), "example.gov.vn.evil:80"),
        (("localhost",), ""),
        (("localhost",), None),
    ],
)
def test_other_hosts_are_refused(allowed: tuple[str, ...], header: str | None):
    assert not HostMatcher(allowed).allows(header)
