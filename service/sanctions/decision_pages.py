"""Recording a sanction decision and its execution as pages: /incidents/{id}/sanctions/new and
/incidents/{id}/sanctions/{sanction_id}/payment.

Each form posts the API's own Struct (SanctionIn, PaymentUpdate) through the same service, so the page refuses
exactly what the API refuses: every schema problem at once beside its field (schemas.rules), then the service's
rules (fine ceiling, warning without a fine, the national record's fields against the violator). A refused
action runs inside a savepoint, so nothing of it is kept.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.codes import INFRINGEMENT_ACTS, AdditionalSanction, RemedialMeasure, Sex
from schemas.sanctions import SanctionIn
from service import i18n, labels
from service.auth.guards import PrincipalDep, provide_principal, require_login
from service.auth.principal import Principal
from service.clock import local_day, now
from service.db import DbSession
from service.errors import AppError
from service.incidents import queries as incident_queries
from service.incidents.service import ReadOnly
from service.sanctions import form, service
from service.sanctions.pages import PAYMENT_STATUSES, PRINCIPAL_SANCTIONS, value_label
from service.sanctions.routes import require_sanction_writer
from service.web.context import language, page
from service.web.failures import error_text

Lang = i18n.Language
ADDITIONAL: tuple[str, ...] = AdditionalSanction.__args__  # type: ignore[attr-defined]
REMEDIAL: tuple[str, ...] = RemedialMeasure.__args__  # type: ignore[attr-defined]
SEXES: tuple[str, ...] = Sex.__args__  # type: ignore[attr-defined]
FORM = "sanctions/form.html.j2"
PAYMENT = "sanctions/payment.html.j2"


def _options(codes: tuple[str, ...], lang: Lang) -> list[tuple[str, str]]:
    return [(code, value_label(code, lang)) for code in codes]


def choices(lang: Lang) -> dict[str, list[tuple[str, str]]]:
    """Every choice of the decision form, labelled in the reader's language."""
    return {
        "acts": [(code, labels.label(labels.INFRINGEMENT_ACTS, code, lang)) for code in INFRINGEMENT_ACTS],
        "principal_sanction": _options(PRINCIPAL_SANCTIONS, lang),
        "additional_sanctions": _options(ADDITIONAL, lang),
        "remedial_measures": _options(REMEDIAL, lang),
        "payment_status": _options(PAYMENT_STATUSES, lang),
        "violator_sex": [(code, i18n.message(f"national_record.sex.{code}", lang)) for code in SEXES],
    }


async def _incident(session: AsyncSession, principal: Principal, incident_id: uuid.UUID, lang: Lang) -> Any:
    """The incident the reader may sanction, or the refusal's text (not visible, or another agency's)."""
    try:
        incident = await incident_queries.get_incident(session, principal, incident_id)
    except AppError as exc:
        return None, exc.status, error_text(exc, lang)
    if not (principal.sees_all_agencies or incident.agency_code == principal.agency_code):
        return None, 403, error_text(ReadOnly(), lang)
    return incident, 200, None


async def render_form(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    incident_id: uuid.UUID,
    decoded: form.Decoded | None = None,
    status: int = 200,
) -> Template:
    """The decision form of an incident the reader may sanction (the refusal as the page otherwise)."""
    lang = language(request)
    incident, refused, problem = await _incident(session, principal, incident_id, lang)
    if incident is None:
        return page(request, FORM, status=refused, incident=None, problem=problem)
    violator = incident.data.get("violator") or {}
    values = decoded.values if decoded else {"acts": list(incident.data.get("infringement_acts") or ())}
    context = {
        "incident": incident,
        "kind_label": labels.label(labels.KINDS, incident.kind, lang),
        "violator_type": violator.get("type") or "individual",
        "violator_name": violator.get("name"),
        "choices": choices(lang),
        "values": values,
        "errors": decoded.errors if decoded else {},
        "label": lambda name: form.label(name, lang),
        "today": local_day(now()),
    }
    return page(request, FORM, status=status, **context)


