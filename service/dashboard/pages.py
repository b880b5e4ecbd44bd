"""The coordinator's dashboard: where things stand this morning, with the year's maps and every list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, get
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import PrincipalDep, provide_principal, require_coordinator
from service.auth.principal import Principal
from service.cases.repository import open_flag_count
from service.clock import local_day, now
from service.dashboard import figures, maps, repository
from service.db import DbSession
from service.errors import NotFound
from service.health import heartbeats
from service.jobs import QUEUE
from service.settings import Settings, SettingsDep
from service.web.context import language, page
from service.web.formatting import export_links
from service.web.security import nonce_of

SANCTION_EXPORT = "/api/sanctions/export"


def incident_exports(periods: figures.Periods, *, month: bool = False, **params: object) -> dict[str, str]:
    """Downloads of the incidents that occurred this year (or month), further filtered by ``params``."""
    start, end = (periods.month_start, periods.month_end) if month else (periods.year_start, periods.year_end)
    return export_links("/api/incidents/export", occurred_from=start, occurred_to=end, **params)


@dataclass(frozen=True)
class ListLink:
    """One list: its catalogue title (and parameters), its page if it has one, and its downloads."""

    title: str
    params: dict[str, Any]
    view: str | None
    downloads: dict[str, str]


def lists(principal: Principal, periods: figures.Periods) -> list[ListLink]:
    """Every list a coordinator works from, each with its downloads."""
    agency = {"agency": principal.agency_code}
    referrals = "/api/referrals/export"
    # Sanction decisions of this year by decision date, on their page (/sanctions) and as downloads.
    year = {"decided_from": periods.year_start.isoformat(), "decided_to": periods.year_end.isoformat()}
    return [
        ListLink("ui.dashboard.list.inbox", agency, "/referrals/inbox", export_links(referrals, box="inbox")),
        ListLink("ui.dashboard.list.outbox", agency, "/referrals/outbox", export_links(referrals, box="outbox")),
        ListLink("ui.dashboard.list.overdue", {}, None, export_links(referrals, box="overdue")),
        ListLink(
            "ui.dashboard.list.incidents_month",
            {"month": periods.month_label},
            None,
            incident_exports(periods, month=True),
        ),
        ListLink(
            "ui.dashboard.list.incidents_year", {"year": periods.year_start.year}, None, incident_exports(periods)
        ),
        ListLink("ui.dashboard.list.incidents_all", {}, None, export_links("/api/incidents/export")),
        ListLink(
            "ui.dashboard.list.sanctions_year",
            {"year": periods.year_start.year},
            f"/sanctions?{urlencode(year)}",
            export_links(SANCTION_EXPORT, **year),
        ),
        ListLink("ui.dashboard.list.sanctions_all", {}, "/sanctions", export_links(SANCTION_EXPORT)),
    ]


def map_links(periods: figures.Periods) -> dict[str, str]:
    """The full map pages for this year."""
    query = urlencode({"start": periods.year_start.isoformat(), "end": periods.today.isoformat()})
    return {key: f"/maps/{key}?{query}" for key in ("choropleth", "hotspots", "hexbins")}


async def dashboard_context(
    request: Request[Any, Any, Any], session: AsyncSession, principal: Principal, settings: Settings
) -> dict[str, Any]:
    """Everything the dashboard shows: two grouped queries for the tables; the maps are framed (map_page)."""
    periods = figures.periods(local_day(now()))
    lang = language(request)
    counts = figures.counts(await repository.incident_groups(session, periods))
    overdue = figures.overdue(await repository.overdue_by_agency(session, periods.today))
    return {
        "periods": periods,
        "counts": counts,
        "overdue": overdue,
        "map_frames": {key: f"/dashboard/maps/{key}" for key in maps.MAP_KEYS},
        "map_links": map_links(periods),
        "lists": lists(principal, periods),
        "incident_exports": lambda **params: incident_exports(periods, **params),
        "referral_exports": lambda **params: export_links("/api/referrals/export", **params),
        "name_index": 0 if lang == "vi" else 1,
        "open_duplicates": await open_flag_count(session),
        # Reminders, escalations and notifications stop without a worker: say so where administrators land.
        "worker_missing": (await heartbeats.worker_state(session, now(), QUEUE)).missing,
        "worker_missing_minutes": int(heartbeats.MISSING_AFTER.total_seconds() // 60),
    }


class DashboardPageController(Controller):
    """GET /dashboard, for coordinators and administrators; others get a 403 (a page in a browser)."""

    path = "/dashboard"
    guards = [require_coordinator]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def dashboard(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> Template:
        """Tổng quan điều phối / Coordination dashboard."""
        context = await dashboard_context(request, db_session, principal, settings)
        return page(request, "dashboard/index.html.j2", **context)

    @get("/maps/{key:str}", media_type=MediaType.HTML)
    async def dashboard_map(
        self,
        request: Request[Any, Any, Any],
        key: FromPath[str],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
    ) -> Template:
        """Một bản đồ của năm, trong khung của trang tổng quan / One map of the year, framed by the dashboard."""
        return await map_page(request, key, db_session, principal, settings)


async def map_page(
    request: Request[Any, Any, Any], key: str, session: AsyncSession, principal: Principal, settings: Settings
) -> Template:
    """The map alone, as a document the dashboard frames (same origin only); an unknown map is a 404."""
    if key not in maps.MAP_KEYS:
        raise NotFound(field="key")
    lang = language(request)
    periods = figures.periods(local_day(now()))
    layer = await maps.year_layer(session, principal, periods, key, lang)
    parts = maps.render(layer, settings, lang, nonce_of(request.scope))
    template = page(request, "dashboard/map_frame.html.j2", map_key=key, map=parts, periods=periods)
    template.headers["x-frame-options"] = "SAMEORIGIN"  # service/web/security.py: frame-ancestors 'self'
    return template
