"""Imports every domain's models so the shared metadata is complete (Alembic, tests)."""

from service.admin_units.models import AdminUnit, UnitSuccession
from service.auth.models import Agency, ApiToken, LoginSession, Passkey, RecoveryCode, StoreItem, TotpSecret, User
from service.calendar.models import DeadlineRule, Holiday
from service.cases.models import DuplicateFlag, IncidentReference, LinkedCase
from service.db import metadata
from service.health.models import WorkerHeartbeat
from service.imports.models import ImportedRow, ImportMapping, IncidentImport
from service.incidents.models import (
    Attachment,
    CrimeThreshold,
    FineCeiling,
    IdempotencyKey,
    Incident,
    IncidentEvent,
    SanctionDecision,
)
from service.notifications.models import (
    NotificationContact,
    NotificationDelivery,
    NotificationPreference,
    NotificationReplay,
    WebhookSubscription,
)
from service.referrals.models import MediationSession, OutboxMessage, Referral, ReferralEvent

__all__ = [
    "AdminUnit",
    "Agency",
    "ApiToken",
    "Attachment",
    "CrimeThreshold",
    "DeadlineRule",
    "DuplicateFlag",
    "FineCeiling",
    "Holiday",
    "IdempotencyKey",
    "ImportMapping",
    "ImportedRow",
    "Incident",
    "IncidentEvent",
    "IncidentImport",
    "IncidentReference",
    "LinkedCase",
    "LoginSession",
    "MediationSession",
    "NotificationContact",
    "NotificationDelivery",
    "NotificationPreference",
    "NotificationReplay",
    "OutboxMessage",
    "Passkey",
    "RecoveryCode",
    "Referral",
    "ReferralEvent",
    "SanctionDecision",
    "StoreItem",
    "TotpSecret",
    "UnitSuccession",
    "User",
    "WebhookSubscription",
    "WorkerHeartbeat",
    "metadata",
]
