"""Incidents as a frame for maps/: the columns maps.figures expects, fines summed per incident."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.models import Agency
from service.incidents.models import Incident, SanctionDecision


async def incident_frame(session: AsyncSession) -> pd.DataFrame:
    """Every incident with its agency code and total fines (scoping is applied by the caller)."""
    fines = (
        select(SanctionDecision.incident_id, func.sum(SanctionDecision.fine_vnd).label("fine_vnd"))
        .group_by(SanctionDecision.incident_id)
        .subquery()
    )
    stmt = (
        select(
            Incident.id,
            Incident.kind,
            Agency.code.label("agency"),
            Incident.occurred_at,
            Incident.lon,
            Incident.lat,
            Incident.unit_2025,
            Incident.district_2024,
            Incident.district_2024_split,
            Incident.subject_matter,
            Incident.infringement_acts,
            Incident.goods_value_vnd,
            func.coalesce(fines.c.fine_vnd, 0).label("fine_vnd"),
            Incident.status,
        )
        .join(Agency, Agency.id == Incident.agency_id)
        .outerjoin(fines, fines.c.incident_id == Incident.id)
    )
    rows = (await session.execute(stmt)).all()
    columns = list(stmt.selected_columns.keys())
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)
