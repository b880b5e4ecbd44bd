"""/api/admin/partners (admin: register, rotate, revoke) and POST /api/share/v1/token (client credentials)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.share import PartnerCredentials, PartnerIn, PartnerOut, TokenAnswer, TokenRequest
from service.auth.guards import require_admin
from service.contract.declare import documented
from service.db import DbSession
from service.errors import Invalid
from service.settings import SettingsDep
from service.share import repository, service
from service.share.models import SharePartner

TOKEN_PATH = "/api/share/v1/token"  # noqa: S105 - a path, not a secret


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
    )


def _credentials(partner: SharePartner, secret: str) -> PartnerCredentials:
    return PartnerCredentials(partner=partner_out(partner), client_id=partner.client_id, client_secret=secret)


class PartnerAdminController(Controller):
    """Partner systems receiving shared data (admin); revoked, never deleted."""

    path = "/api/admin/partners"
    tags = ["admin"]
    guards = [require_admin]

    @get()
    async def list_partners(self, db_session: DbSession) -> list[PartnerOut]:
        """Hệ thống đối tác (quản trị) / Partner systems (admin)."""
        return [partner_out(p) for p in await repository.list_all(db_session)]

    @post(status_code=HTTP_201_CREATED)
    async def register_partner(self, data: JSONBody[PartnerIn], db_session: DbSession) -> PartnerCredentials:
        """Đăng ký đối tác, khóa bí mật chỉ hiện một lần / Register a partner; its secret is shown once."""
        partner, secret = await service.register(
            db_session,
            name=data.name,
            body=data.body,
            contact=data.contact,
            legal_basis=data.legal_basis,
            datasets=data.datasets,
            expires_on=data.expires_on,
        )
        return _credentials(partner, secret)

    @post("/{partner_id:uuid}/rotate", status_code=HTTP_200_OK, opt=documented(409))
    async def rotate_secret(self, partner_id: FromPath[uuid.UUID], db_session: DbSession) -> PartnerCredentials:
        """Cấp khóa bí mật mới / Rotate the secret (the old one and its tokens stop working)."""
        partner, secret = await service.rotate(db_session, partner_id)
        return _credentials(partner, secret)

    @post("/{partner_id:uuid}/revoke", status_code=HTTP_200_OK)
    async def revoke_partner(self, partner_id: FromPath[uuid.UUID], db_session: DbSession) -> PartnerOut:
        """Thu hồi đối tác / Revoke a partner (kept, never deleted)."""
        return partner_out(await service.revoke(db_session, partner_id))


@post(TOKEN_PATH, status_code=HTTP_200_OK, tags=["share"], opt=documented(service.InvalidClient))
async def issue_token(
    data: Annotated[TokenRequest, Body(media_type=RequestEncodingType.URL_ENCODED)],
    db_session: DbSession,
    settings: SettingsDep,
) -> TokenAnswer:
    """Cấp mã truy cập (OAuth 2 client credentials) / Token for a partner system (OAuth 2 client credentials)."""
    if data.grant_type != "client_credentials":
        raise Invalid(field="grant_type").with_code("share.unsupported_grant_type")
    token, lifetime = await service.issue_token(
        db_session, settings.share_token_key, data.client_id, data.client_secret
    )
    return TokenAnswer(access_token=token, token_type="Bearer", expires_in=lifetime)  # noqa: S106
