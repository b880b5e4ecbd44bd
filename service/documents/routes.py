"""/api/documents: the register of outgoing documents, with how each one's latest file is signed."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import Provide
from litestar.params import QueryParameter

from schemas.documents import OutgoingDocumentOut
from service.auth.guards import PrincipalDep, provide_principal, require_member
from service.db import DbSession
from service.documents import service

Year = Annotated[int | None, QueryParameter(ge=2000, le=2100, description="Năm / Year of the register")]


class DocumentController(Controller):
    """Sổ văn bản đi / The register: one agency's for its members, every agency's for coordinators and admins."""

    path = "/api/documents"
    tags = ["documents"]
    guards = [require_member]
    dependencies = {"principal": Provide(provide_principal)}

    @get()
    async def list_documents(
        self, db_session: DbSession, principal: PrincipalDep, year: Year = None
    ) -> list[OutgoingDocumentOut]:
        """Văn bản đi đã đăng ký số / Numbered outgoing documents, newest first, each with its latest file."""
        return await service.register_of(db_session, principal, year)
