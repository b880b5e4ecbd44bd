"""Recording, correcting and withdrawing incidents. Services flush; the request commits."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7  # the ids UUIDv7AuditBase gives

from maps.geotag import Geotagger
from schemas.codes import WITHDRAWN
from schemas.incidents import (
    AdvertisingViolationIn,
    CustomsSuspensionIn,
    IncidentCorrection,
    IncidentIn,
    IncidentWithdrawal,
    MediationOutcomeIn,
    OnlineInfringementIn,
    SeizureIn,
)
from service.auth.principal import Principal
from service.clock import local_day
from service.errors import AppError, Conflict, Forbidden, Invalid, NotFound, field_invalid
from service.incidents import repository
from service.incidents.anonymise import anonymise_payload
from service.incidents.crime_signs import Threshold, crime_signs
from service.incidents.models import Incident
from service.incidents.placing import place_incident
from service.text import fold

CLOCK_SKEW = timedelta(minutes=5)  # phones' clocks drift; a few minutes ahead is not "the future"
MAX_VND = 10**15
PERSONAL_KEYS = frozenset({"id_number", "tax_code"})


@runtime_checkable
class AfterChange(Protocol):
    """What follows a recorded, corrected or withdrawn incident inside its transaction: the likely-duplicate flags
    of service.cases.flagging.refresh. Cases stand above incidents, so their caller hands it in (the app, to the
    routes). `created` says the incident was inserted in this transaction: it has no reference rows nor flags yet.
    """

    def __call__(self, session: AsyncSession, incident: Incident, *, created: bool = False) -> Awaitable[object]: ...


class IncidentNotFound(NotFound):
    code = "incident.not_found"


class InFuture(AppError):
    status = 422
    code = "incident.in_future"


class DetectedBeforeOccurred(AppError):
    status = 422
    code = "incident.detected_before_occurred"


class KeyReused(AppError):
    status = 422
    code = "idempotency.key_reused"


class VersionConflict(Conflict):
    code = "incident.version_conflict"


class ReadOnly(Forbidden):
    code = "incident.read_only"


@dataclass(frozen=True)
class Recorded:
    """The stored incident, and whether this was a replay of an earlier identical submission."""

    incident: Incident
    replayed: bool


def _check_times(data: IncidentIn, now: datetime) -> None:
    if data.occurred_at > now + CLOCK_SKEW:
        raise InFuture(field="occurred_at")
    if data.detected_at is not None:
        if data.detected_at > now + CLOCK_SKEW:
            raise InFuture(field="detected_at")
        if data.detected_at < data.occurred_at:
            raise DetectedBeforeOccurred(field="detected_at")
    if isinstance(data, OnlineInfringementIn) and data.captured_at > now + CLOCK_SKEW:
        raise InFuture(field="captured_at")


async def _check_kind(session: AsyncSession, principal: Principal, data: IncidentIn) -> None:
    """Rules of one kind that a type cannot say."""
    if isinstance(data, AdvertisingViolationIn) and not (data.content or data.url):
        raise Invalid(field="content", also=("url",), detail="content | url").with_code("incident.ad_content_required")
    if isinstance(data, CustomsSuspensionIn) and data.suspension_end and data.suspension_end < data.suspension_start:
        raise Invalid(field="suspension_end").with_code("incident.dates_order", status=422)
    if isinstance(data, SeizureIn) and goods_value(data) > MAX_VND:
        raise Invalid(field="goods").with_code("incident.goods_total_too_large")
    if isinstance(data, MediationOutcomeIn):
        settled = await repository.get_visible(session, principal, data.settles_incident_id)
        if settled is None or settled.kind != "dispute":
            raise Invalid(field="settles_incident_id").with_code("incident.not_a_dispute", status=422)


def goods_value(data: IncidentIn) -> int:
    """Total value of seized goods in VND (quantity × unit price, summed); 0 for other kinds."""
    if not isinstance(data, SeizureIn):
        return 0
    return sum(line.quantity * line.unit_price_vnd for line in data.goods)


def search_text(payload: Any) -> str:
    """Folded text of every string the incident carries, except personal ID numbers."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in PERSONAL_KEYS and key != "kind":
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(payload)
    return fold(" ".join(parts))


