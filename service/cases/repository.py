"""Every statement of cases: incidents locked for linking, flags raised, refreshed, decided and listed, the cases'
members, and the summaries the coordinator compares."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Float,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.codes import WITHDRAWN
from service.admin_units.models import AdminUnit
from service.auth.models import Agency, User
from service.auth.principal import Principal
from service.cases.models import DuplicateFlag, LinkedCase
from service.db import DriverStatement, driver_fetch, for_driver
from service.incidents.models import Incident, IncidentReference
from service.incidents.repository import visible_to

# Only what matching.profile reads of a candidate's payload: candidates are many, their payloads large.
_SLIM_PAYLOAD = func.jsonb_build_object(
    "violator", Incident.payload["violator"],
    "goods", Incident.payload["goods"],
    "right_holder", Incident.payload["right_holder"],
    "work_title", Incident.payload["work_title"],
    "copies", Incident.payload["copies"],
    "variety_name", Incident.payload["variety_name"],
    "quantity", Incident.payload["quantity"],
    "product", Incident.payload["product"],
)  # fmt: skip
_CANDIDATE_COLUMNS = (
    Incident.id,
    Incident.agency_id,
    Incident.occurred_at,
    Incident.status,
    Incident.lon,
    Incident.lat,
    Incident.unit_2025,
    Incident.district_2024,
    _SLIM_PAYLOAD.label("payload"),
    Incident.case_id,
)


# The candidates' query, compiled once per shape of conditions (every recording runs one) and run on the driver
# (service/db.py). A shape: the place column compared (unit_2025, district_2024 or none), a GPS box or not, shared
# reference numbers or not. Late parameters: place, lat_lo, lat_hi, lon_lo, lon_hi, agency_id, from, to, shared, me.
_CANDIDATES: dict[tuple[str | None, bool, bool], DriverStatement] = {}
BOX = ("lat_lo", "lat_hi", "lon_lo", "lon_hi")


def _candidates_statement(column: str | None, box: bool, shared: bool) -> DriverStatement:
    near: list[ColumnElement[bool]] = []
    if column is not None:
        near.append(Incident.__table__.c[column] == bindparam("place", type_=String()))
    if box:
        lat_lo, lat_hi, lon_lo, lon_hi = (bindparam(name, type_=Float()) for name in BOX)
        near.append(and_(Incident.lat.between(lat_lo, lat_hi), Incident.lon.between(lon_lo, lon_hi)))
    conditions: list[ColumnElement[bool]] = []
    if near:
        since, until = (bindparam(name, type_=Incident.occurred_at.type) for name in ("from", "to"))
        other_agency = Incident.agency_id != bindparam("agency_id", type_=Incident.agency_id.type)
        conditions.append(and_(other_agency, Incident.occurred_at.between(since, until), or_(*near)))
    if shared:
        conditions.append(Incident.id == func.any(bindparam("shared", type_=ARRAY(Uuid()))))
    me = bindparam("me", type_=Incident.id.type)
    return for_driver(
        select(*_CANDIDATE_COLUMNS).where(or_(*conditions), Incident.status != WITHDRAWN, Incident.id != me)
    )


async def candidate_rows(
    session: AsyncSession, *, column: str | None, box: bool, shared: bool, values: dict[str, Any]
) -> list[Any]:
    """Live incidents other than `me` of another agency within the window and near (the place column equal, or
    inside the box), or among `shared`; with the slim payload, as asyncpg Records."""
    key = (column, box, shared)
    if key not in _CANDIDATES:
        _CANDIDATES[key] = _candidates_statement(column, box, shared)
    return await driver_fetch(session, _CANDIDATES[key], **values)


async def upsert_flag(session: AsyncSession, a: uuid.UUID, b: uuid.UUID, values: dict[str, Any]) -> None:
    """Raise the flag of a pair, or refresh it: a decided flag keeps its decision; a cleared one opens again."""
    stmt = insert(DuplicateFlag).values(incident_a_id=a, incident_b_id=b, status="open", **values)
    reopened = case((DuplicateFlag.status == "cleared", "open"), else_=DuplicateFlag.status)
    refreshed = stmt.on_conflict_do_update(constraint="duplicate_pair_once", set_={**values, "status": reopened})
    await session.execute(refreshed)


async def clear_open_flags(session: AsyncSession, incident_id: uuid.UUID, keep: Iterable[uuid.UUID]) -> None:
    """The incident's open flags with anyone outside `keep` are cleared."""
    kept = list(keep)
    mine_open = or_(DuplicateFlag.incident_a_id == incident_id, DuplicateFlag.incident_b_id == incident_id)
    stale = update(DuplicateFlag).where(mine_open, DuplicateFlag.status == "open")
    if kept:
        stale = stale.where(DuplicateFlag.incident_a_id.notin_(kept), DuplicateFlag.incident_b_id.notin_(kept))
    await session.execute(stale.values(status="cleared"))


async def live_incidents(session: AsyncSession, after: uuid.UUID | None, size: int) -> list[Incident]:
    """The next `size` live incidents by id after `after`."""
    stmt = select(Incident).where(Incident.status != WITHDRAWN).order_by(Incident.id).limit(size)
    if after is not None:
        stmt = stmt.where(Incident.id > after)
    return list(await session.scalars(stmt))


async def locked_incidents(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Incident]:
    """These incidents locked for update, by id (those that exist)."""
    stmt = select(Incident).where(Incident.id.in_(ids)).order_by(Incident.id).with_for_update()
    return {i.id: i for i in await session.scalars(stmt)}


async def locked_members(session: AsyncSession, case_ids: set[uuid.UUID]) -> list[Incident]:
    """The incidents of these cases locked for update, by id."""
    if not case_ids:
        return []
    stmt = select(Incident).where(Incident.case_id.in_(case_ids)).order_by(Incident.id).with_for_update()
    return list(await session.scalars(stmt))


