"""Security notices to one user (an account slowed down by failed sign-ins): queued in the outbox, emailed only
to that user's own address, never to webhooks and not subject to preferences (a user cannot opt out of being
told someone is guessing their password)."""

from __future__ import annotations

import uuid
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import User
from service.i18n import both
from service.notifications import repository
from service.notifications.models import OutboxMessage
from service.notifications.outbox import enqueue
from service.notifications.preferences import Recipient

PREFIX = "security."
SIGN_INS_SLOWED = "security.sign_ins_slowed"


def is_security(outbox_kind: str) -> bool:
    """True for the notices of this module."""
    return outbox_kind.startswith(PREFIX)


async def sign_ins_slowed(session: AsyncSession, user: User, failures: int, now: datetime) -> None:
    """Tell the user their account is being slowed down after `failures` failed sign-ins (once per streak)."""
    await enqueue(
        session,
        kind=SIGN_INS_SLOWED,
        dedupe_key=f"{SIGN_INS_SLOWED}:{user.id}:{now.isoformat()}",
        agency_id=user.agency_id,
        payload={"user_id": str(user.id), "failures": failures, "at": now.strftime("%Y-%m-%d %H:%M UTC")},
    )


async def recipient(session: AsyncSession, message: OutboxMessage) -> Recipient | None:
    """The one active user the notice is about, if they have an address."""
    user_id = uuid.UUID(message.payload["user_id"])
    email = await repository.active_user_email(session, user_id)
    return Recipient(user_id, email) if email else None


def compose(sender: str, person: Recipient, message: OutboxMessage) -> EmailMessage:
    """The bilingual email of a security notice (Vietnamese first)."""
    params = {"failures": message.payload.get("failures", ""), "at": message.payload.get("at", "")}
    subject_vi, subject_en = both(f"notify.subject.{message.kind}", **params)
    body_vi, body_en = both(f"notify.body.{message.kind}", **params)
    email = EmailMessage()
    email["From"] = sender
    email["To"] = person.email
    email["Subject"] = f"{subject_vi} / {subject_en}"
    email["Message-ID"] = f"<ipcoord.{message.id}.{person.user_id.hex}@ipcoord>"
    email.set_content(f"{body_vi}\n\n---\n\n{body_en}\n")
    return email
