"""/api/admin/partners (admin: register, rotate, revoke, the access log) and POST /api/share/v1/token (client
credentials)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.share import AccessOut, AccessPage, PartnerCredentials, PartnerIn, PartnerOut, TokenAnswer, TokenRequest
from service.auth.guards import PrincipalDep, provide_principal, require_admin
from service.contract.declare import documented
from service.db import DbSession
from service.errors import Invalid
from service.settings import SettingsDep
from service.share import repository, service
from service.share.access import Call, TooManyCalls, recorded
from service.share.models import ShareAccess, SharePartner

TOKEN_PATH = "/api/share/v1/token"  # noqa: S105 - a path, not a secret
ACCESS_PAGE = 100


def partner_out(partner: SharePartner) -> PartnerOut:
    """The API shape of a partner."""
    return PartnerOut(
        id=partner.id,
        name=partner.name,
        body=partner.body,
        contact=partner.contact,
        legal_basis=partner.legal_basis,
        datasets=list(partner.datasets),
        expires_on=partner.expires_on,
        client_id=partner.client_id,
        revoked_at=partner.revoked_at,
        rate_limit=partner.rate_limit,
    )


def access_out(entry: ShareAccess) -> AccessOut:
    """The API shape of one recorded call."""
    return AccessOut(
        id=entry.id,
        at=entry.at,
        path=entry.path,
        dataset=entry.dataset,
        query=dict(entry.query),
        rows=entry.rows,
        status=entry.status,
        code=entry.code,
        via=entry.via,
    )


def _credentials(partner: SharePartner, secret: str) -> PartnerCredentials:
    return PartnerCredentials(partner=partner_out(partner), client_id=partner.client_id, client_secret=secret)


class PartnerAdminController(Controller):
    """Partner systems receiving shared data (admin); revoked, never deleted."""

    path = "/api/admin/partners"
    tags = ["admin"]
    guards = [require_admin]
    dependencies = {"principal": Provide(provide_principal)}

    @get()
    async def list_partners(self, db_session: DbSession) -> list[PartnerOut]:
        """Hệ thống đối tác (quản trị) / Partner systems (admin)."""
        return [partner_out(p) for p in await repository.list_all(db_session)]

    @post(status_code=HTTP_201_CREATED)
    async def register_partner(
        self, data: JSONBody[PartnerIn], principal: PrincipalDep, db_session: DbSession
    ) -> PartnerCredentials:
        """Đăng ký đối tác, khóa bí mật chỉ hiện một lần / Register a partner; its secret is shown once."""
        partner, secret = await service.register(
            db_session,
            name=data.name,
            body=data.body,
            contact=data.contact,
            legal_basis=data.legal_basis,
            datasets=data.datasets,
            expires_on=data.expires_on,
            rate_limit=data.rate_limit,
            actor=principal,
        )
        return _credentials(partner, secret)

    @post("/{partner_id:uuid}/rotate", status_code=HTTP_200_OK, opt=documented(409))
    async def rotate_secret(
        self, partner_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> PartnerCredentials:
        """Cấp khóa bí mật mới / Rotate the secret (the old one and its tokens stop working)."""
        partner, secret = await service.rotate(db_session, partner_id, principal)
        return _credentials(partner, secret)

    @post("/{partner_id:uuid}/revoke", status_code=HTTP_200_OK)
    async def revoke_partner(
        self, partner_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> PartnerOut:
        """Thu hồi đối tác / Revoke a partner (kept, never deleted)."""
        return partner_out(await service.revoke(db_session, partner_id, principal))

    @get("/{partner_id:uuid}/access")
    async def partner_access(
        self,
        partner_id: FromPath[uuid.UUID],
        db_session: DbSession,
        before: Annotated[
            int | None, QueryParameter(ge=1, description="Các lần gọi cũ hơn mã này / Calls older than this id")
        ] = None,
    ) -> AccessPage:
        """Nhật ký truy cập của đối tác / A partner's recorded calls, newest first, 100 a page."""
        items, next_before = await service.access_page(db_session, partner_id, before, ACCESS_PAGE)
        return AccessPage(items=[access_out(e) for e in items], next_before=next_before)


@post(TOKEN_PATH, status_code=HTTP_200_OK, tags=["share"], opt=documented(service.InvalidClient, TooManyCalls))
async def issue_token(
    request: Request[Any, Any, Any],
    data: Annotated[TokenRequest, Body(media_type=RequestEncodingType.URL_ENCODED)],
    db_session: DbSession,
    settings: SettingsDep,
) -> TokenAnswer:
    """Cấp mã truy cập (OAuth 2 client credentials) / Token for a partner system (OAuth 2 client credentials)."""
    async with recorded(db_session, Call(path=request.url.path, query={"grant_type": data.grant_type[:40]})) as call:
        if data.grant_type != "client_credentials":
            raise Invalid(field="grant_type").with_code("share.unsupported_grant_type")
        token, lifetime = await service.issue_token(db_session, settings, data.client_id, data.client_secret, call)
        return TokenAnswer(access_token=token, token_type="Bearer", expires_in=lifetime)  # noqa: S106