async def render_payment(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    incident_id: uuid.UUID,
    sanction_id: uuid.UUID,
    decoded: form.Decoded | None = None,
    status: int = 200,
) -> Template:
    """The execution form of one decision (the refusal as the page otherwise)."""
    lang = language(request)
    incident, refused, problem = await _incident(session, principal, incident_id, lang)
    records = await service.list_sanctions(session, principal, incident_id) if incident else []
    record = next((r for r in records if r.decision.id == sanction_id), None)
    if incident is not None and record is None:
        refused, problem = 404, error_text(service.SanctionNotFound(), lang)
    if incident is None or record is None:
        return page(request, PAYMENT, status=refused, incident=None, problem=problem)
    decision = record.decision
    values = decoded.values if decoded else {"payment_status": decision.payment_status, "executed_on": ""}
    context = {
        "incident": incident,
        "decision": decision,
        "choices": choices(lang),
        "values": values,
        "errors": decoded.errors if decoded else {},
        "label": lambda name: form.label(name, lang),
        "value": lambda code: value_label(code, lang),
    }
    return page(request, PAYMENT, status=status, **context)


class SanctionFormPageController(Controller):
    """The pages that record a decision and its execution (the recording agency and coordinators)."""

    path = "/incidents/{incident_id:uuid}/sanctions"
    guards = [require_login, require_sanction_writer]
    dependencies = {"principal": Provide(provide_principal)}
    include_in_schema = False

    @get("/new", media_type=MediaType.HTML)
    async def decision_form(
        self, request: Request[Any, Any, Any], incident_id: FromPath[uuid.UUID], principal: PrincipalDep,
        db_session: DbSession,
    ) -> Template:  # fmt: skip
        """Ghi quyết định xử phạt / Record a sanction decision on the incident."""
        return await render_form(request, db_session, principal, incident_id)

    @post("/new", media_type=MediaType.HTML)
    async def record_decision(
        self, request: Request[Any, Any, Any], incident_id: FromPath[uuid.UUID], principal: PrincipalDep,
        db_session: DbSession,
    ) -> Response[Any]:  # fmt: skip
        """The decision stored, then back to the incident's sanctions; or the form again with every error."""
        lang = language(request)
        decoded = form.decode_decision(await request.form(), lang)
        if decoded.data is not None:
            try:
                async with db_session.begin_nested():
                    await service.add_sanction(db_session, principal, incident_id, decoded.data)
            except AppError as exc:
                decoded.errors = form.refused(exc, lang, SanctionIn.__struct_fields__)
            else:
                return Redirect(f"/incidents/{incident_id}#sanctions", status_code=303)
        return await render_form(request, db_session, principal, incident_id, decoded, status=400)

    @get("/{sanction_id:uuid}/payment", media_type=MediaType.HTML)
    async def payment_form(
        self, request: Request[Any, Any, Any], incident_id: FromPath[uuid.UUID], sanction_id: FromPath[uuid.UUID],
        principal: PrincipalDep, db_session: DbSession,
    ) -> Template:  # fmt: skip
        """Cập nhật tình trạng thi hành / Change a decision's execution, with the reason."""
        return await render_payment(request, db_session, principal, incident_id, sanction_id)

    @post("/{sanction_id:uuid}/payment", media_type=MediaType.HTML)
    async def update_payment(
        self, request: Request[Any, Any, Any], incident_id: FromPath[uuid.UUID], sanction_id: FromPath[uuid.UUID],
        principal: PrincipalDep, db_session: DbSession,
    ) -> Response[Any]:  # fmt: skip
        """The execution changed (history keeps the reason), then back to the incident; or the form with errors."""
        lang = language(request)
        decoded = form.decode_payment(await request.form(), lang)
        if decoded.data is not None:
            try:
                async with db_session.begin_nested():
                    await service.update_payment(db_session, principal, incident_id, sanction_id, decoded.data)
            except AppError as exc:
                decoded.errors = form.refused(exc, lang, form.PAYMENT_FIELDS)
            else:
                return Redirect(f"/incidents/{incident_id}#sanctions", status_code=303)
        return await render_payment(request, db_session, principal, incident_id, sanction_id, decoded, status=400)
