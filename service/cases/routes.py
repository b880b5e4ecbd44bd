"""/api/duplicates and /api/cases: the coordinator's likely duplicates and linked cases. Thin: decode, call, encode."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.cases import CaseOut, DismissIn, FlagOut, FlagPage, FlagStatus, LinkIn, UnlinkIn
from service.auth.guards import PrincipalDep, provide_principal, require_coordinator
from service.cases import queries, service
from service.contract.declare import documented
from service.db import DbSession

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Số cặp mỗi trang / Pairs per page")]


class DuplicateController(Controller):
    """Likely duplicates (same goods, violator, place and dates; or the same external number) for coordinators."""

    path = "/api/duplicates"
    tags = ["cases"]
    guards = [require_coordinator]
    dependencies = {"principal": Provide(provide_principal)}

    @get()
    async def list_flags(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        status: Annotated[FlagStatus, QueryParameter(description="open, linked, dismissed, cleared")] = "open",
        cursor: Annotated[str | None, QueryParameter(max_length=20)] = None,
        limit: Limit = 50,
    ) -> FlagPage:
        """Các cặp nghi trùng / Likely duplicate pairs, newest first."""
        return await queries.list_flags(db_session, principal, status, cursor, limit)

    @post("/{flag_id:int}/dismiss", status_code=HTTP_200_OK, opt=documented(409))
    async def dismiss(
        self, flag_id: FromPath[int], data: JSONBody[DismissIn], principal: PrincipalDep, db_session: DbSession
    ) -> FlagOut:
        """Không phải một vụ (nêu lý do) / Not one case: close the flag with the reason."""
        flag = await service.dismiss(db_session, principal, flag_id, data)
        page = await queries.flag_page_of(db_session, [flag])
        return page[0]


class CaseController(Controller):
    """Incidents linked as one case: counted once in reports."""

    path = "/api/cases"
    tags = ["cases"]
    guards = [require_coordinator]
    dependencies = {"principal": Provide(provide_principal)}

    @post(status_code=HTTP_201_CREATED, opt=documented(404, 409, 422))
    async def link(self, data: JSONBody[LinkIn], principal: PrincipalDep, db_session: DbSession) -> CaseOut:
        """Gộp các vụ việc thành một vụ (nêu lý do) / Link incidents as one case, with the reason."""
        case = await service.link(db_session, principal, data)
        return await queries.get_case(db_session, principal, case.id)

    @get("/{case_id:uuid}")
    async def get_case(self, case_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession) -> CaseOut:
        """Một vụ đã gộp / A linked case and its incidents."""
        return await queries.get_case(db_session, principal, case_id)

    @post("/{case_id:uuid}/unlink", status_code=HTTP_200_OK, opt=documented(409, 422))
    async def unlink(
        self, case_id: FromPath[uuid.UUID], data: JSONBody[UnlinkIn], principal: PrincipalDep, db_session: DbSession
    ) -> CaseOut:
        """Tách một vụ việc khỏi vụ đã gộp (nêu lý do) / Take an incident out of its case, with the reason."""
        await service.unlink(db_session, principal, case_id, data)
        return await queries.get_case(db_session, principal, case_id)
