"""The takedown pages: the agency's requests with their clocks (inspectors and staff; coordinators see all), one
request with its timeline and the send and answer forms, the coordinator's open requests per platform, and the
form that drafts a request on an incident. Every form goes through the API's services and Structs."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.takedowns import AnswerIn, TakedownIn
from service import i18n
from service.attachments import service as attachments
from service.auth.guards import PrincipalDep, provide_principal, require_coordinator, require_login
from service.auth.principal import Principal
from service.clock import LOCAL_TZ, now
from service.db import DbSession
from service.errors import AppError, field_invalid
from service.takedowns import captures, platforms, service, views
from service.takedowns.repository import Filters
from service.web.context import language, page
from service.web.failures import error_texts
from service.web.formatting import code_label

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
MEASURES = ("remove", "block", "suspend_account", "provide_seller_data")
OUTCOMES = ("acknowledged", "partly_done", "done", "refused")


def _page(request: Request[Any, Any, Any], template: str, *, status: int = 200, **context: Any) -> Template:
    return page(request, template, status=status, label=code_label(language(request)), **context)


def _problems(exc: Exception, lang: i18n.Language) -> list[str]:
    error = field_invalid(exc) if isinstance(exc, msgspec.ValidationError) else exc
    assert isinstance(error, AppError)  # noqa: S101 - only these two are caught
    return [text for _, text in error_texts(error, lang)]


def _listed(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name) or []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def moment(raw: str) -> datetime | str:
    """A datetime-local value as Lai Châu time (left as typed when it is not one: the Struct refuses it)."""
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=LOCAL_TZ) if raw else now()
    except ValueError:
        return raw


async def _attempt(
    request: Request[Any, Any, Any], work: Callable[[], Awaitable[object]], session: AsyncSession
) -> list[str]:
    """Run one form's work in a savepoint; the refusal's texts, none when it was done."""
    try:
        async with session.begin_nested():
            await work()
    except (msgspec.ValidationError, AppError) as exc:
        return _problems(exc, language(request))
    return []


async def render_request(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    takedown_id: uuid.UUID,
    problems: list[str] | None = None,
    status: int = 200,
    capture_failure: Any = None,
) -> Template:
    """One request: its facts, clocks, URLs with their captures and capture forms, timeline and the forms its
    agency may use; `capture_failure` (capture_pages.CaptureFailure) reopens one URL's form with its errors."""
    try:
        takedown = await views.get_takedown(session, principal, takedown_id)
    except AppError as exc:
        texts = [text for _, text in error_texts(exc, language(request))]
        return _page(request, "takedowns/request.html.j2", status=exc.status, takedown=None, problems=texts)
    custody = await captures.chain_of_custody(session, principal, takedown.incident_id)
    files = await attachments.list_attachments(session, principal, takedown.incident_id)
    context = {
        "takedown": takedown,
        "events": await views.timeline(session, principal, takedown_id),
        "custody": [c for c in custody if c.url in takedown.urls],
        "files": files,
        "own": takedown.agency == principal.agency_code,
        "outcomes": OUTCOMES,
        "problems": problems or [],
        "notice": request.query_params.get("done"),
        "capture_failure": capture_failure,
        "now_local": now().astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M"),
    }
    return _page(request, "takedowns/request.html.j2", status=status, **context)


async def render_new(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    incident_id: uuid.UUID,
    values: dict[str, Any] | None = None,
    problems: list[str] | None = None,
) -> Template:
    """The form that drafts (and sends) a request about one incident, the URLs captured offered."""
    try:
        custody = await captures.chain_of_custody(session, principal, incident_id)
    except AppError as exc:
        texts = [text for _, text in error_texts(exc, language(request))]
        return _page(request, "takedowns/new.html.j2", status=exc.status, incident_id=None, problems=texts)
    in_force = [p for p in await platforms.list_platforms(session) if p.in_force]
    context = {
        "incident_id": incident_id,
        "urls": list(dict.fromkeys(c.url for c in custody)),
        "platforms": in_force,
        "measures": MEASURES,
        "values": values or {},
        "problems": problems or [],
    }
    return _page(request, "takedowns/new.html.j2", status=400 if problems else 200, **context)


