"""/api/documents: the register of outgoing documents, with how each one's latest file is signed."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.datastructures import ResponseHeader
from litestar.di import Provide
from litestar.params import QueryParameter

from schemas.documents import OutgoingDocumentOut
from service.auth.guards import PrincipalDep, provide_principal, require_member
from service.db import DbSession
from service.documents import service
from service.documents.service import NUMBER_HEADER, SIGNATURE_HEADER

# Declared on every route that answers a produced document (reports, takedown requests).
SIGNATURE_STATE = ResponseHeader(
    name=SIGNATURE_HEADER,
    documentation_only=True,
    description=(
        "signed; serial=<số sê-ri chứng thư / certificate serial>; level=B-B|B-T|B-LT[; timestamp=tsa_unreachable|"
        "tsa_bad_answer] (mức PAdES; không lấy được dấu thời gian / the PAdES level; why a timestamp asked for is "
        "missing) hoặc/or unsigned; reason=no_certificate|missing|unreadable|expired|not_yet_valid|draft"
    ),
)
DOCUMENT_NUMBER = ResponseHeader(
    name=NUMBER_HEADER,
    documentation_only=True,
    required=False,
    description=(
        "Số và ký hiệu như in sau “Số:” và như trong sổ văn bản đi (không có với bản dự thảo) / The number and "
        "symbol as printed after “Số:” and as in the register, e.g. 05/BC-SKHCN (absent for a draft)"
    ),
)
SignerTitle = Annotated[
    str, QueryParameter(min_length=1, max_length=80, description="Chức vụ người ký / The signer's title")
]
SignerName = Annotated[
    str | None,
    QueryParameter(
        min_length=1, max_length=120, description="Họ tên người ký (mặc định: người tải) / Signer (default: you)"
    ),
]
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
