"""create_app(settings) -> Litestar: plugins, controllers, middleware, error handlers, OpenAPI."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore
from litestar import Litestar, Request
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.middleware.session.base import SessionMiddleware
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Tag

from service import __version__, outage
from service.admin.audit_pages import AuditPageController
from service.admin.audit_routes import AuditController
from service.admin.calendar_pages import AdminCalendarPageController
from service.admin.pages import AdminPageController
from service.admin.partner_pages import PartnerPageController
from service.admin.platform_pages import AdminPlatformPageController
from service.admin_units.routes import AdminUnitController, GeotagController
from service.admin_units.service import bundled_registry
from service.attachments.routes import attachment_router
from service.audit.buffer import ReadBuffer
from service.auth.middleware import (
    SESSION_COOKIE,
    AuthMiddleware,
    BearerAwareCSRFMiddleware,
    SessionBackend,
)
from service.auth.models import LoginSession, StoreItem
from service.auth.routes import AgencyController, AuthController, MeController, UserAdminController
from service.auth.security_routes import (
    PasswordController,
    SecondFactorController,
    SecondFactorSignInController,
    SessionController,
)
from service.auth.service import SlowedNotice
from service.calendar.pages import DueDatePageController
from service.calendar.routes import CalendarController, HolidayController
from service.cases.flagging import provide_after_change
from service.cases.pages import CasePageController
from service.cases.routes import CaseController, DuplicateController
from service.contract.boundary import MAX_BODY, ParameterBoundaryMiddleware, check_request_body
from service.contract.openapi import ContractJsonPlugin, ContractYamlPlugin
from service.dashboard.pages import DashboardPageController
from service.db import alchemy_config, use_field_key
from service.documents.routes import DocumentController
from service.exchange.routes import exchange_router
from service.exchange.service import INBOX_PATH
from service.exports.routes import ExportController
from service.health.routes import health, health_router
from service.imports.pages import ImportPageController
from service.imports.routes import ImportController
from service.incident_pages.list_page import IncidentListPageController
from service.incident_pages.pages import IncidentPageController
from service.incident_pages.view_pages import IncidentViewPageController
from service.incidents.routes import IncidentController
from service.map_views.pages import MapPageController
from service.map_views.routes import MapDataController
from service.migrate import check_migrated
from service.national_record.routes import NationalRecordController
from service.notifications import security as security_notices
from service.notifications.routes import notification_router
from service.observability import RequestIdMiddleware
from service.referrals.clocks import provide_recompute
from service.referrals.mediation_routes import MediationController
from service.referrals.pages import ReferralPageController
from service.referrals.routes import ReferralController
from service.referrals.send_pages import ReferPageController
from service.reports.pages import ReportPageController
from service.reports.routes import ReportController
from service.sanctions.decision_pages import SanctionFormPageController
from service.sanctions.pages import SanctionPageController
from service.sanctions.routes import SanctionController, SanctionListController
from service.settings import Settings
from service.share.data_routes import ShareController
from service.share.routes import TOKEN_PATH, PartnerAdminController, issue_token
from service.takedowns.capture_pages import CapturePageController
from service.takedowns.pages import IncidentTakedownPageController, TakedownPageController
from service.takedowns.routes import takedown_router
from service.web.account_pages import AccountPageController, SecondFactorPageController
from service.web.assets import static_router
from service.web.commit import CommitBeforeAnswer
from service.web.compression import compression_config
from service.web.handlers import EXCEPTION_HANDLERS
from service.web.hosts import AllowedHostsMiddleware
from service.web.offline import service_worker
from service.web.security import SecurityHeadersMiddleware
from service.web.session_pages import SessionPageController
from service.web.templating import template_config

LOGIN_PATH = "/api/auth/login"
CSRF_COOKIE = "ipcoord_csrf"
CSRF_HEADER = "x-csrftoken"

ROUTE_HANDLERS: list[Any] = [
    health,
    health_router,
    AuthController,
    MeController,
    SecondFactorSignInController,
    SecondFactorController,
    SessionController,
    PasswordController,
    AgencyController,
    UserAdminController,
    AuditController,
    AuditPageController,
    AdminUnitController,
    GeotagController,
    IncidentController,
    SanctionController,
    SanctionListController,
    NationalRecordController,
    DuplicateController,
    CaseController,
    CasePageController,
    ReferralController,
    MediationController,
    HolidayController,
    CalendarController,
    MapDataController,
    MapPageController,
    SessionPageController,
    SecondFactorPageController,
    AccountPageController,
    IncidentPageController,
    IncidentListPageController,
    IncidentViewPageController,
    ReferralPageController,
    ReferPageController,
    TakedownPageController,
    IncidentTakedownPageController,
    CapturePageController,
    AdminPageController,
    PartnerPageController,
    AdminCalendarPageController,
    AdminPlatformPageController,
    DueDatePageController,
    DashboardPageController,
    ExportController,
    ImportController,
    ImportPageController,
    ReportController,
    ReportPageController,
    DocumentController,
    SanctionPageController,
    SanctionFormPageController,
    service_worker,
    PartnerAdminController,
    issue_token,
    ShareController,
]


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="ipcoord API",
        version=__version__,
        path="/schema",
        use_handler_docstrings=True,
        # The document served is the contract (service/contract/openapi.py): every error status of every
        # operation in the one error body, every media type, links between operations.
        render_plugins=[ScalarRenderPlugin(), ContractJsonPlugin(), ContractYamlPlugin()],
        description=(
            "Điều phối thực thi quyền sở hữu trí tuệ tỉnh Lai Châu: vụ việc, chuyển giao, bản đồ điểm nóng. "
            "Mọi lỗi có dạng {code, message_vi, message_en, field, errors[]}.\n\n"
            "Lai Châu IP-enforcement coordination: incidents, referrals, hotspot maps. Every error body is "
            "{code, message_vi, message_en, field, errors[]}. Authenticate with a session cookie "
            f"(POST {LOGIN_PATH}; send the `{CSRF_COOKIE}` cookie's value as `{CSRF_HEADER}` "
            "on unsafe requests) "
            "or with `Authorization: Bearer <token>` (POST /api/me/tokens).\n\n"
            "Dữ liệu vào / Input: JSON bodies are decoded strictly (a string or a float is not an integer; unknown "
            "fields are refused); text may not hold NUL or other control characters (free text keeps tab and "
            "newline), query and path parameters at most 2,000 characters, bodies at most 1 MiB except uploads. "
            "Unknown query parameters are ignored. Each refusal is a 400 naming the field "
            "(`field.control_character`, `field.invalid_encoding`, `field.type`, ...)."
        ),
        tags=[
            Tag(name="auth", description="Đăng nhập, mã truy cập / Login, API tokens"),
            Tag(name="agencies", description="Cơ quan / Agencies"),
            Tag(name="admin", description="Quản trị người dùng / User administration"),
            Tag(name="admin-units", description="Đơn vị hành chính, gắn địa bàn / Admin units, geotagging"),
            Tag(name="incidents", description="Vụ việc / Incidents"),
            Tag(name="referrals", description="Chuyển giao hồ sơ / Referrals between agencies"),
            Tag(name="takedowns", description="Yêu cầu gỡ bỏ gửi nền tảng / Takedown requests to platforms"),
            Tag(name="calendar", description="Lịch ngày nghỉ, làm bù, tính hạn / Calendar, deadline calculator"),
            Tag(name="maps", description="Số liệu bản đồ / Map figures"),
            Tag(name="notifications", description="Thông báo, webhook / Notifications, webhooks"),
            Tag(name="exchange", description="Trao đổi hồ sơ giữa các tỉnh / Exchange between instances"),
            Tag(name="share", description="Chia sẻ dữ liệu với hệ thống đối tác / Data sharing with partners"),
            Tag(name="health", description="Tình trạng / Health"),
        ],
    )


def _middleware(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> list[Any]:
    session_config = ServerSideSessionConfig(
        key=SESSION_COOKIE,
        max_age=settings.session_max_age,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        renew_on_access=True,
    )
    sessions = SessionBackend(config=session_config, alchemy_config=alchemy, model=LoginSession)
    csrf = CSRFConfig(
        secret=settings.secret_key,
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=settings.cookie_secure,
        cookie_samesite="lax",
        # The partner token exchange holds no cookie session to forge; it is authenticated by its form's secret.
        # Likewise a partner node's message: it is authenticated by its signature (docs/exchange.md).
        exclude=[f"^{TOKEN_PATH}$", f"^{INBOX_PATH}$"],
    )

    async def is_login(request: Request[Any, Any, Any]) -> bool:
        return request.method == "POST" and request.url.path in (LOGIN_PATH, "/login")

    login_limit = RateLimitConfig(
        rate_limit=("minute", settings.login_rate_limit),
        check_throttle_handler=is_login,
        store="rate_limit",
    )
    return [
        AllowedHostsMiddleware(settings.allowed_hosts),
        login_limit.middleware,
        ParameterBoundaryMiddleware(),
        DefineMiddleware(SessionMiddleware, backend=sessions),
        DefineMiddleware(BearerAwareCSRFMiddleware, config=csrf),
        DefineMiddleware(AuthMiddleware, alchemy=alchemy, second_factor_roles=settings.mfa_required_roles),
    ]


def create_app(settings: Settings, *, check_schema: bool = True) -> Litestar:
    """The ipcoord application for these settings (the database URL must be resolved)."""
    use_field_key(settings.field_key)  # TOTP keys are sealed with the settings' key (service.db.SealedString)
    if not settings.database_url:
        raise ValueError("create_app needs settings.database_url; service.__main__ resolves the embedded one")
    alchemy = alchemy_config(settings.database_url, settings.db_pool_size, settings.db_pool_overflow)
    outage.watch(alchemy.get_engine())
    flush = settings.audit_read_flush_ms
    reads = ReadBuffer(alchemy.get_engine(), flush / 1000) if flush else None

    async def on_startup(app: Litestar) -> None:
        app.state.geo = bundled_registry()
        if check_schema:
            await check_migrated(alchemy.get_engine())
        if reads is not None:
            reads.start()

    async def on_shutdown(_: Litestar) -> None:
        if reads is not None:
            await reads.stop()
        # advanced-alchemy disposes only the first app's engine in a process; dispose ours explicitly.
        await alchemy.get_engine().dispose()

    def provide_settings() -> Settings:
        return settings

    def provide_slowed_notice() -> SlowedNotice:
        return security_notices.sign_ins_slowed

    app = Litestar(
        route_handlers=[
            *ROUTE_HANDLERS,
            attachment_router(settings),
            notification_router(settings),
            exchange_router(settings),
            takedown_router(settings),
            static_router(),
        ],
        plugins=[SQLAlchemyPlugin(config=alchemy)],
        dependencies={
            "settings": Provide(provide_settings, sync_to_thread=False),
            "recompute_clocks": Provide(provide_recompute, sync_to_thread=False),
            "after_incident_change": Provide(provide_after_change, sync_to_thread=False),
            "notify_slowed": Provide(provide_slowed_notice, sync_to_thread=False),
        },
        middleware=_middleware(settings, alchemy),
        stores={"rate_limit": SQLAlchemyStore(alchemy, model=StoreItem, namespace="rate_limit")},
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=_openapi(),
        template_config=template_config(),
        request_max_body_size=MAX_BODY,
        before_request=check_request_body,
        compression_config=compression_config(),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        logging_config=None,  # JSON lines from service.observability instead
        debug=False,
    )
    # Outermost, around Litestar's own exception handling, so even a 404 or a CSRF refusal carries the id.
    handler: Any = CommitBeforeAnswer(app.asgi_handler, alchemy.session_scope_key)  # a failed commit answers 503
    handler = reads.around(handler) if reads is not None else handler  # personal-data reads
    app.asgi_handler = SecurityHeadersMiddleware(RequestIdMiddleware(handler), settings.map_tile_url)
    return app
