"""/api/me/notifications (choices), /api/webhooks (agency heads, admins), /api/admin/notifications (dead letters)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

from litestar import Controller, Router, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from schemas.notifications import (
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
    ReplayIn,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
)
from service.auth.guards import PrincipalDep, provide_principal, require_admin, require_login, requires_role
from service.auth.models import Role
from service.clock import now
from service.contract.declare import documented
from service.db import DbSession
from service.notifications import preferences, service
from service.settings import Settings

require_webhook_manager = requires_role(Role.AGENCY_HEAD, Role.ADMIN)
_principal = {"principal": Provide(provide_principal)}
MessageStatus = Annotated[
    Literal["dead", "pending", "sent"],
    QueryParameter(description="Trạng thái (mặc định: thất bại hẳn) / Status (default: dead letters)"),
]


@dataclass(frozen=True)
class WebhookSigning:
    """What creating a subscription needs from the settings."""

    secret_key: str
    https_only: bool


SigningDep = NamedDependency[WebhookSigning]


class NotificationPreferenceController(Controller):
    """What the caller receives, and at which address."""

    path = "/api/me/notifications"
    tags = ["notifications"]
    guards = [require_login]
    dependencies = _principal

    @get()
    async def get_preferences(self, principal: PrincipalDep, db_session: DbSession) -> PreferencesOut:
        """Thông báo tôi nhận / My notification address and choices (defaults marked)."""
        return await preferences.get_preferences(db_session, principal.user_id)

    @put(status_code=HTTP_200_OK)
    async def put_preferences(
        self, data: JSONBody[PreferencesIn], principal: PrincipalDep, db_session: DbSession
    ) -> PreferencesOut:
        """Chọn thông báo nhận qua thư / Set my address and choices; kinds not listed go back to default."""
        return await preferences.set_preferences(db_session, principal.user_id, data)


class WebhookController(Controller):
    """Signed webhooks for integrators of an agency."""

    path = "/api/webhooks"
    tags = ["notifications"]
    guards = [require_webhook_manager]
    dependencies = _principal

    @post(status_code=HTTP_201_CREATED, opt=documented(404))
    async def create_webhook(
        self, data: JSONBody[WebhookIn], principal: PrincipalDep, db_session: DbSession, signing: SigningDep
    ) -> WebhookCreatedOut:
        """Đăng ký webhook (trưởng cơ quan, quản trị) / Subscribe a URL; the secret is in this response only."""
        return await service.create_subscription(
            db_session, principal, data, secret_key=signing.secret_key, https_only=signing.https_only
        )

    @get()
    async def list_webhooks(self, principal: PrincipalDep, db_session: DbSession) -> list[WebhookOut]:
        """Danh sách webhook của cơ quan / My agency's webhooks (every agency's for admins), without secrets."""
        return await service.list_subscriptions(db_session, principal)

    @delete("/{webhook_id:uuid}", status_code=HTTP_200_OK)
    async def deactivate_webhook(
        self, webhook_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: DbSession
    ) -> WebhookOut:
        """Ngừng webhook / Deactivate a webhook (kept on record)."""
        return await service.deactivate_subscription(db_session, principal, webhook_id, now())


class NotificationAdminController(Controller):
    """Outbox messages that could not be delivered, and sending them again."""

    path = "/api/admin/notifications"
    tags = ["admin"]
    guards = [require_admin]
    dependencies = _principal

    @get()
    async def list_notifications(self, db_session: DbSession, status: MessageStatus = "dead") -> list[NotificationOut]:
        """Thông báo gửi thất bại (quản trị) / Dead letters, or messages in another status (admin)."""
        return await service.list_messages(db_session, status)

    @post("/{notification_id:int}/replay", status_code=HTTP_200_OK, opt=documented(409))
    async def replay_notification(
        self,
        notification_id: FromPath[int],
        principal: PrincipalDep,
        db_session: DbSession,
        data: JSONBody[ReplayIn | None] = None,
    ) -> NotificationOut:
        """Gửi lại thông báo thất bại (quản trị) / Replay a dead letter: pending again, attempts reset, audited."""
        note = data.note if data else ""
        return await service.replay(db_session, principal, notification_id, note, now())


def notification_router(settings: Settings) -> Router:
    """The notification controllers, with the key webhook secrets are derived from."""
    signing = WebhookSigning(secret_key=settings.secret_key, https_only=settings.is_production)

    def provide_signing() -> WebhookSigning:
        return signing

    return Router(
        path="/",
        route_handlers=[NotificationPreferenceController, WebhookController, NotificationAdminController],
        dependencies={"signing": Provide(provide_signing, sync_to_thread=False)},
    )
