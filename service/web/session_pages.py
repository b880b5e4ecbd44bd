"""Login and logout pages, the language switch, and the home page that sends each role to its work."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from service.auth import signin
from service.auth.guards import require_login
from service.auth.routes import SlowedNoticeDep, start_session
from service.auth.service import AccountSlowed
from service.db import DbSession
from service.errors import InvalidCredentials
from service.settings import SettingsDep
from service.web.context import LANG_COOKIE, home_of, page
from service.web.context import principal_of as current_principal

LANG_MAX_AGE = 365 * 24 * 3600


def safe_next(target: str | None) -> str | None:
    """A path on this site to return to; anything else (another host, `//evil`) is dropped."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


class SessionPageController(Controller):
    """Pages any visitor reaches: login, logout, language; `/` sends a logged-in user to their work."""

    include_in_schema = False

    @get("/login", media_type=MediaType.HTML)
    async def login_page(
        self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None, expired: FromQuery[str | None] = None
    ) -> Template:
        """Trang đăng nhập / Login page."""
        return page(request, "auth/login.html.j2", next=safe_next(next) or "", expired=bool(expired), error=None)

    @post("/login", media_type=MediaType.HTML)
    async def login(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        settings: SettingsDep,
        notify_slowed: SlowedNoticeDep,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        """Đăng nhập bằng biểu mẫu / Log in with the form (rate-limited per address and slowed per account, like
        the API); then the second factor, or its enrolment where the role requires one."""
        target = safe_next(data.get("next"))
        try:
            user, principal = await signin.password_step(
                db_session,
                data.get("username", ""),
                data.get("password", ""),
                required_roles=settings.mfa_required_roles,
                notify_slowed=notify_slowed,
            )
        except (InvalidCredentials, AccountSlowed) as refused:
            context = {"next": target or "", "expired": False, "error": refused.code, "error_params": refused.params}
            status = refused.status
            return page(request, "auth/login.html.j2", status=status, username=data.get("username", ""), **context)
        start_session(request, user)
        if principal.second_factor == "pending":
            return Redirect(
                "/login/second-factor" + (f"?{urlencode({'next': target})}" if target else ""), status_code=303
            )
        if principal.second_factor == "enrol":
            return Redirect("/account/security", status_code=303)
        return Redirect(target or home_of(principal), status_code=303)

    @post("/logout", guards=[require_login])
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        """Đăng xuất / Log out: the session is deleted on the server."""
        request.clear_session()
        return Redirect("/login", status_code=303)

    @get("/lang")
    async def switch_language(
        self, request: Request[Any, Any, Any], code: FromQuery[str] = "vi", next: FromQuery[str | None] = None
    ) -> Redirect:
        """Đổi ngôn ngữ (ghi nhớ 1 năm) / Switch language, remembered for a year."""
        response = Redirect(safe_next(next) or "/", status_code=303)
        if code in ("vi", "en"):
            response.set_cookie(LANG_COOKIE, code, max_age=LANG_MAX_AGE, samesite="lax", httponly=True)
        return response

    @get("/", media_type=MediaType.HTML, guards=[require_login])
    async def home(self, request: Request[Any, Any, Any]) -> Redirect:
        """Trang chủ / Home: each role's own work."""
        principal = current_principal(request)
        return Redirect(home_of(principal) if principal else "/login", status_code=303)
