"""Imports every domain's models so the shared metadata is complete (Alembic, tests)."""

from service.admin_units.models import AdminUnit, UnitSuccession
from service.attachments.models import Attachment
from service.audit.models import AuditAnchor, AuditEvent
from service.auth.models import Agency, ApiToken, LoginSession, Passkey, RecoveryCode, StoreItem, TotpSecret, User
from service.calendar.models import CalendarRevision, DeadlineRule, Holiday
from service.cases.models import DuplicateFlag, LinkedCase
from service.db import metadata
from service.documents.models import DocumentFile, OutgoingDocument
from service.exchange.models import ExchangeMessage, ExchangePartner
from service.health.models import WorkerHeartbeat
from service.imports.models import ImportedRow, ImportMapping, IncidentImport
from service.incidents.models import CrimeThreshold, IdempotencyKey, Incident, IncidentEvent, IncidentReference
from service.map_views.models import MapDataChange, MapResult
from service.notifications.models import (
    NotificationContact,
    NotificationDelivery,
    NotificationPreference,
    NotificationReplay,
    OutboxMessage,
    WebhookSubscription,
)
from service.referrals.models import MediationSession, Referral, ReferralEvent
from service.sanctions.models import FineCeiling, SanctionDecision
from service.share.models import ShareAccess, SharePartner
from service.takedowns.models import Platform, TakedownEvent, TakedownRequest, UrlCapture

__all__ = [
    "AdminUnit",
    "Agency",
    "ApiToken",
    "Attachment",
    "AuditAnchor",
    "AuditEvent",
    "CalendarRevision",
    "CrimeThreshold",
    "DeadlineRule",
    "DocumentFile",
    "DuplicateFlag",
    "ExchangeMessage",
    "ExchangePartner",
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
    "MapDataChange",
    "MapResult",
    "MediationSession",
    "NotificationContact",
    "NotificationDelivery",
    "NotificationPreference",
    "NotificationReplay",
    "OutboxMessage",
    "OutgoingDocument",
    "Passkey",
    "Platform",
    "RecoveryCode",
    "Referral",
    "ReferralEvent",
    "SanctionDecision",
    "ShareAccess",
    "SharePartner",
    "StoreItem",
    "TakedownEvent",
    "TakedownRequest",
    "TotpSecret",
    "UnitSuccession",
    "UrlCapture",
    "User",
    "WebhookSubscription",
    "WorkerHeartbeat",
    "metadata",
]
