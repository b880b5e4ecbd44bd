"""/api/referrals: refer, queues (inbox, outbox, overdue), one referral, actions, timeline."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.referrals import ReferralActionIn, ReferralEventOut, ReferralIn, ReferralOut, ReferralStatus, ReferralType
from service.auth.guards import PrincipalDep, provide_principal, require_coordinator, require_login
from service.auth.principal import Principal
from service.auth.service import require_agency
from service.clock import local_day, now
from service.contract.declare import documented
from service.db import DbSession
from service.errors import Forbidden
from service.referrals import service, views
from service.referrals.repository import QueueFilters

Overdue = Annotated[bool, QueryParameter(description="Chỉ hồ sơ quá hạn / Only overdue referrals")]
AgencyParam = Annotated[
    str | None,
    QueryParameter(description="Điều phối viên xem hàng đợi của cơ quan khác / Coordinators: another agency"),
]


async def queue_agency(db_session: DbSession, principal: Principal, agency: str | None) -> uuid.UUID:
    if agency is None or agency == principal.agency_code:
        return principal.agency_id
    if not principal.sees_all_agencies:
        raise Forbidden(field="agency")
    return (await require_agency(db_session, agency, field="agency")).id


Limit = Annotated[int, QueryParameter(ge=1, le=500, description="Số hồ sơ tối đa / At most this many, due first")]


def queue_filters(
    status: str | None, type_: str | None, due_before: date | None, overdue: bool, limit: int = 100
) -> QueueFilters:
    return QueueFilters(status, type_, due_before, local_day(now()) if overdue else None, limit)


def provide_queue_filters(
    status: FromQuery[ReferralStatus | None] = None,
    type: FromQuery[ReferralType | None] = None,
    due_before: FromQuery[date | None] = None,
    overdue: Overdue = False,
    limit: Limit = 100,
) -> QueueFilters:
    """Dependency: a queue's filters from the query string (inbox and outbox take the same)."""
    return queue_filters(status, type, due_before, overdue, limit)


QueueFiltersDep = NamedDependency[QueueFilters]
_QUEUE_FILTERS = {"queue_filters": Provide(provide_queue_filters, sync_to_thread=False)}


class ReferralController(Controller):
    """Hand-offs between agencies with their legal clocks."""

    path = "/api/referrals"
    tags = ["referrals"]
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}

    @post(status_code=HTTP_201_CREATED, opt=documented(404, 422))
    async def refer(self, data: JSONBody[ReferralIn], principal: PrincipalDep, db_session: DbSession) -> ReferralOut:
        """Chuyển hồ sơ cho cơ quan khác / Refer an incident to another agency."""
        referral = await service.refer(db_session, principal, data)
        return await views.get_referral(db_session, principal, referral.id)

    @get("/inbox", opt=documented(404), dependencies=_QUEUE_FILTERS)
    async def inbox(
        self, principal: PrincipalDep, db_session: DbSession, queue_filters: QueueFiltersDep, agency: AgencyParam = None
    ) -> list[ReferralOut]:
        """Hồ sơ đến, hạn gần nhất trước / Incoming referrals, due first."""
        agency_id = await queue_agency(db_session, principal, agency)
        return await views.queue(db_session, principal, agency_id=agency_id, incoming=True, filters=queue_filters)

    @get("/outbox", opt=documented(404), dependencies=_QUEUE_FILTERS)
    async def outbox(
        self, principal: PrincipalDep, db_session: DbSession, queue_filters: QueueFiltersDep, agency: AgencyParam = None
    ) -> list[ReferralOut]:
        """Hồ sơ đã gửi / Referrals sent by my agency, due first."""
        agency_id = await queue_agency(db_session, principal, agency)
        return await views.queue(db_session, principal, agency_id=agency_id, incoming=False, filters=queue_filters)

    @get("/overdue", guards=[require_coordinator])
    async def overdue_everywhere(
        self, principal: PrincipalDep, db_session: DbSession, limit: Limit = 500
    ) -> list[ReferralOut]:
        """Hồ sơ quá hạn toàn tỉnh (điều phối viên) / Overdue referrals in the province, most overdue first."""
        filters = queue_filters(None, None, None, overdue=True, limit=limit)
        return await views.queue(db_session, principal, agency_id=None, incoming=True, filters=filters)

    @get("/{referral_id:uuid}")
    async def get_referral(
        self, referral_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> ReferralOut:
        """Chi tiết hồ sơ chuyển / One referral with its clocks."""
        return await views.get_referral(db_session, principal, referral_id)

    @post("/{referral_id:uuid}/actions", status_code=HTTP_200_OK, opt=documented(409, 422))
    async def act(
        self,
        referral_id: FromPath[uuid.UUID],
        data: JSONBody[ReferralActionIn],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> ReferralOut:
        """Tiếp nhận, xử lý, kết thúc, trả lại, từ chối / Acknowledge, start, close, return or refuse."""
        await service.act(db_session, principal, referral_id, data)
        return await views.get_referral(db_session, principal, referral_id)

    @get("/{referral_id:uuid}/events")
    async def events(
        self, referral_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> list[ReferralEventOut]:
        """Dòng thời gian của hồ sơ / The referral's timeline."""
        return await views.timeline(db_session, principal, referral_id)
