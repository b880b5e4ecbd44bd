"""GET /admin/audit: the audit trail for administrators, filtered as GET /api/admin/audit, with its CSV download.

A plain GET form (works without JavaScript): days are typed as dd/mm/yyyy in Lai Châu's time; a wrong one is shown
beside its field with what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, get
from litestar.di import Provide
from litestar.response import Template

from service import i18n
from service.audit import queries
from service.audit.repository import AuditFilters
from service.auth.guards import provide_principal, require_admin
from service.clock import LOCAL_TZ
from service.db import DbSession
from service.web import formatting
from service.web.context import language, page

PAGE_SIZE = 100
TEXTS = {"user": 100, "event": 60, "record": 100}
DAYS = ("since", "until")


def parse_form(raw: Mapping[str, str], lang: i18n.Language) -> tuple[dict[str, str], dict[str, str], AuditFilters]:
    """The values as typed, an error beside each wrong one, and the filters of the right ones."""
    values = {name: raw[name].strip()[:200] for name in (*TEXTS, *DAYS) if str(raw.get(name) or "").strip()}
    errors: dict[str, str] = {}
    moments: dict[str, datetime] = {}
    for name in DAYS:
        if name not in values:
            continue
        try:
            day = formatting.parse_day(values[name])
        except ValueError:
            errors[name] = i18n.message("ui.audit.bad_day", lang, field=i18n.message(f"ui.audit.filter.{name}", lang))
            continue
        # "Up to and including" a day: before the next day's midnight, in Lai Châu's time.
        moments[name] = datetime.combine(day + timedelta(days=name == "until"), time(), tzinfo=LOCAL_TZ)
    texts = {name: values[name][:limit] for name, limit in TEXTS.items() if name in values}
    filters = AuditFilters(
        user=texts.get("user"),
        event=texts.get("event"),
        record=texts.get("record"),
        since=moments.get("since"),
        until=moments.get("until"),
    )
    return values, errors, filters


def _api_query(filters: AuditFilters) -> str:
    pairs = {key: value.isoformat() if isinstance(value, datetime) else value for key, value in vars(filters).items()}
    return urlencode({key: value for key, value in pairs.items() if value is not None})


class AuditPageController(Controller):
    """The administrators' page of the audit trail."""

    path = "/admin/audit"
    guards = [require_admin]
    dependencies = {"principal": Provide(provide_principal)}

    @get(media_type=MediaType.HTML)
    async def audit_page(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        """Nhật ký kiểm toán (quản trị) / The audit trail (admin)."""
        lang = language(request)
        values, errors, filters = parse_form(dict(request.query_params), lang)
        before_raw = request.query_params.get("before", "")
        before = int(before_raw) if before_raw.isdigit() and int(before_raw) > 0 else None
        found = None if errors else await queries.page(db_session, filters, before, PAGE_SIZE)
        query = _api_query(filters)
        older = None
        if found is not None and found.next_before is not None:
            older = "/admin/audit?" + urlencode({**values, "before": found.next_before})
        context = {
            "values": values,
            "errors": errors,
            "items": found.items if found else [],
            "older": older,
            "download": "/api/admin/audit/export" + (f"?{query}" if query else ""),
        }
        return page(request, "audit/list.html.j2", status=400 if errors else 200, **context)
