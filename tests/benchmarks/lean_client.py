"""A minimal HTTP/1.1 keep-alive client for GET load runs, so the load costs the shared cores little.

Client, server and PostgreSQL share the bench machine. httpx spends about 1 ms of CPU a request (more than half the
server's own for a list page), taken from the cores the server and PostgreSQL need, so a loaded run measured the
client as much as the server. This client writes the request bytes and reads the status, the headers and
Content-Length bytes of body: about 0.1 ms a request. It asks for gzip as a phone would and does not decode the
body (the server's gzip is measured; the client's gunzip is not). One connection per task in flight, opened on
first use and kept.

It speaks only what the bench needs: GET, a Content-Length body (every answer the list routes give), the status
code. A chunked or length-less answer is an error, never silently misread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit


class LeanError(Exception):
    """An answer this client does not read (no Content-Length), or a closed connection."""


@dataclass
class LeanResponse:
    """What a load run looks at: the status and the body as it came (gzip when the server compressed it)."""

    status_code: int
    content: bytes

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300


class LeanClient:
    """GET over kept-alive connections to one origin, each carrying the same headers (a bearer token)."""

    def __init__(self, base: str, token: str | None = None) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.headers = f"Host: {parts.netloc}\r\n{auth}Accept-Encoding: gzip\r\nAccept: application/json\r\n\r\n"
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get(self, path: str) -> LeanResponse:
        """One GET; the connection goes back to the idle ones when the answer was read whole."""
        reader, writer = self.idle.pop() if self.idle else await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(f"GET {path} HTTP/1.1\r\n{self.headers}".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = _content_length(head)
            body = await reader.readexactly(length) if length else b""
        except (OSError, asyncio.IncompleteReadError, LeanError):
            writer.close()
            raise
        self.idle.append((reader, writer))
        return LeanResponse(status, body)

    async def aclose(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()

    async def __aenter__(self) -> LeanClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise LeanError("an answer without Content-Length: " + head.split(b"\r\n", 1)[0].decode("latin-1"))
