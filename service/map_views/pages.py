"""/maps/*: the coordination maps as pages: a filter form (errors beside their field), the map and its notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, MediaType, Request, get
from litestar.di import Provide
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from maps.render import LEAFLET_CSS, LEAFLET_JS, Lang, MapLayer, MapParts, TileSettings, render_map
from schemas.codes import INCIDENT_KINDS, INFRINGEMENT_ACTS, SUBJECT_MATTERS
from service import i18n, labels
from service.admin_units.service import geo_registry
from service.auth import repository as agencies
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.auth.principal import Principal
from service.db import DbSession
from service.errors import AppError
from service.map_views import cache, layers, links, query, service
from service.map_views.query import MapFilters
from service.settings import Settings, SettingsDep
from service.web import formatting
from service.web.assets import asset_url
from service.web.context import language
from service.web.context import page as web_page
from service.web.failures import error_pair
from service.web.security import nonce_of

# The data route's own parameters for each page (besides the shared filters): downloads carry only these, so the
# data route, which refuses a parameter it would ignore, answers them.
API_PARAMETERS = {
    "choropleth": ("generation",),
    "hotspots": ("areas", "resolution", "permutations", "alpha"),
    "hexbins": ("resolution",),
}
PAGES = {name: i18n.both(f"ui.maps.title.{name}") for name in ("choropleth", "hotspots", "hexbins")}
Errors = dict[str, tuple[str, str]]
PAGE_SETTINGS = ("generation", "metric", "areas", "resolution", "permutations", "alpha")


@dataclasses.dataclass
class Form:
    """What the user typed (kept on error) and the page's own settings."""

    values: dict[str, str]
    errors: Errors
    filters: MapFilters = dataclasses.field(default_factory=MapFilters)

    def number(self, name: str, default: float) -> float:
        """A numeric field parsed earlier (or its default)."""
        return float(self.values.get(name) or default)


def _error(errors: Errors, field: str, code: str, **params: object) -> None:
    errors[field] = i18n.both(code, field=field, **params)


def _choice(raw: Mapping[str, str], errors: Errors, name: str, allowed: Any) -> str | None:
    value = raw.get(name) or None
    if value is not None and value not in allowed:
        _error(errors, name, "field.invalid_choice", choices=", ".join(allowed))
        return None
    return value


def _day(raw: Mapping[str, str], errors: Errors, name: str) -> date | None:
    value = raw.get(name) or None
    try:
        return formatting.parse_day(value) if value else None
    except ValueError:
        _error(errors, name, "field.type", expected=formatting.DAY_FORMAT)
        return None


def _number(raw: Mapping[str, str], errors: Errors, name: str, low: float, high: float, **kw: bool) -> None:
    value = raw.get(name) or None
    if value is None:
        return
    try:
        query.in_range(name, float(value), low, high, **kw)
    except ValueError:
        _error(errors, name, "field.type", expected="number")
    except AppError as exc:
        errors[name] = error_pair(exc, field=name)


def parse(raw: Mapping[str, str]) -> Form:
    """The form's fields checked one by one, every error kept beside its field."""
    errors: Errors = {}
    values = {k: v for k, v in raw.items() if isinstance(v, str)}
    filters = MapFilters(
        generation=_choice(raw, errors, "generation", ("2025", "2024")) or "2025",
        start=_day(raw, errors, "start"),
        end=_day(raw, errors, "end"),
        kind=_choice(raw, errors, "kind", INCIDENT_KINDS),
        agency=raw.get("agency") or None,
        subject_matter=_choice(raw, errors, "subject_matter", SUBJECT_MATTERS),
        act=_choice(raw, errors, "act", INFRINGEMENT_ACTS),
    )
    _choice(raw, errors, "metric", tuple(layers.METRICS))
    _choice(raw, errors, "areas", ("units", "h3"))
    _number(raw, errors, "resolution", 4, 10)
    _number(raw, errors, "permutations", 99, query.MAX_PERMUTATIONS)
    _number(raw, errors, "alpha", 0, 0.2, open_low=True)
    return Form(values=values, errors=errors, filters=filters)


async def _agencies(session: AsyncSession, principal: Principal) -> list[tuple[str, str]]:
    if not principal.sees_all_agencies:
        return [(principal.agency_code, principal.agency_code)]
    return [(a.code, f"{a.code} – {a.name_vi}") for a in await agencies.list_agencies(session)]


async def _layer(
    page: str, session: AsyncSession, principal: Principal, form: Form, settings: Settings, lang: Lang
) -> MapLayer:
    """The figures of one page for the checked filters, as a map layer."""
    filters = await query.checked(session, form.filters)
    if page == "choropleth":
        out = await service.choropleth(session, principal, filters)
        return layers.choropleth_layer(out, filters, form.values.get("metric") or "count")
    resolution = int(form.number("resolution", query.DEFAULT_RESOLUTION))
    if page == "hexbins":
        hexes = await service.hexbin_density(session, principal, filters, resolution, settings.map_min_hex_count)
        return layers.hexbins_layer(hexes, filters)
    spots = await service.hotspots_for(
        session,
        principal,
        filters,
        areas=form.values.get("areas") or "units",
        resolution=resolution,
        permutations=int(form.number("permutations", 0)) or None,
        alpha=form.number("alpha", 0.10),
        min_count=settings.map_min_hex_count,
    )
    return layers.hotspots_layer(spots, filters, lang)


def _query(values: Mapping[str, str], names: tuple[str, ...]) -> str:
    """The non-empty values among ``names``, URL-encoded in that order."""
    return urlencode([(name, values[name]) for name in names if values.get(name)])


