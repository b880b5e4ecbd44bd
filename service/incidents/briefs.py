"""What a card says about the incident it is about: record number, kind, unit, goods value, date (scoped reads)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.incidents import repository
from service.incidents.models import Incident

UnitNames = Mapping[tuple[str, str], tuple[str, str]]


@dataclass(frozen=True)
class Brief:
    """An incident in one line of facts, enough to tell two cards apart."""

    id: uuid.UUID
    record_number: str | None
    kind: str
    unit_name: str
    goods_value_vnd: int | None
    occurred_at: datetime


def brief(incident: Incident, names: UnitNames) -> Brief:
    """The card facts of one incident, the unit by its full name (2025 generation)."""
    unit = names.get((incident.unit_2025 or "", "2025"))
    shown = unit[1] if unit else (incident.unit_2025 or "–")
    number = incident.payload.get("record_number") or incident.payload.get("declaration_number")
    return Brief(
        id=incident.id,
        record_number=str(number) if number else None,
        kind=incident.kind,
        unit_name=shown,
        goods_value_vnd=incident.goods_value_vnd,
        occurred_at=incident.occurred_at,
    )


async def briefs(
    session: AsyncSession, principal: Principal, ids: Collection[uuid.UUID], names: UnitNames
) -> dict[uuid.UUID, Brief]:
    """The card facts of the incidents among `ids` the reader may see."""
    if not ids:
        return {}
    rows = await repository.visible_among(session, principal, set(ids))
    return {incident.id: brief(incident, names) for incident in rows}
