"""Notification email: bilingual text from the catalogue, sent with the standard library's smtplib.

smtplib in a thread rather than an async client: one short connection per message at this volume (a few
hundred a day) does not need another dependency.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from service.i18n import MESSAGES, both
from service.notifications.preferences import Kind, Recipient, kind_of

DIGEST_LINES = 20


@dataclass(frozen=True)
class Mailer:
    """An SMTP server to send through (SMTP_* settings)."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str = ""
    starttls: bool = True
    timeout: float = 30.0

    async def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; raises smtplib.SMTPException or OSError when it refuses."""
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


def _params(payload: dict[str, Any], referral_id: str | None) -> dict[str, Any]:
    params = {"referral_id": referral_id or "", "note": "", "action": "", "status": "", "type": ""} | payload
    return {key: value for key, value in params.items() if not isinstance(value, list | dict)}


def _text_code(kind: Kind, payload: dict[str, Any]) -> str:
    """The catalogue code of the message's texts: each clock of a takedown request has its own words."""
    if "takedown_id" not in payload:
        return kind.value
    for code in (f"{kind.value}.{payload.get('clock')}", f"{kind.value}.takedown"):
        if f"notify.subject.{code}" in MESSAGES:
            return code
    return kind.value


def _text(kind: Kind, payload: dict[str, Any], referral_id: str | None) -> tuple[str, str, str, str]:
    params = _params(payload, referral_id)
    code = _text_code(kind, payload)
    subject_vi, subject_en = both(f"notify.subject.{code}", **params)
    body_vi, body_en = both(f"notify.body.{code}", **params)
    if kind == Kind.DIGEST:
        for item in payload.get("items", [])[:DIGEST_LINES]:
            line_vi, line_en = both("notify.digest.item", **item)
            body_vi, body_en = f"{body_vi}\n{line_vi}", f"{body_en}\n{line_en}"
    return subject_vi, subject_en, body_vi, body_en


def compose(
    sender: str,
    recipient: Recipient,
    message_id: int,
    outbox_kind: str,
    payload: dict[str, Any],
    referral_id: str | None,
) -> EmailMessage:
    """One bilingual email (Vietnamese first) for one recipient of an outbox message."""
    kind = kind_of(outbox_kind)
    subject_vi, subject_en, body_vi, body_en = _text(kind, payload, referral_id)
    footer_vi, footer_en = both("notify.footer")
    email = EmailMessage()
    email["From"] = sender
    email["To"] = recipient.email
    email["Subject"] = f"{subject_vi} / {subject_en}"
    # The same id on a resend lets mail systems and clients drop the copy.
    email["Message-ID"] = f"<ipcoord.{message_id}.{recipient.user_id.hex}@ipcoord>"
    email.set_content(f"{body_vi}\n\n{footer_vi}\n\n---\n\n{body_en}\n\n{footer_en}\n")
    return email
