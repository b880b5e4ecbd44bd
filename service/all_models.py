"""Imports every domain's models so the shared metadata is complete (Alembic, tests)."""

from service.admin_units.models import AdminUnit, UnitSuccession
from service.auth.models import Agency, ApiToken, LoginSession, StoreItem, User
from service.db import metadata
from service.incidents.models import (
    Attachment,
    CrimeThreshold,
    FineCeiling,
    IdempotencyKey,
    Incident,
    IncidentEvent,
    SanctionDecision,
)

__all__ = [
    "AdminUnit",
    "Agency",
    "ApiToken",
    "Attachment",
    "CrimeThreshold",
    "FineCeiling",
    "IdempotencyKey",
    "Incident",
    "IncidentEvent",
    "LoginSession",
    "SanctionDecision",
    "StoreItem",
    "UnitSuccession",
    "User",
    "metadata",
]
