"""Notification preferences, webhook subscriptions and the administrators' dead-letter view."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from schemas.base import Code, Schema

KindCode = Literal["referral.received", "referral.update", "reminder", "escalation", "digest"]
ChannelCode = Literal["email", "none"]
Email = Annotated[
    str,
    msgspec.Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="Địa chỉ thư điện tử / Email"),
]
WebhookUrl = Annotated[
    str,
    msgspec.Meta(
        max_length=500,
        pattern=r"^https?://[^\s/]+",
        description="Địa chỉ nhận (https khi vận hành thật) / Receiver URL (https in production)",
    ),
]


class PreferenceIn(Schema, kw_only=True):
    """How the caller receives one kind of notification."""

    kind: KindCode
    channel: ChannelCode


class PreferencesIn(Schema, kw_only=True):
    """The caller's address and choices; kinds not listed go back to their default."""

    email: Email | None
    preferences: Annotated[list[PreferenceIn], msgspec.Meta(max_length=20)] = []


class PreferenceOut(Schema, kw_only=True):
    """The caller's choice for one kind, or the default when they made none."""

    kind: KindCode
    channel: ChannelCode
    is_default: bool


class PreferencesOut(Schema, kw_only=True):
    """Where and what the caller receives."""

    email: str | None
    preferences: list[PreferenceOut]


class WebhookIn(Schema, kw_only=True):
    """A receiver for an agency's notifications; `agency` only for administrators (default: the caller's)."""

    url: WebhookUrl
    kinds: Annotated[list[KindCode], msgspec.Meta(min_length=1, max_length=5)]
    agency: Code | None = None


class WebhookOut(Schema, kw_only=True):
    """A webhook subscription, without its secret."""

    id: uuid.UUID
    agency: str
    url: str
    kinds: list[str]
    is_active: bool
    created_at: datetime
    deactivated_at: datetime | None


class WebhookCreatedOut(WebhookOut, kw_only=True):
    """A new subscription with its signing secret, shown in this response only."""

    secret: str


class ReplayIn(Schema, kw_only=True):
    """Why an administrator sends a dead letter again (kept with the replay)."""

    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class NotificationOut(Schema, kw_only=True):
    """An outbox message as administrators see it."""

    id: int
    kind: str
    dedupe_key: str
    agency: str | None
    referral_id: uuid.UUID | None
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
