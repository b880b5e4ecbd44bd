"""Receivers on 127.0.0.1 for notification tests: an SMTP server (aiosmtpd) and a webhook endpoint.

Both run on the test's own event loop; the service's mailer sends from a thread, so the loop stays free.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, Envelope, Session

LOOPBACK = "127.0.0.1"


@dataclass
class Mailbox:
    """Every message the SMTP server accepted, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """aiosmtpd hook: keep the message."""
        raw = envelope.original_content or b""
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to one recipient."""
        return [m for m in self.messages if m["To"] == address]

    def subjects(self, address: str) -> list[str]:
        """Subjects of the messages one recipient got, in order."""
        return [str(m["Subject"]) for m in self.to(address)]


@asynccontextmanager
async def smtp_server() -> AsyncIterator[Mailbox]:
    """An SMTP server on a free loopback port, for as long as the block runs."""
    mailbox = Mailbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(mailbox, hostname="ipcoord-test"), LOOPBACK, 0)
    mailbox.port = server.sockets[0].getsockname()[1]
    try:
        yield mailbox
    finally:
        server.close()
        await server.wait_closed()


@dataclass
class Hook:
    """What the webhook endpoint received, and the statuses it answers with (200 once the list runs out)."""

    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        """The endpoint's address."""
        return f"http://{LOOPBACK}:{self.port}/hook"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read one HTTP/1.1 request, answer it and close."""
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.received.append((headers, body))
        status = self.statuses.pop(0) if self.statuses else 200
        writer.write(f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()


@asynccontextmanager
async def webhook_receiver(statuses: list[int] | None = None) -> AsyncIterator[Hook]:
    """An HTTP endpoint on a free loopback port."""
    hook = Hook(statuses=list(statuses or []))
    server = await asyncio.start_server(hook.handle, LOOPBACK, 0)
    hook.port = server.sockets[0].getsockname()[1]
    try:
        yield hook
    finally:
        server.close()
        await server.wait_closed()
