"""Recording who was shown a violator's personal data: which incidents, which fields, through which view.

Legal basis: Decree 13/2023/NĐ-CP on personal data protection, a controller keeps a record of the processing of
personal data. Each read or export that shows personal data leaves one audit row, appended within
AUDIT_READ_FLUSH_MS by the app's read buffer (service/audit/buffer.py), or in the request's own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.incidents import IncidentOut
from schemas.sanctions import PERSONAL_FIELDS, SanctionListItem
from service.audit.buffer import record_read
from service.audit.service import event_row
from service.auth.principal import Principal
from service.incidents.anonymise import anonymise_payload

READ = "personal_data.read"
EXPORT = "personal_data.export"
# The personal fields the export columns hold (service/exports/columns.py).
INCIDENT_EXPORT_FIELDS = ("violator.name", "violator.id_number", "violator.tax_code", "location.address")
SANCTION_EXPORT_FIELDS = ("violator.name", "violator.id_number", "violator.tax_code")
_INDEX = re.compile(r"\[\d+\]")


def shown_fields(payload: Mapping[str, Any]) -> list[str]:
    """The personal fields a payload (as shown to its reader) holds, e.g. ``violator.name``, ``parties[].name``."""
    _, paths = anonymise_payload(dict(payload))
    return list(dict.fromkeys(_INDEX.sub("[]", path) for path in paths))


def history_fields(changes: Mapping[str, Any]) -> list[str]:
    """The personal fields one history entry shows: a creation's whole payload, or both sides of a correction."""
    found = shown_fields(changes)
    for key, diff in changes.items():
        if isinstance(diff, dict) and diff.keys() <= {"old", "new"}:
            for side in ("old", "new"):
                found += shown_fields({key: diff.get(side)})
    return list(dict.fromkeys(found))


async def record_shown(
    session: AsyncSession, principal: Principal, incidents: Sequence[IncidentOut], *, view: str
) -> None:
    """One audit row for the incidents of this answer that showed personal data; nothing when none did."""
    shown = [(incident.id, shown_fields(incident.data)) for incident in incidents]
    await record_payloads(session, principal, shown, view=view)


async def record_payloads(
    session: AsyncSession, principal: Principal, shown: Iterable[tuple[object, Sequence[str]]], *, view: str
) -> None:
    """One audit row for (record id, personal fields shown) pairs; nothing when no record showed any field."""
    ids: list[object] = []
    fields: dict[str, None] = {}
    for record_id, paths in shown:
        if paths:
            ids.append(record_id)
            fields.update(dict.fromkeys(paths))
    if ids:
        row = event_row(READ, principal, record_type="incident", record_ids=ids, fields=fields, detail={"view": view})
        await record_read(session, row)


def sanction_fields(item: SanctionListItem) -> list[str]:
    """The violator's fields a sanction decision in a list shows."""
    values = {"name": item.violator_name, "id_number": item.violator_id_number, "tax_code": item.violator_tax_code}
    shown = [f"violator.{key}" for key, value in values.items() if value]
    return shown + [f"sanction.{name}" for name in PERSONAL_FIELDS if getattr(item, name) is not None]


def decision_fields(record: Any) -> list[str]:
    """The personal fields a decision on the incident page shows (none where the reader's view hides them)."""
    if not getattr(record, "personal", False):
        return []
    return [f"sanction.{name}" for name in PERSONAL_FIELDS if getattr(record.decision, name) is not None]


async def record_sanctions(
    session: AsyncSession, principal: Principal, items: Sequence[SanctionListItem], *, view: str
) -> None:
    """One audit row for the decisions of a list that showed a violator, by their incidents."""
    await record_payloads(session, principal, [(item.incident_id, sanction_fields(item)) for item in items], view=view)


async def record_export(
    session: AsyncSession, principal: Principal, *, view: str, fields: Sequence[str], filters: Mapping[str, Any]
) -> None:
    """One audit row for an export whose columns hold personal data: its filters name the records it holds."""
    plain = {key: str(value) for key, value in filters.items() if value not in (None, "", False)}
    row = event_row(EXPORT, principal, record_type="incident", fields=fields, detail={"view": view, **plain})
    await record_read(session, row)
