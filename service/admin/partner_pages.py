"""/admin/partners: partner systems (register with credentials shown once, rotate, revoke) and each one's access
log. Administrators only; the forms decode into the API's PartnerIn and call the same service (service/share/)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.share import PartnerIn
from service import i18n
from service.admin.forms import FormResult, decode, refused, typed
from service.auth.guards import PrincipalDep, provide_principal, require_admin
from service.db import DbSession
from service.errors import AppError
from service.share import repository, service
from service.share.catalogue import DATASETS
from service.web.context import language, page

HttpRequest = Request[Any, Any, Any]
FIELDS = ("name", "body", "contact", "legal_basis", "expires_on", "rate_limit")
ACCESS_PAGE = 100


async def render_partners(
    request: HttpRequest,
    session: AsyncSession,
    result: FormResult | None = None,
    credentials: tuple[str, str] | None = None,
) -> Template:
    """Every partner (revoked ones too) with its actions, and the form to register one."""
    lang = language(request)
    done = request.query_params.get("done")
    context = {
        "partners": await repository.list_all(session),
        "datasets": [(d.name, d.title_vi if lang == "vi" else d.title_en) for d in DATASETS.values()],
        "result": result or FormResult({}),
        "chosen": set((result.values.get("datasets") or "").split(",")) if result else set(),
        "credentials": credentials,
        "notice": i18n.message(f"ui.admin.done.{done}", lang) if done == "partner_revoked" else None,
    }
    return page(request, "admin/partners.html.j2", status=result.status if result else 200, **context)


class PartnerPageController(Controller):
    """The administrators' pages of partner systems and their access logs."""

    path = "/admin/partners"
    guards = [require_admin]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def partners(self, request: HttpRequest, db_session: DbSession) -> Template:
        """Hệ thống đối tác / Partner systems."""
        return await render_partners(request, db_session)

    @post(media_type=MediaType.HTML)
    async def register_partner(self, request: HttpRequest, principal: PrincipalDep, db_session: DbSession) -> Template:
        """Đăng ký đối tác / Register a partner: its client id and secret are shown on this answer only."""
        lang = language(request)
        form = await request.form()
        values = typed(form, FIELDS)
        chosen = [str(v) for v in form.getall("datasets")] if "datasets" in form else []
        values["datasets"] = ",".join(chosen)
        raw: dict[str, Any] = {**values, "datasets": chosen}  # decode passes the list through to msgspec
        data, errors = decode(raw, PartnerIn, lang, days=("expires_on",))
        if data is None:
            return await render_partners(request, db_session, FormResult(values, errors, 400))
        try:
            async with db_session.begin_nested():
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
        except AppError as exc:
            failed = FormResult(values, refused(exc, lang, (*FIELDS, "datasets")), exc.status)
            return await render_partners(request, db_session, failed)
        return await render_partners(request, db_session, credentials=(partner.client_id, secret))

    @post("/{partner_id:uuid}/rotate", media_type=MediaType.HTML)
    async def rotate_secret(
        self, request: HttpRequest, partner_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Template:
        """Cấp khóa bí mật mới / Rotate a partner's secret: the new one is shown on this answer only."""
        try:
            async with db_session.begin_nested():
                partner, secret = await service.rotate(db_session, partner_id, principal)
        except AppError as exc:
            failed = FormResult({}, refused(exc, language(request), ()), exc.status)
            return await render_partners(request, db_session, failed)
        return await render_partners(request, db_session, credentials=(partner.client_id, secret))

    @post("/{partner_id:uuid}/revoke", media_type=MediaType.HTML)
    async def revoke_partner(
        self, request: HttpRequest, partner_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> Response[Any]:
        """Thu hồi đối tác / Revoke a partner (kept on record with its access log)."""
        try:
            async with db_session.begin_nested():
                await service.revoke(db_session, partner_id, principal)
        except AppError as exc:
            failed = FormResult({}, refused(exc, language(request), ()), exc.status)
            return await render_partners(request, db_session, failed)
        return Redirect("/admin/partners?done=partner_revoked", status_code=303)

    @get("/{partner_id:uuid}/access", media_type=MediaType.HTML)
    async def access(self, request: HttpRequest, partner_id: FromPath[uuid.UUID], db_session: DbSession) -> Template:
        """Nhật ký truy cập của đối tác / A partner's recorded calls, newest first."""
        raw = request.query_params.get("before", "")
        before = int(raw) if raw.isdigit() and int(raw) > 0 else None
        partner = await service.get_partner(db_session, partner_id)
        items, next_before = await service.access_page(db_session, partner_id, before, ACCESS_PAGE)
        older = f"/admin/partners/{partner_id}/access?before={next_before}" if next_before else None
        return page(request, "admin/partner_access.html.j2", partner=partner, items=items, older=older)
