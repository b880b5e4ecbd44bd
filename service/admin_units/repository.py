"""Every admin-unit query lives here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from service.admin_units.models import AdminUnit, UnitSuccession


async def list_units(session: AsyncSession, generation: str | None, level: str | None) -> list[AdminUnit]:
    """Units filtered by generation and level, ordered by generation then code."""
    stmt = select(AdminUnit).order_by(AdminUnit.generation, AdminUnit.level.desc(), AdminUnit.code)
    if generation:
        stmt = stmt.where(AdminUnit.generation == generation)
    if level:
        stmt = stmt.where(AdminUnit.level == level)
    return list(await session.scalars(stmt))


async def get_unit(session: AsyncSession, generation: str, code: str) -> AdminUnit | None:
    """One unit by its full key."""
    return await session.get(AdminUnit, (code, generation))


async def list_children(session: AsyncSession, unit: AdminUnit) -> list[AdminUnit]:
    """The 2024 communes of a 2024 district."""
    stmt = (
        select(AdminUnit)
        .where(AdminUnit.parent_code == unit.code, AdminUnit.parent_generation == unit.generation)
        .order_by(AdminUnit.code)
    )
    return list(await session.scalars(stmt))


async def list_links(
    session: AsyncSession, unit: AdminUnit, *, forward: bool
) -> list[tuple[UnitSuccession, AdminUnit]]:
    """Successions leaving (forward) or reaching this unit, with the unit at the other end."""
    other = aliased(AdminUnit)
    if forward:
        on = (other.code == UnitSuccession.to_code) & (other.generation == UnitSuccession.to_generation)
        where = (UnitSuccession.from_code == unit.code) & (UnitSuccession.from_generation == unit.generation)
    else:
        on = (other.code == UnitSuccession.from_code) & (other.generation == UnitSuccession.from_generation)
        where = (UnitSuccession.to_code == unit.code) & (UnitSuccession.to_generation == unit.generation)
    stmt = select(UnitSuccession, other).join(other, on).where(where).order_by(other.level, other.code)
    return [(row[0], row[1]) for row in await session.execute(stmt)]
