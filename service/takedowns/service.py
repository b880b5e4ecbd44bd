"""Takedown requests: drafted on an incident by its recording agency, sent (numbered, clocks fixed), answered by
the platform (the answer recorded with its evidence). Every change appends a TakedownEvent and an audit event."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.takedowns import AnswerIn, TakedownIn
from service.audit import service as audit
from service.auth.principal import Principal
from service.calendar.repository import load_calendar
from service.clock import local_day, now
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.incidents import repository as incidents
from service.incidents.models import Incident
from service.incidents.service import IncidentNotFound
from service.takedowns import repository
from service.takedowns.clocks import ACTION_RULE, REPORT_RULE, set_clocks
from service.takedowns.models import TakedownEvent, TakedownRequest
from service.takedowns.platforms import platform_in_force
from service.takedowns.transitions import CLOSED, Status, after_answer
from service.takedowns.urls import checked_url
from service.text import fold

CLOCK_SKEW = timedelta(minutes=5)  # an answer "now" from a device whose clock runs a little fast


class TakedownNotFound(NotFound):
    code = "takedown.not_found"


class WrongAgency(Forbidden):
    code = "takedown.wrong_agency"


class NotSent(Conflict):
    code = "takedown.not_sent"


class AlreadySent(Conflict):
    code = "takedown.already_sent"


class Closed(Conflict):
    code = "takedown.closed"


def checked_urls(urls: list[str], field: str = "urls") -> list[str]:
    """The URLs, each http(s) and public, without repeats; a 400 naming the first bad item."""
    seen: list[str] = []
    for index, raw in enumerate(urls):
        url, _ = checked_url(raw, f"{field}[{index}]")
        if url not in seen:
            seen.append(url)
    return seen


async def _own_incident(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Incident:
    incident = await incidents.get_visible(session, principal, incident_id)
    if incident is None:
        raise IncidentNotFound()
    if incident.agency_id != principal.agency_id:
        raise WrongAgency(field="incident_id")
    return incident


async def _event(
    session: AsyncSession,
    request: TakedownRequest,
    principal: Principal | None,
    action: str,
    from_status: str | None,
    **extra: Any,
) -> None:
    session.add(
        TakedownEvent(
            request_id=request.id,
            actor_id=principal.user_id if principal else None,
            action=action,
            from_status=from_status,
            to_status=request.status,
            note=extra.pop("note", ""),
            attachment_ids=extra.pop("attachment_ids", []),
            details=extra,
        )
    )
    await session.flush()
    if principal is not None:
        await audit.record(
            session,
            f"takedown.{action}",
            principal,
            record_type="takedown_request",
            record_ids=[str(request.id), str(request.incident_id)],
            detail={"status": request.status, "number": request.number or ""},
        )


async def draft_request(
    session: AsyncSession, principal: Principal, incident_id: uuid.UUID, data: TakedownIn
) -> TakedownRequest:
    """A request of the incident's recording agency to a platform in force; sent at once when `data.send`."""
    incident = await _own_incident(session, principal, incident_id)
    urls = checked_urls(data.urls)
    platform = await platform_in_force(session, data.platform_id)
    seller = data.seller_account.strip() or str(incident.payload.get("seller_account") or "")
    request = TakedownRequest(
        incident_id=incident.id,
        agency_id=incident.agency_id,
        platform_id=platform.id,
        status=Status.DRAFTED.value,
        urls=urls,
        seller_account=seller,
        seller_key=fold(seller).strip(),
        legal_basis=data.legal_basis.strip(),
        measures=list(dict.fromkeys(data.measures)),
        note=data.note,
        drafted_by_id=principal.user_id,
    )
    session.add(request)
    await session.flush()
    await _event(session, request, principal, "drafted", None, platform=platform.name, urls=len(urls))
    if data.send:
        await _send(session, principal, request)
    return request


async def _locked_own(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> TakedownRequest:
    request = await repository.get_for_update(session, principal, request_id)
    if request is None:
        raise TakedownNotFound()
    if request.agency_id != principal.agency_id:  # coordinators see it; only the recording agency acts on it
        raise WrongAgency(field="takedown_id")
    return request


async def send_request(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> TakedownRequest:
    """Send a drafted request: numbered, its clocks fixed from the rules in force now."""
    request = await _locked_own(session, principal, request_id)
    if request.status != Status.DRAFTED:
        raise AlreadySent(number=request.number or "")
    await _send(session, principal, request)
    return request


async def _send(session: AsyncSession, principal: Principal, request: TakedownRequest) -> None:
    await platform_in_force(session, request.platform_id)
    moment = now()
    today = local_day(moment)
    request.number = await repository.next_number(session, request.agency_id, today.year, principal.agency_code)
    request.status, request.sent_at, request.sent_by_id = Status.SENT.value, moment, principal.user_id
    request.version += 1
    rules = {}
    for code in (ACTION_RULE, REPORT_RULE):
        rule = await repository.rule_in_force(session, code, today)
        if rule is not None:
            rules[code] = rule
    set_clocks(request, rules, await load_calendar(session, today - timedelta(days=31), today + timedelta(days=366)))
    due = {"action_due_at": str(request.action_due_at or ""), "report_due_at": str(request.report_due_at or "")}
    await _event(session, request, principal, "sent", Status.DRAFTED.value, number=request.number, **due)


async def record_answer(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, data: AnswerIn
) -> TakedownRequest:
    """The platform's answer, with its evidence: acknowledged, partly done, done (closes) or refused (closes)."""
    request = await _locked_own(session, principal, request_id)
    current = Status(request.status)
    if current == Status.DRAFTED or request.sent_at is None:
        raise NotSent(field="outcome")
    if current in CLOSED:
        raise Closed(field="outcome", status=current.value)
    if data.answered_at < request.sent_at:
        raise Invalid(field="answered_at", sent_at=request.sent_at.isoformat()).with_code("takedown.answer_before_sent")
    if data.answered_at > now() + CLOCK_SKEW:
        raise Invalid(field="answered_at").with_code("takedown.answer_in_future")
    found = await repository.attachment_ids_of(session, request.incident_id, data.attachment_ids)
    if missing := [str(i) for i in data.attachment_ids if i not in found]:
        raise Invalid(field="attachment_ids", ids=", ".join(missing)).with_code("takedown.unknown_attachment")
    target = after_answer(current, data.outcome)
    if target is None:
        raise Conflict(field="outcome", status=current.value).with_code("takedown.answer_not_allowed")
    request.status = target.value
    request.version += 1
    if data.outcome != "acknowledged":
        request.answered_at, request.answer = data.answered_at, data.text
    if target in CLOSED:
        request.closed_at = now()
    await _event(
        session,
        request,
        principal,
        f"answer_{data.outcome}",
        current.value,
        note=data.text,
        attachment_ids=list(data.attachment_ids),
        answered_at=data.answered_at.isoformat(),
    )
    return request