async def _derived(session: AsyncSession, tagger: Geotagger, data: IncidentIn) -> dict[str, Any]:
    """The query columns computed from a validated input."""
    place = place_incident(tagger, data.location, data.unit)
    thresholds = await _thresholds(session)
    value = goods_value(data) if isinstance(data, SeizureIn) else None
    measures = {"goods_value": value, "illegal_profit": data.illegal_profit_vnd, "damage": data.damage_vnd}
    on = local_day(data.occurred_at)
    signs = crime_signs(thresholds, acts=data.infringement_acts, on=on, measures=measures)
    payload = msgspec.to_builtins(data)
    return {
        "kind": payload["kind"],
        "occurred_at": data.occurred_at,
        "detected_at": data.detected_at,
        "lon": place.lon,
        "lat": place.lat,
        "location_source": place.source,
        "unit_2025": place.unit_2025,
        "commune_2024": place.commune_2024,
        "district_2024": place.district_2024,
        "district_2024_split": place.district_2024_split,
        "subject_matter": list(data.subject_matter),
        "infringement_acts": list(data.infringement_acts),
        "is_counterfeit": data.is_counterfeit,
        "is_ip_infringement": data.is_ip_infringement,
        "goods_value_vnd": value,
        "crime_signs": [msgspec.to_builtins(s) for s in signs],
        "search_text": search_text(payload),
        "payload": payload,
    }


_THRESHOLDS_TTL = 300.0  # seconds; thresholds change only by migration
_thresholds_cache: tuple[float, list[Threshold]] | None = None


async def _thresholds(session: AsyncSession) -> list[Threshold]:
    """The crime thresholds, read at most every few minutes per process (versioned reference data)."""
    global _thresholds_cache
    if _thresholds_cache is None or _thresholds_cache[0] < time.monotonic():
        rows = await repository.crime_thresholds(session)
        copies = [
            Threshold(r.article, list(r.acts), r.measure, r.threshold_vnd, r.legal_basis, r.valid_from, r.valid_to)
            for r in rows
        ]
        _thresholds_cache = (time.monotonic() + _THRESHOLDS_TTL, copies)
    return _thresholds_cache[1]


def request_digest(data: IncidentIn) -> str:
    """A stable digest of a submission, to recognise a retried identical body."""
    return hashlib.sha256(msgspec.json.encode(data)).hexdigest()


async def _replay(session: AsyncSession, earlier: tuple[str, uuid.UUID], digest: str) -> Recorded:
    earlier_digest, incident_id = earlier
    if earlier_digest != digest:
        raise KeyReused(field="Idempotency-Key")
    incident = await repository.get_incident(session, incident_id)
    if incident is None:  # keys reference incidents by foreign key; this cannot happen
        raise IncidentNotFound()
    return Recorded(incident, replayed=True)


async def record_incident(
    session: AsyncSession,
    principal: Principal,
    tagger: Geotagger,
    data: IncidentIn,
    idempotency_key: str | None,
    after: AfterChange,
) -> Recorded:
    """Store a new incident for the caller's agency, once per Idempotency-Key."""
    digest = request_digest(data)
    if idempotency_key:
        earlier = await repository.earlier_submission(session, principal.user_id, idempotency_key)
        if earlier is not None:
            return await _replay(session, earlier, digest)
    _check_times(data, datetime.now(UTC))
    await _check_kind(session, principal, data)
    at = datetime.now(UTC)
    incident = Incident(
        id=uuid7(),
        agency_id=principal.agency_id,
        recorded_by_id=principal.user_id,
        status="recorded",
        version=1,
        recorded_at=at,
        case_id=None,
        anonymised_at=None,
        created_at=at,
        updated_at=at,
        **await _derived(session, tagger, data),
    )
    key = (idempotency_key, digest) if idempotency_key else None
    if not await repository.insert_recorded(session, incident, actor_id=principal.user_id, key=key):
        # A concurrent retry with the same key won the race: answer with its incident.
        earlier = await repository.earlier_submission(session, principal.user_id, idempotency_key or "")
        if earlier is None:  # the key's row is committed before this statement gives up on it
            raise KeyReused(field="Idempotency-Key")
        return await _replay(session, earlier, digest)
    await after(session, incident, created=True)
    return Recorded(incident, replayed=False)


