"""Every import query lives here; an import is seen only by the agency that uploaded it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from service.auth.principal import Principal
from service.imports.models import ImportedRow, ImportMapping, IncidentImport

LIST_LIMIT = 50


def visible_to(principal: Principal) -> Select[IncidentImport]:
    """Imports of the caller's agency: they store incidents for it, so no other agency handles them."""
    return select(IncidentImport).where(IncidentImport.agency_id == principal.agency_id)


async def get_own(
    session: AsyncSession, principal: Principal, import_id: uuid.UUID, *, with_rows: bool = False, lock: bool = False
) -> IncidentImport | None:
    """One import of the caller's agency, with its rows when a dry run or commit needs them."""
    stmt = visible_to(principal).where(IncidentImport.id == import_id)
    if with_rows:
        stmt = stmt.options(undefer(IncidentImport.rows))
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def list_own(session: AsyncSession, principal: Principal) -> list[IncidentImport]:
    """The agency's latest imports, newest first."""
    stmt = visible_to(principal).order_by(IncidentImport.created_at.desc(), IncidentImport.id.desc())
    return list(await session.scalars(stmt.limit(LIST_LIMIT)))


async def get_mapping(session: AsyncSession, agency_id: uuid.UUID) -> ImportMapping | None:
    """The mapping the agency saved last."""
    return (await session.scalars(select(ImportMapping).where(ImportMapping.agency_id == agency_id))).one_or_none()


async def save_mapping(
    session: AsyncSession, agency_id: uuid.UUID, user_id: uuid.UUID, columns: dict[str, str], defaults: dict[str, Any]
) -> None:
    """Remember the agency's mapping (one per agency, replaced each time)."""
    values = {"columns": columns, "defaults": defaults, "updated_by_id": user_id, "updated_at": func.now()}
    stmt = insert(ImportMapping).values(agency_id=agency_id, created_at=func.now(), **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[ImportMapping.agency_id], set_=values))


async def imported_rows(session: AsyncSession, sha256: str) -> dict[int, uuid.UUID]:
    """Rows of this file (whoever uploaded it) already stored: row number -> incident."""
    stmt = select(ImportedRow.row_number, ImportedRow.incident_id).where(ImportedRow.sha256 == sha256)
    return {row: incident for row, incident in await session.execute(stmt)}


async def lock_file(session: AsyncSession, sha256: str) -> None:
    """Serialise commits of the same file until the transaction ends (two uploads of it, two clicks)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:sha256, 0))"), {"sha256": sha256})