async def incident_section(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> dict[str, Any]:
    """What the incident page shows of takedowns: the chain of custody and the requests about it."""
    return {
        "custody": await captures.chain_of_custody(session, principal, incident_id),
        "takedowns": await views.list_takedowns(session, principal, Filters(incident_id=incident_id)),
    }


class TakedownPageController(Controller):
    """Takedown requests to platforms, for logged-in users within the API's scope."""

    path = "/takedowns"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def list_page(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession
    ) -> Template:
        """Yêu cầu gỡ bỏ và thời hạn / Requests and their clocks, the first to run out first."""
        takedowns = await views.list_takedowns(db_session, principal, Filters())
        sellers = await views.repeat_sellers(db_session, principal)
        return _page(request, "takedowns/list.html.j2", takedowns=takedowns, sellers=sellers)

    @get("/platforms", guards=[require_coordinator], media_type=MediaType.HTML)
    async def per_platform(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, db_session: DbSession
    ) -> Template:
        """Yêu cầu đang mở theo nền tảng / The coordinator's open and overdue requests per platform."""
        return _page(request, "takedowns/platforms.html.j2", queues=await views.per_platform(db_session, principal))

    @get("/{takedown_id:uuid}", media_type=MediaType.HTML)
    async def one(
        self,
        request: Request[Any, Any, Any],
        takedown_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> Template:
        """Một yêu cầu gỡ bỏ / One request with its clocks and timeline."""
        return await render_request(request, db_session, principal, takedown_id)

    @post("/{takedown_id:uuid}/send", media_type=MediaType.HTML)
    async def send(
        self,
        request: Request[Any, Any, Any],
        takedown_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> Response[Any]:
        """Gửi yêu cầu / Send a drafted request."""
        problems = await _attempt(request, lambda: service.send_request(db_session, principal, takedown_id), db_session)
        if not problems:
            return Redirect(f"/takedowns/{takedown_id}?done=sent", status_code=303)
        return await render_request(request, db_session, principal, takedown_id, problems, status=400)

    @post("/{takedown_id:uuid}/answer", media_type=MediaType.HTML)
    async def answer(
        self,
        request: Request[Any, Any, Any],
        takedown_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        data: Form,
    ) -> Response[Any]:
        """Ghi nhận trả lời của nền tảng / Record the platform's answer."""

        async def work() -> None:
            raw = {
                "outcome": str(data.get("outcome") or ""),
                "answered_at": moment(str(data.get("answered_at") or "")),
                "text": str(data.get("text") or ""),
                "attachment_ids": _listed(data, "attachment_ids"),
            }
            await service.record_answer(db_session, principal, takedown_id, msgspec.convert(raw, AnswerIn))

        problems = await _attempt(request, work, db_session)
        if not problems:
            return Redirect(f"/takedowns/{takedown_id}?done=answered", status_code=303)
        return await render_request(request, db_session, principal, takedown_id, problems, status=400)


class IncidentTakedownPageController(Controller):
    """The form drafting a request about one incident."""

    path = "/incidents/{incident_id:uuid}/takedowns/new"
    guards = [require_login]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get(media_type=MediaType.HTML)
    async def form(
        self,
        request: Request[Any, Any, Any],
        incident_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> Template:
        """Soạn yêu cầu gỡ bỏ / The form drafting a takedown request."""
        return await render_new(request, db_session, principal, incident_id)

    @post(media_type=MediaType.HTML)
    async def submit(
        self,
        request: Request[Any, Any, Any],
        incident_id: FromPath[uuid.UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        data: Form,
    ) -> Response[Any]:
        """Soạn và gửi / Draft the request, and send it when asked."""
        raw = {
            "platform_id": str(data.get("platform_id") or ""),
            "urls": [u for u in (_listed(data, "urls") + str(data.get("more_urls") or "").split()) if u.strip()],
            "legal_basis": str(data.get("legal_basis") or ""),
            "measures": _listed(data, "measures"),
            "seller_account": str(data.get("seller_account") or ""),
            "note": str(data.get("note") or ""),
            "send": data.get("send") == "true",
        }
        created: list[uuid.UUID] = []

        async def work() -> None:
            drafted = await service.draft_request(db_session, principal, incident_id, msgspec.convert(raw, TakedownIn))
            created.append(drafted.id)

        problems = await _attempt(request, work, db_session)
        if not problems:
            return Redirect(f"/takedowns/{created[0]}?done={'sent' if raw['send'] else 'drafted'}", status_code=303)
        return await render_new(request, db_session, principal, incident_id, raw, problems)
