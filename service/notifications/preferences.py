"""What each user chooses to receive, the defaults, and who receives an outbox message by email."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.notifications import PreferenceOut, PreferencesIn, PreferencesOut
from service.notifications import repository
from service.notifications.models import NotificationPreference


class Kind(StrEnum):
    """What a notification is about; users and webhooks choose by these codes."""

    REFERRAL_RECEIVED = "referral.received"  # a referral arrived in the agency's inbox
    REFERRAL_UPDATE = "referral.update"  # the receiver acknowledged, started, closed, returned … a sent referral
    REMINDER = "reminder"  # a clock of an incoming referral runs out soon
    ESCALATION = "escalation"  # a clock has run out (to the agency's heads and to SKHCN)
    DIGEST = "digest"  # the morning summary of the agency's open incoming referrals


class Channel(StrEnum):
    """How a user receives a kind."""

    EMAIL = "email"
    NONE = "none"


# Every kind is emailed by default to the addressed users who have an address; users opt out per kind.
DEFAULTS: dict[Kind, Channel] = {kind: Channel.EMAIL for kind in Kind}


def kind_of(outbox_kind: str) -> Kind:
    """The preference kind of an outbox message kind (`referral.sent` is what the receiver gets)."""
    if outbox_kind == "referral.sent":
        return Kind.REFERRAL_RECEIVED
    if outbox_kind.startswith("referral."):
        return Kind.REFERRAL_UPDATE
    return Kind(outbox_kind)


@dataclass(frozen=True)
class Recipient:
    """A user to email one message to."""

    user_id: uuid.UUID
    email: str


async def recipients(
    session: AsyncSession, agency_id: uuid.UUID, kind: Kind, roles: list[str] | None = None
) -> list[Recipient]:
    """Active users of the agency (of these roles, if given) with an address who did not opt out of `kind`."""
    rows = await repository.agency_recipients(session, agency_id, kind.value, roles)
    return [Recipient(user_id, email) for user_id, email, channel in rows if (channel or DEFAULTS[kind]) == "email"]


async def get_preferences(session: AsyncSession, user_id: uuid.UUID) -> PreferencesOut:
    """The user's address and their choice for every kind (defaults filled in)."""
    email = await repository.contact_email(session, user_id)
    chosen = await repository.chosen_channels(session, user_id)
    return PreferencesOut(
        email=email,
        preferences=[
            PreferenceOut(
                kind=kind.value,
                channel=chosen.get(kind.value, DEFAULTS[kind].value),  # type: ignore[arg-type]
                is_default=kind.value not in chosen,
            )
            for kind in Kind
        ],
    )


async def set_preferences(session: AsyncSession, user_id: uuid.UUID, data: PreferencesIn) -> PreferencesOut:
    """Replace the user's address (None removes it) and choices; kinds not listed go back to their default."""
    await repository.set_contact(session, user_id, data.email)
    await repository.delete_preferences(session, user_id)
    session.add_all(
        NotificationPreference(user_id=user_id, kind=item.kind, channel=item.channel)
        for item in {item.kind: item for item in data.preferences}.values()
    )
    await session.flush()
    return await get_preferences(session, user_id)
