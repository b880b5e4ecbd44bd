"""GET /referrals/{id}/incoming/{sha256}: the reader downloads a file a partner listed on a referral, through this
node (incoming.py): fetched with a signed request, checked against its hash, kept once. A refusal (a mismatch, the
partner unreachable) is the referral's page again, saying so."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import httpx
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, PathParameter

from service.attachments.routes import content_disposition
from service.attachments.service import AttachmentConfig
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.clock import now
from service.db import DbSession
from service.errors import AppError
from service.exchange import incoming
from service.exchange.service import Node
from service.referrals.pages import Failure, app_error_text, render_referral
from service.settings import SettingsDep
from service.web.context import language

NodeDep = NamedDependency[Node]
FETCH_TIMEOUT_SECONDS = 30


class IncomingFilePages(Controller):
    """Tệp từ nút đối tác / Files a partner node listed on a referral (logged-in readers of the referral)."""

    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/referrals/{referral_id:uuid}/incoming/{sha256:str}", opt={"skip_compression": True})
    async def download(
        self,
        request: Request[Any, Any, Any],
        referral_id: FromPath[uuid.UUID],
        sha256: Annotated[str, PathParameter(pattern=r"^[0-9a-f]{64}$")],
        principal: PrincipalDep,
        node: NodeDep,
        settings: SettingsDep,
        db_session: DbSession,
    ) -> Response[Any]:
        """Tải tệp qua nút này / The file, fetched from the partner and kept here once, or the page saying why not."""
        config = AttachmentConfig.from_settings(settings)
        try:
            async with db_session.begin_nested(), httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS) as http:
                kept, content = await incoming.obtain(
                    db_session,
                    principal,
                    node,
                    http,
                    config.store,
                    referral_id,
                    sha256,
                    max_bytes=config.max_bytes,
                    now=now(),
                )
        except AppError as exc:
            failure = Failure("download", {"form": app_error_text(exc, language(request))}, {}, exc.status)
            return await render_referral(request, db_session, principal, referral_id, failure)
        headers = {
            "Content-Disposition": content_disposition(kept.file_name),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private",
        }
        return Response(content, media_type=kept.content_type, headers=headers)
