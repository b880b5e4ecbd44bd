"""What every page template gets: the reader's language, their principal and menu, translators, the nonce."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar.response import Template

from service import i18n
from service.auth.principal import Principal
from service.web import formatting
from service.web.security import nonce_of

LANG_COOKIE = "ipcoord_lang"
# Menu entries by role: (path, catalogue key). Pages register here so the menu stays in one place.
MENU: dict[str, tuple[tuple[str, str], ...]] = {
    "inspector": (
        ("/incidents/new", "ui.menu.record"),
        ("/incidents/mine", "ui.menu.mine"),
        ("/takedowns", "ui.menu.takedowns"),
        ("/sanctions", "ui.menu.sanctions"),
    ),
    "agency_staff": (
        ("/referrals/inbox", "ui.menu.inbox"),
        ("/referrals/outbox", "ui.menu.outbox"),
        ("/referrals/due-date", "ui.menu.due_date"),
        ("/takedowns", "ui.menu.takedowns"),
        ("/sanctions", "ui.menu.sanctions"),
        ("/imports", "ui.menu.imports"),
    ),
    "agency_head": (
        ("/referrals/inbox", "ui.menu.inbox"),
        ("/referrals/outbox", "ui.menu.outbox"),
        ("/referrals/due-date", "ui.menu.due_date"),
        ("/sanctions", "ui.menu.sanctions"),
    ),
    "coordinator": (
        ("/dashboard", "ui.menu.dashboard"),
        ("/referrals/inbox", "ui.menu.inbox"),
        ("/referrals/due-date", "ui.menu.due_date"),
        ("/duplicates", "ui.menu.duplicates"),
        ("/takedowns/platforms", "ui.menu.takedowns"),
        ("/sanctions", "ui.menu.sanctions"),
        ("/reports", "ui.menu.reports"),
        ("/exchange", "ui.menu.exchange"),
        ("/imports", "ui.menu.imports"),
    ),
    "admin": (
        ("/admin", "ui.menu.admin"),
        ("/exchange", "ui.menu.exchange"),
        ("/dashboard", "ui.menu.dashboard"),
        ("/duplicates", "ui.menu.duplicates"),
        ("/sanctions", "ui.menu.sanctions"),
        ("/reports", "ui.menu.reports"),
        ("/exchange", "ui.menu.exchange"),
        ("/admin/audit", "ui.menu.audit"),
    ),
}
MAP_MENU = (("/maps/choropleth", "ui.menu.maps"),)
HOME = {"inspector": "/incidents/new", "agency_staff": "/referrals/inbox", "agency_head": "/referrals/inbox"}


def language(request: Request[Any, Any, Any]) -> i18n.Language:
    """The reader's language: their remembered choice, else the browser's, else Vietnamese."""
    return i18n.pick_language(request.headers.get("accept-language"), request.cookies.get(LANG_COOKIE))


def principal_of(request: Request[Any, Any, Any]) -> Principal | None:
    """The logged-in caller, or None on a public page."""
    user = request.scope.get("user")
    return user if isinstance(user, Principal) else None


def home_of(principal: Principal) -> str:
    """Where a user lands after logging in."""
    return HOME.get(principal.role.value, "/dashboard")


def translator(lang: i18n.Language) -> Callable[..., str]:
    """`t("ui.key", **params)`: the catalogue text in the reader's language."""

    def t(code: str, /, **params: object) -> str:
        return i18n.message(code, lang, **params)

    return t


def menu(principal: Principal | None) -> list[tuple[str, str]]:
    """The menu of this user's role, maps included for everyone logged in."""
    if principal is None or principal.second_factor in ("pending", "enrol"):
        return []  # nothing else answers until the second factor is passed or enrolled
    return [*MENU.get(principal.role.value, ()), *MAP_MENU]


def page(request: Request[Any, Any, Any], template: str, *, status: int = 200, **context: Any) -> Template:
    """Render a page with the shared context (language, menu, formatting, nonce) plus the page's own."""
    lang = language(request)
    principal = principal_of(request)
    shared = {
        "lang": lang,
        "other_lang": "en" if lang == "vi" else "vi",
        "t": translator(lang),
        "both": lambda pair: formatting.both(pair, lang),
        "pair": lambda code, **params: i18n.both(code, **params),
        "principal": principal,
        "menu": menu(principal),
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "nonce": nonce_of(request.scope),
        "fmt": formatting,
    }
    return Template(template_name=template, context={**shared, **context}, status_code=status)