async def cases_by_id(session: AsyncSession, case_ids: Iterable[uuid.UUID]) -> list[LinkedCase]:
    return list(await session.scalars(select(LinkedCase).where(LinkedCase.id.in_(list(case_ids)))))


async def get_case(session: AsyncSession, case_id: uuid.UUID) -> LinkedCase | None:
    return await session.get(LinkedCase, case_id)


async def get_flag(session: AsyncSession, flag_id: int, *, for_update: bool = False) -> DuplicateFlag | None:
    return await session.get(DuplicateFlag, flag_id, with_for_update=for_update or None)


async def decide_open_flags_between(
    session: AsyncSession, ids: list[uuid.UUID], status: str, user_id: uuid.UUID, reason: str
) -> None:
    """Open flags between these incidents take the decision."""
    stmt = (
        update(DuplicateFlag)
        .where(DuplicateFlag.incident_a_id.in_(ids), DuplicateFlag.incident_b_id.in_(ids))
        .where(DuplicateFlag.status == "open")
        .values(status=status, decided_by_id=user_id, decided_at=datetime.now(UTC), decision_reason=reason)
    )
    await session.execute(stmt)


async def dismiss_flags_with(
    session: AsyncSession, leaving: uuid.UUID, others: list[uuid.UUID], user_id: uuid.UUID, reason: str
) -> None:
    """Flags between `leaving` and the others are dismissed with the reason."""
    stmt = (
        update(DuplicateFlag)
        .where(
            or_(
                (DuplicateFlag.incident_a_id == leaving) & DuplicateFlag.incident_b_id.in_(others),
                (DuplicateFlag.incident_b_id == leaving) & DuplicateFlag.incident_a_id.in_(others),
            )
        )
        .values(status="dismissed", decided_by_id=user_id, decided_at=datetime.now(UTC), decision_reason=reason)
    )
    await session.execute(stmt)


async def references_of(session: AsyncSession, ids: list[uuid.UUID]) -> list[IncidentReference]:
    """The external numbers of these incidents, in the order they were stored."""
    stmt = select(IncidentReference).where(IncidentReference.incident_id.in_(ids)).order_by(IncidentReference.id)
    return list(await session.scalars(stmt))


async def incidents_with_places(session: AsyncSession, ids: list[uuid.UUID]) -> list[tuple[Incident, str, str | None]]:
    """(incident, agency code, 2025 unit name) of these incidents."""
    unit = and_(AdminUnit.code == Incident.unit_2025, AdminUnit.generation == "2025")
    stmt = (
        select(Incident, Agency.code, AdminUnit.full_name)
        .join(Agency, Agency.id == Incident.agency_id)
        .outerjoin(AdminUnit, unit)
        .where(Incident.id.in_(ids))
    )
    return [(incident, code, name) for incident, code, name in (await session.execute(stmt)).all()]


async def usernames(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows.all()}


async def flags(session: AsyncSession, status: str, after: int | None, limit: int) -> list[DuplicateFlag]:
    """Up to `limit` flags of one status below id `after`, newest first; pairs with a withdrawn incident are left
    out while open."""
    stmt = select(DuplicateFlag).where(DuplicateFlag.status == status)
    if status == "open":
        live = select(Incident.id).where(Incident.status == WITHDRAWN)
        stmt = stmt.where(DuplicateFlag.incident_a_id.notin_(live), DuplicateFlag.incident_b_id.notin_(live))
    if after is not None:
        stmt = stmt.where(DuplicateFlag.id < after)
    return list(await session.scalars(stmt.order_by(DuplicateFlag.id.desc()).limit(limit)))


async def open_flag_count(session: AsyncSession) -> int:
    """Open flags between live incidents (the coordinator's to-do count)."""
    withdrawn = select(Incident.id).where(Incident.status == WITHDRAWN)
    stmt = select(func.count()).where(
        DuplicateFlag.status == "open",
        DuplicateFlag.incident_a_id.notin_(withdrawn),
        DuplicateFlag.incident_b_id.notin_(withdrawn),
    )
    return int(await session.scalar(stmt) or 0)


async def case_member_ids(session: AsyncSession, case_id: uuid.UUID) -> list[uuid.UUID]:
    return list(await session.scalars(select(Incident.id).where(Incident.case_id == case_id)))


async def case_of(session: AsyncSession, incident_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(select(Incident.case_id).where(Incident.id == incident_id))


async def other_members(
    session: AsyncSession, principal: Principal, case_id: uuid.UUID, incident_id: uuid.UUID
) -> list[tuple[uuid.UUID, str, str]]:
    """(incident id, agency code, kind) of the case's other incidents the reader may read, earliest first."""
    visible = visible_to(principal).where(Incident.case_id == case_id, Incident.id != incident_id).subquery()
    stmt = (
        select(visible.c.id, Agency.code, visible.c.kind)
        .join(Agency, Agency.id == visible.c.agency_id)
        .order_by(visible.c.occurred_at, visible.c.id)
    )
    return [(row[0], row[1], row[2]) for row in (await session.execute(stmt)).all()]


async def shared_numbers(session: AsyncSession, incident_id: uuid.UUID) -> list[str]:
    """The incident's external numbers that another incident also carries, sorted."""
    mine = select(IncidentReference).where(IncidentReference.incident_id == incident_id)
    other = IncidentReference.__table__.alias("other")
    shared_stmt = mine.join(
        other,
        (other.c.kind == IncidentReference.kind)
        & (other.c.number_key == IncidentReference.number_key)
        & (other.c.incident_id != incident_id),
    ).distinct()
    return sorted({ref.number for ref in await session.scalars(shared_stmt)})
