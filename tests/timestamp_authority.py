"""A real RFC 3161 timestamp authority over HTTP, in-process, for the signing tests.

A ``ThreadingHTTPServer`` on 127.0.0.1 (a port of its own) answers what a TSA answers, with the test CA's keys:

* ``POST /tsa`` with an ``application/timestamp-query`` body: a ``TimeStampResp`` made by pyHanko's
  ``DummyTimeStamper`` with a TSA certificate the test root issued (``application/timestamp-reply``);
* ``POST /garbage``: ``application/timestamp-reply`` whose body is not DER at all;
* ``POST /refuse``: a well-formed ``TimeStampResp`` with the status ``rejection`` (a TSA declining);
* ``POST /error``: HTTP 500;
* ``GET /root.crl``: the test root's CRL (``application/pkix-crl``), where the certificates it issues with
  ``crl_url`` say it is published.

``down_url`` is a port nothing listens on. Nothing here mocks pyHanko: the service's own ``HTTPTimeStamper``
speaks HTTP to this server, and pyHanko's fetchers download the CRL from it.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from tests.signing_certs import SigningCa


@dataclass
class TimestampAuthority:
    """The running server's addresses, the TSA certificate, and what it was asked."""

    base: str
    tsa_cert: asn1_x509.Certificate
    requests: list[str] = field(default_factory=list)  # the paths asked, in order

    @property
    def url(self) -> str:
        return f"{self.base}/tsa"

    @property
    def crl_url(self) -> str:
        return f"{self.base}/root.crl"

    def path(self, name: str) -> str:
        return f"{self.base}/{name}"


def _handler(ca: SigningCa, stamper: DummyTimeStamper, seen: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep the test output quiet
            return

        def _answer(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            seen.append(self.path)
            if self.path == "/root.crl":
                self._answer(200, "application/pkix-crl", ca.crl())
            else:
                self._answer(404, "text/plain", b"not found")

        def do_POST(self) -> None:
            seen.append(self.path)
            query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/tsa":
                answer = stamper.request_tsa_response(tsp.TimeStampReq.load(query))
                self._answer(200, "application/timestamp-reply", answer.dump())
            elif self.path == "/garbage":
                self._answer(200, "application/timestamp-reply", b"<html>not a timestamp</html>")
            elif self.path == "/refuse":
                status = tsp.PKIStatusInfo({"status": "rejection", "fail_info": {"bad_request"}}).dump()
                # TimeStampResp ::= SEQUENCE { status, timeStampToken OPTIONAL }: asn1crypto insists on a token.
                self._answer(200, "application/timestamp-reply", b"\x30" + bytes([len(status)]) + status)
            else:
                self._answer(500, "text/plain", b"internal error")

    return Handler


@contextmanager
def running(ca: SigningCa) -> Iterator[TimestampAuthority]:
    """Serve the TSA (and the root's CRL) on 127.0.0.1 until the block ends."""
    seen: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tsa_cert, tsa_key = ca.issue_tsa(crl_url=f"{base}/root.crl")
    stamper = DummyTimeStamper(tsa_cert, tsa_key, certs_to_embed=[tsa_cert])  # type: ignore[arg-type]
    server.RequestHandlerClass = _handler(ca, stamper, seen)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield TimestampAuthority(base, tsa_cert, seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def down_url() -> str:
    """A timestamp URL on a local port nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"
