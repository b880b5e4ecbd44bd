"""Mediation cases: the sessions of a dispute referred to mediation, arbitration or court, and extensions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from schemas.base import Schema
from schemas.referrals import RequiredNote, Version

ExtensionRule = Literal["court_mediation_complex", "court_mediation_agreed"]


class MediationSessionIn(Schema, kw_only=True):
    """Phiên hòa giải / One mediation session: when, where, and a summary of its minutes."""

    held_on: date
    place: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    minutes: Annotated[str, msgspec.Meta(max_length=20000)] = ""


class MediationSessionOut(Schema, kw_only=True):
    """A recorded session."""

    id: int
    held_on: date
    place: str
    minutes: str
    recorded_by: str | None
    created_at: datetime


class MediationExtensionIn(Schema, kw_only=True):
    """Gia hạn hòa giải / Extend the mediation clock: 30 days for a complex case, 2 months by agreement."""

    rule: ExtensionRule
    note: RequiredNote
    version: Version | None = None
