"""/api/referrals/{referral_id}/mediation: sessions of a mediation case and extensions of its clock."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.mediation import MediationExtensionIn, MediationSessionIn, MediationSessionOut
from schemas.referrals import ReferralOut
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.clock import LOCAL_TZ
from service.contract.declare import documented
from service.db import DbSession
from service.referrals import mediation, views
from service.referrals.models import MediationSession


def _session_out(record: MediationSession, recorded_by: str | None) -> MediationSessionOut:
    return MediationSessionOut(
        id=record.id,
        held_on=record.held_on,
        place=record.place,
        minutes=record.minutes,
        recorded_by=recorded_by,
        created_at=record.created_at.astimezone(LOCAL_TZ),
    )


class MediationController(Controller):
    """Disputes referred to mediation, arbitration or court: sessions and the mediation clock."""

    path = "/api/referrals/{referral_id:uuid}/mediation"
    tags = ["referrals"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @post("/sessions", status_code=HTTP_201_CREATED, opt=documented(409, 422))
    async def add_session(
        self,
        referral_id: FromPath[uuid.UUID],
        data: JSONBody[MediationSessionIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> MediationSessionOut:
        """Ghi phiên hòa giải (cơ quan nhận) / Record a mediation session (receiving agency)."""
        record = await mediation.add_session(db_session, principal, referral_id, data)
        return _session_out(record, principal.username)

    @get("/sessions", opt=documented(409, 422))
    async def list_sessions(
        self, referral_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> list[MediationSessionOut]:
        """Các phiên hòa giải / The case's sessions, in the order they were held."""
        rows = await mediation.list_sessions(db_session, principal, referral_id)
        return [_session_out(record, username) for record, username in rows]

    @post("/extend", status_code=HTTP_200_OK, opt=documented(409, 422))
    async def extend(
        self,
        referral_id: FromPath[uuid.UUID],
        data: JSONBody[MediationExtensionIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> ReferralOut:
        """Gia hạn: vụ phức tạp 30 ngày, các bên thỏa thuận 2 tháng / Extend: complex case 30 days, agreed 2 months."""
        await mediation.extend(db_session, principal, referral_id, data)
        return await views.get_referral(db_session, principal, referral_id)