def _data_query(page: str, values: Mapping[str, str]) -> str:
    """The query of this page's data route: shared filters and the route's own parameters, nothing it ignores."""
    names = query.FILTER_PARAMETERS + API_PARAMETERS[page]
    if page == "hotspots" and values.get("areas") != "h3":
        names = tuple(name for name in names if name != "resolution")
    return _query(values, names)


def _generation(page: str, form: Form) -> str | None:
    """The generation of the map's areas, or None when they are H3 cells."""
    if page == "choropleth":
        return form.filters.generation
    if page == "hotspots" and (form.values.get("areas") or "units") == "units":
        return "2025"
    return None


def _linked(
    request: Request[Any, Any, Any], page: str, form: Form, layer: MapLayer
) -> tuple[MapLayer, list[links.AreaLink]]:
    """The layer with each area linked to its incidents, and the same links as a list for the page."""
    registry = geo_registry(request)
    units = links.area_units(
        layer.collection, _generation(page, form), lambda lon, lat: registry.tagger.tag_one(lon, lat)[0]
    )
    hrefs = links.hrefs(units, form.filters)

    def name(fid: str) -> str:
        generation, code = units[fid].split(":")
        return registry.names.get((code, generation), (code, code))[1]

    return dataclasses.replace(layer, links=hrefs), links.listed(layer.collection, hrefs, name)


class RenderedMap(msgspec.Struct, frozen=True):
    """A map page's map as rendered (its script without the response's nonce) and its linked areas."""

    header: str
    html: str
    script: str
    links: list[tuple[str, float | None, str]]


async def _rendered(
    page: str,
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    form: Form,
    settings: Settings,
    lang: Lang,
) -> RenderedMap:
    """The map as rendered for these filters, settings, scope and language, cached as the figures are (cache.py):
    the second view of a page costs no figures and no drawing."""
    filters = await query.checked(session, form.filters)
    agency = service.scope_agency(principal, filters.agency)
    tiles = TileSettings(settings.map_tile_url, settings.map_tile_attribution) if settings.map_tile_url else None
    chosen = {name: form.values.get(name) for name in PAGE_SETTINGS}
    key = cache.key(
        f"page_{page}",
        RenderedMap,
        filters,
        agency,
        **chosen,
        lang=lang,
        tiles=dataclasses.asdict(tiles) if tiles else None,
        min_count=settings.map_min_hex_count,
        assets=[asset_url(LEAFLET_JS), asset_url(LEAFLET_CSS)],
    )

    async def draw() -> RenderedMap:
        layer = await _layer(page, session, principal, form, settings, lang)
        linked, area_links = _linked(request, page, form, layer)
        parts = render_map(linked, asset_url=asset_url, tiles=tiles, lang=lang)
        listed = [(area.name, area.count, area.href) for area in area_links]
        return RenderedMap(header=parts.header, html=parts.html, script=parts.script, links=listed)

    return await cache.cached(session, key, RenderedMap, draw)


async def render_page(
    page: str, request: Request[Any, Any, Any], session: AsyncSession, principal: Principal, settings: Settings
) -> Template:
    """The page with its map, or with the form's errors beside their fields (status 400, or 403 for scope)."""
    form = parse(dict(request.query_params))
    if page == "hotspots" and form.filters.generation != "2025":
        form.errors["form"] = i18n.both("maps.hotspots_generation", field="generation")
    nonce = nonce_of(request.scope)
    lang = language(request)
    parts, status = None, 200
    area_links: list[links.AreaLink] = []
    if not form.errors:
        try:
            rendered = await _rendered(page, request, session, principal, form, settings, lang)
            area_links = [links.AreaLink(*link) for link in rendered.links]
            script = rendered.script.replace("<script>", f'<script nonce="{nonce}">')
            parts = MapParts(header=rendered.header, html=rendered.html, script=script)
        except AppError as exc:
            form.errors[exc.field or "form"] = error_pair(exc)
            status = exc.status
    else:
        status = 400
    context = {
        "map_page": page,
        "pages": PAGES,
        "title": PAGES[page],
        "form": form,
        "map": parts,
        "agencies": await _agencies(session, principal),
        "coordinator": principal.sees_all_agencies,
        "kinds": [(code, labels.label(labels.KINDS, code, lang)) for code in INCIDENT_KINDS],
        "subject_matters": [(c, labels.label(labels.SUBJECT_MATTERS, c, lang)) for c in SUBJECT_MATTERS],
        "acts": [(code, labels.label(labels.INFRINGEMENT_ACTS, code, lang)) for code in INFRINGEMENT_ACTS],
        "metrics": [(key, i18n.both(f"ui.maps.metric.{key}")) for key in layers.METRICS],
        "data_query": _data_query(page, form.values),
        "nav_query": _query(form.values, query.FILTER_PARAMETERS),
        "area_links": area_links,
    }
    return web_page(request, "maps/map.html.j2", status=status, **context)


class MapPageController(Controller):
    """The three coordination map pages (logged-in users; figures scoped as in the data routes)."""

    path = "/maps"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/choropleth", media_type=MediaType.HTML)
    async def choropleth(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> Template:
        """Bản đồ số vụ theo đơn vị / Cases per unit."""
        return await render_page("choropleth", request, db_session, principal, settings)

    @get("/hotspots", media_type=MediaType.HTML)
    async def hotspots(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> Template:
        """Điểm nóng / Hot spots."""
        return await render_page("hotspots", request, db_session, principal, settings)

    @get("/hexbins", media_type=MediaType.HTML)
    async def hexbins(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> Template:
        """Mật độ / Density."""
        return await render_page("hexbins", request, db_session, principal, settings)
