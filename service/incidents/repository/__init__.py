"""The incidents' statements; every read starts from visible_to(principal). The list's filters are in filters.py, its
statement in lists.py, the reference numbers' in references.py."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from service.auth.models import Agency, User
from service.auth.principal import Principal
from service.db import driver_connection
from service.incidents.models import CrimeThreshold, IdempotencyKey, Incident, IncidentEvent
from service.referrals.models import Referral


def visible_to(principal: Principal) -> Select[Incident]:
    """Incidents the principal may read: all for coordinators, else their agency's and those referred to it."""
    stmt = select(Incident)
    if principal.sees_all_agencies:
        return stmt
    referred = select(Referral.incident_id).where(Referral.to_agency_id == principal.agency_id)
    return stmt.where(or_(Incident.agency_id == principal.agency_id, Incident.id.in_(referred)))


async def get_visible(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Incident | None:
    """One incident if the principal may read it."""
    return (await session.scalars(visible_to(principal).where(Incident.id == incident_id))).one_or_none()


async def get_for_update(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Incident | None:
    """One visible incident, locked for a correction."""
    stmt = visible_to(principal).where(Incident.id == incident_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def add_event(
    session: AsyncSession,
    incident: Incident,
    *,
    action: str,
    actor_id: uuid.UUID | None,
    reason: str | None = None,
    changes: dict[str, Any] | None = None,
) -> IncidentEvent:
    """Append one entry to the incident's history (in the caller's transaction)."""
    event = IncidentEvent(
        incident_id=incident.id,
        version=incident.version,
        action=action,
        actor_id=actor_id,
        reason=reason,
        changes=changes or {},
    )
    session.add(event)
    return event


async def list_events(session: AsyncSession, incident_id: uuid.UUID) -> list[IncidentEvent]:
    """The incident's history, oldest first."""
    stmt = select(IncidentEvent).where(IncidentEvent.incident_id == incident_id).order_by(IncidentEvent.id)
    return list(await session.scalars(stmt))


async def get_idempotency_key(session: AsyncSession, user_id: uuid.UUID, key: str) -> IdempotencyKey | None:
    """A key this user sent before."""
    stmt = select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    return (await session.scalars(stmt)).one_or_none()


_EARLIER_SUBMISSION = "SELECT request_sha256, incident_id FROM idempotency_keys WHERE user_id = $1 AND key = $2"


async def earlier_submission(session: AsyncSession, user_id: uuid.UUID, key: str) -> tuple[str, uuid.UUID] | None:
    """(digest, incident id) of what this user sent before with this Idempotency-Key, if anything (every recording
    asks: straight to the driver, service/db.py)."""
    connection = await driver_connection(session)
    row = await connection.fetchrow(_EARLIER_SUBMISSION, user_id, key)
    return (row[0], row[1]) if row is not None else None


# A recorded incident, its first history entry and its Idempotency-Key in one statement: all three or none. With a
# key, the incident is inserted only if the key was not taken (a retry that raced an earlier submission inserts
# nothing and is answered with the earlier incident); a concurrent insert of the same key is waited for.
_COLUMNS = (
    "id", "kind", "status", "version", "agency_id", "recorded_by_id", "recorded_at", "occurred_at", "detected_at",
    "lon", "lat", "location_source", "unit_2025", "commune_2024", "district_2024", "district_2024_split",
    "subject_matter", "infringement_acts", "is_counterfeit", "is_ip_infringement", "goods_value_vnd", "crime_signs",
    "search_text", "payload", "case_id", "anonymised_at", "created_at", "updated_at",
)  # fmt: skip
_TYPES = (
    "uuid", "varchar", "varchar", "integer", "uuid", "uuid", "timestamptz", "timestamptz", "timestamptz",
    "float8", "float8", "varchar", "varchar", "varchar", "varchar", "boolean",
    "varchar[]", "varchar[]", "boolean", "boolean", "bigint", "jsonb",
    "text", "jsonb", "uuid", "timestamptz", "timestamptz", "timestamptz",
)  # fmt: skip
_VALUES = ", ".join(f"${n}::{kind}" for n, kind in enumerate(_TYPES, start=1))
_AFTER = len(_COLUMNS)  # the parameters after the incident's: actor, then the key's user, key and digest
_INCIDENT = f"INSERT INTO incidents ({', '.join(_COLUMNS)}) SELECT {_VALUES}"
_EVENT = (
    "INSERT INTO incident_events (id, incident_id, version, action, actor_id, changes) "  # noqa: S608 (constants)
    f"SELECT nextval('incident_events_id_seq'), id, 1, 'created', ${_AFTER + 1}::uuid, "
    f"${_COLUMNS.index('payload') + 1}::jsonb FROM i"
)
_RECORD = f"WITH i AS ({_INCIDENT} RETURNING id), e AS ({_EVENT}) SELECT count(*) FROM i"  # noqa: S608
_RECORD_ONCE = (
    "WITH k AS (INSERT INTO idempotency_keys (id, user_id, key, request_sha256, incident_id) "  # noqa: S608
    f"VALUES (nextval('idempotency_keys_id_seq'), ${_AFTER + 2}::uuid, ${_AFTER + 3}::varchar, "
    f"${_AFTER + 4}::varchar, $1::uuid) ON CONFLICT (user_id, key) DO NOTHING RETURNING 1), "
    f"i AS ({_INCIDENT} WHERE EXISTS (SELECT FROM k) RETURNING id), e AS ({_EVENT}) SELECT count(*) FROM i"
)


async def insert_recorded(
    session: AsyncSession, incident: Incident, *, actor_id: uuid.UUID, key: tuple[str, str] | None
) -> bool:
    """Insert a new incident (every column set on the object) with its `created` history entry and, when given,
    its Idempotency-Key (key, digest) for `actor_id`, in the session's transaction, by one statement on the
    driver; then the object is the session's, as if loaded. False when the key was taken: nothing was inserted."""
    values = [getattr(incident, column) for column in _COLUMNS]
    values[_COLUMNS.index("crime_signs")] = msgspec.json.encode(incident.crime_signs).decode()
    values[_COLUMNS.index("payload")] = msgspec.json.encode(incident.payload).decode()
    connection = await driver_connection(session, in_transaction=True)
    if key is None:
        inserted = await connection.fetchval(_RECORD, *values, actor_id)
    else:
        inserted = await connection.fetchval(_RECORD_ONCE, *values, actor_id, actor_id, *key)
    if not inserted:
        return False
    make_transient_to_detached(incident)
    session.add(incident)
    return True


_EVENTS_MANY = (
    "INSERT INTO incident_events (incident_id, version, action, actor_id, reason, changes) "
    "SELECT i, 1, 'created', $2::uuid, r, c FROM unnest($1::uuid[], $3::text[], $4::jsonb[]) AS e(i, r, c)"
)


async def insert_many_recorded(
    session: AsyncSession, incidents: list[dict[str, Any]], *, actor_id: uuid.UUID, reasons: list[str | None]
) -> None:
    """Insert new incidents (every column of each given, ids included) and their `created` history entries (the
    whole payload, and the reason of each) in the session's transaction: the incidents as one pipelined
    statement on the driver, the entries as one statement. For callers storing many at once (imports)."""
    if not incidents:
        return
    rows = []
    for incident in incidents:
        values = [incident.get(column) for column in _COLUMNS]
        values[_COLUMNS.index("crime_signs")] = msgspec.json.encode(incident["crime_signs"]).decode()
        values[_COLUMNS.index("payload")] = msgspec.json.encode(incident["payload"]).decode()
        rows.append(values)
    connection = await driver_connection(session, in_transaction=True)
    await connection.executemany(_INCIDENT, rows)
    payload = _COLUMNS.index("payload")
    ids = [incident["id"] for incident in incidents]
    await connection.execute(_EVENTS_MANY, ids, actor_id, reasons, [row[payload] for row in rows])


def with_names(stmt: Select[Incident]) -> Select[Incident, str, str]:
    """The statement with the recording agency's code and the recorder's user name."""
    return (
        stmt.join(Agency, Agency.id == Incident.agency_id)
        .join(User, User.id == Incident.recorded_by_id)
        .add_columns(Agency.code, User.username)
    )


async def visible_with_names(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Any:
    """(incident, agency code, recorder's user name) of a visible incident, or None."""
    stmt = with_names(visible_to(principal)).where(Incident.id == incident_id)
    return (await session.execute(stmt)).one_or_none()


async def visible_among(session: AsyncSession, principal: Principal, ids: set[uuid.UUID]) -> list[Incident]:
    """The incidents among `ids` the reader may see."""
    return list(await session.scalars(visible_to(principal).where(Incident.id.in_(ids))))


async def get_incident(session: AsyncSession, incident_id: uuid.UUID) -> Incident | None:
    return await session.get(Incident, incident_id)


async def agency_code(session: AsyncSession, agency_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Agency.code).where(Agency.id == agency_id))


async def username(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    return await session.scalar(select(User.username).where(User.id == user_id))


async def history_rows(session: AsyncSession, incident_id: uuid.UUID) -> list[tuple[IncidentEvent, str | None]]:
    """Every event of an incident with its actor's user name (none: the system), oldest first."""
    stmt = (
        select(IncidentEvent, User.username)
        .outerjoin(User, User.id == IncidentEvent.actor_id)
        .where(IncidentEvent.incident_id == incident_id)
        .order_by(IncidentEvent.id)
    )
    return [(event, name) for event, name in (await session.execute(stmt)).all()]


async def crime_thresholds(session: AsyncSession) -> list[CrimeThreshold]:
    return list(await session.scalars(select(CrimeThreshold)))
