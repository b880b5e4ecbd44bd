"""The national record for a period: the reader's decisions in Article 9's fields, as JSON items or an XLSX file.

Who reads it: the agencies that decided (their own decisions) and coordinators (every decision, or one agency's).
It holds the violators' personal data the national database asks for, so each read is one audit row.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

from anyio import to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.national_record import FIELD_SET, NationalRecord, NationalRecordItem
from service import i18n
from service.auth import repository as agencies
from service.auth.principal import Principal
from service.clock import local_day, now
from service.errors import Forbidden, Invalid
from service.exports.writers import XlsxSheet
from service.incidents import disclosures
from service.national_record import fields, repository

# One national-record file covers at most a year of decisions (the yearly report's period, with a leap day).
LONGEST_PERIOD = timedelta(days=366)
PERSONAL_FIELDS = (
    "violator.name",
    "violator.id_number",
    "violator.address",
    "violator.tax_code",
    "sanction.violator_birth_date",
    "sanction.violator_sex",
    "sanction.legal_representative",
)


class BadPeriod(Invalid):
    code = "national_record.bad_period"


class UnknownAgency(Invalid):
    code = "national_record.unknown_agency"


def period(decided_from: date | None, decided_to: date | None) -> tuple[date, date]:
    """The period asked for, the current year by default; refused when reversed or longer than a year."""
    today = local_day(now())
    start = decided_from or date(today.year, 1, 1)
    end = decided_to or max(start, min(today, date(start.year, 12, 31)))
    if end < start:
        raise BadPeriod(field="decided_to", days=LONGEST_PERIOD.days)
    if end - start >= LONGEST_PERIOD:
        raise BadPeriod(field="decided_from", days=LONGEST_PERIOD.days)
    return start, end


async def _agency_id(session: AsyncSession, principal: Principal, code: str | None) -> uuid.UUID | None:
    """The one agency a coordinator narrows to; another agency's decisions are refused to everyone else."""
    if code is None or code == principal.agency_code:
        return None if principal.sees_all_agencies and code is None else principal.agency_id
    if not principal.sees_all_agencies:
        raise Forbidden(field="agency")
    agency = await agencies.get_agency_by_code(session, code)
    if agency is None:
        raise UnknownAgency(field="agency", value=code)
    return agency.id


async def national_record(
    session: AsyncSession,
    principal: Principal,
    *,
    decided_from: date | None,
    decided_to: date | None,
    agency: str | None,
    format: str,
) -> NationalRecord:
    """The period's decisions in the reader's scope, oldest decided first; the read is recorded in the audit trail."""
    start, end = period(decided_from, decided_to)
    agency_id = await _agency_id(session, principal, agency)
    items = [fields.item(*row) for row in await repository.rows(session, principal, start, end, agency_id)]
    filters = {"decided_from": start, "decided_to": end, "agency": agency, "format": format}
    await disclosures.record_export(
        session, principal, view="export.national_record", fields=PERSONAL_FIELDS, filters=filters
    )
    return NationalRecord(field_set=FIELD_SET, decided_from=start, decided_to=end, generated_at=now(), items=items)


def _write_xlsx(items: list[NationalRecordItem]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="ipcoord-national-") as folder:
        path = Path(folder) / "record.xlsx"
        sheet = XlsxSheet(
            path,
            i18n.message("national_record.sheet"),
            [i18n.message(column.header) for column in fields.COLUMNS],
            [column.type for column in fields.COLUMNS],
        )
        sheet.write_rows(fields.row(item) for item in items)
        sheet.close()
        return path.read_bytes()


async def xlsx(record: NationalRecord) -> bytes:
    """The record as one XLSX sheet (Vietnamese headers), written off the event loop."""
    return await to_thread.run_sync(_write_xlsx, record.items)