async def new_incident_values(
    session: AsyncSession, principal: Principal, tagger: Geotagger, data: IncidentIn
) -> dict[str, Any]:
    """The columns of a new incident for the caller's agency, checked and derived as record_incident does.

    For callers that store many at once in their own transaction (imports: service/imports/batch.py), with the
    history, reference numbers and duplicate flags record_incident adds. No idempotency key: nothing to replay.
    """
    _check_times(data, datetime.now(UTC))
    await _check_kind(session, principal, data)
    return {
        "agency_id": principal.agency_id,
        "recorded_by_id": principal.user_id,
        "status": "recorded",
        "version": 1,
        "recorded_at": datetime.now(UTC),
        **await _derived(session, tagger, data),
    }


def _editable(principal: Principal, incident: Incident) -> None:
    if not (principal.sees_all_agencies or incident.agency_id == principal.agency_id):
        raise ReadOnly()


async def _locked(session: AsyncSession, principal: Principal, incident_id: uuid.UUID, version: int) -> Incident:
    incident = await repository.get_for_update(session, principal, incident_id)
    if incident is None:
        raise IncidentNotFound()
    _editable(principal, incident)
    if incident.version != version:
        raise VersionConflict(field="version", current=incident.version, headers={"ETag": f'"{incident.version}"'})
    return incident


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {
        k: {"old": old.get(k), "new": new.get(k)} for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)
    }


async def correct_incident(
    session: AsyncSession,
    principal: Principal,
    tagger: Geotagger,
    incident_id: uuid.UUID,
    data: IncidentCorrection,
    after: AfterChange,
) -> Incident:
    """Apply a correction with its reason; the whole incident is validated again and the change kept."""
    incident = await _locked(session, principal, incident_id, data.version)
    if "kind" in data.changes and data.changes["kind"] != incident.kind:
        raise Invalid(field="changes.kind").with_code("incident.kind_fixed")
    try:
        corrected = msgspec.convert({**incident.payload, **data.changes}, IncidentIn)
    except msgspec.ValidationError as error:
        raise field_invalid(error, prefix="changes") from None
    _check_times(corrected, datetime.now(UTC))
    await _check_kind(session, principal, corrected)
    derived = await _derived(session, tagger, corrected)
    if incident.anonymised_at is not None:
        _, personal = anonymise_payload(derived["payload"])
        if personal:  # retention removed the violator's personal data: a correction may not bring it back
            raise Invalid(field=f"changes.{personal[0]}").with_code("incident.anonymised", status=422)
    changes = _diff(incident.payload, derived["payload"])
    if not changes:
        raise Invalid(field="changes").with_code("incident.nothing_changed")
    for column, value in derived.items():
        setattr(incident, column, value)
    incident.version += 1
    await repository.add_event(
        session, incident, action="corrected", actor_id=principal.user_id, reason=data.reason, changes=changes
    )
    await session.flush()
    await after(session, incident)
    return incident


async def withdraw_incident(
    session: AsyncSession, principal: Principal, incident_id: uuid.UUID, data: IncidentWithdrawal, after: AfterChange
) -> Incident:
    """Withdraw an incident recorded in error; it stays, marked withdrawn, with the reason."""
    incident = await _locked(session, principal, incident_id, data.version)
    if incident.status == WITHDRAWN:
        raise Conflict(field="status").with_code("incident.already_withdrawn")
    changes = {"status": {"old": incident.status, "new": WITHDRAWN}}
    incident.status = WITHDRAWN
    incident.version += 1
    await repository.add_event(
        session, incident, action="withdrawn", actor_id=principal.user_id, reason=data.reason, changes=changes
    )
    await session.flush()
    await after(session, incident)  # a withdrawn incident duplicates nothing: its open flags clear
    return incident
