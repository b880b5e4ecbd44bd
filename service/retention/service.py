"""The retention sweep: anonymise the personal data of violators in closed cases past their rule (docs/retention.md).

The sweep walks the incidents not yet anonymised that occurred before the shortest rule's cutoff (no other incident
can be due), oldest first, in windows of ``RETENTION_BATCH``. Each window is one transaction: its incidents are
locked with ``FOR UPDATE SKIP LOCKED`` (an incident being corrected, or held by a second worker running the same
sweep, is skipped until the next run), what the rule needs about them and about every member of their linked cases
is read in SQL, ``service.retention.rules.due`` decides, and each due incident gets:

- its payload anonymised (``service.incidents.anonymise``) and its search text derived again from it;
- the personal values scrubbed out of its history's ``changes``: the one exception to "history is never updated";
- ``anonymised_at`` set and its version bumped;
- a history entry ``anonymised`` by the system (no actor), whose reason names the rule (class and years) and whose
  changes list the paths scrubbed, never the values.

Figures are untouched: kind, status, agency, units, dates, goods lines, values, crime signs, sanction decisions and
referrals. Already anonymised incidents are never selected again, so running the sweep twice changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service import i18n
from service.calendar.repository import load_calendar
from service.clock import local_day
from service.db import transaction
from service.incidents import repository
from service.incidents.anonymise import anonymise_payload, history_personal_values, personal_values, scrub_changes
from service.incidents.models import Incident
from service.incidents.service import search_text
from service.retention import repository as retention
from service.retention.rules import (
    ANONYMISED_ACTION,
    Due,
    RetentionRules,
    due,
    years_before,
)

log = logging.getLogger("ipcoord.retention")


@dataclass
class SweepReport:
    """How many incidents were (or, in a dry run, would be) anonymised, per record class."""

    dry_run: bool
    by_class: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """Incidents of every class."""
        return sum(self.by_class.values())


def reason(decision: Due) -> str:
    """The history entry's reason, in both languages: the rule (class and years) and the case's last activity."""
    code = "retention.reason.linked" if decision.linked else "retention.reason"
    vi, en = i18n.both(
        code,
        record_class=decision.rule_class,
        years=decision.years,
        last=local_day(decision.last_activity).strftime("%d/%m/%Y"),
    )
    return f"{vi} / {en}"


async def anonymise_incident(session: AsyncSession, incident: Incident, decision: Due, moment: datetime) -> None:
    """Anonymise one locked incident and its history, and record it (in the caller's transaction)."""
    events = await repository.list_events(session, incident.id)
    personal = personal_values(incident.payload)
    for event in events:
        personal |= history_personal_values(event.changes)
    payload, changed = anonymise_payload(incident.payload)
    scrubbed_entries = 0
    for event in events:
        scrubbed = scrub_changes(event.action, event.changes, personal)
        if scrubbed != event.changes:
            event.changes = scrubbed  # the one update history ever gets: personal data past its retention
            scrubbed_entries += 1
    scrubbed_decisions = await retention.scrub_sanctions(session, incident.id)
    incident.payload = payload
    incident.search_text = search_text(payload)
    incident.anonymised_at = moment
    incident.version += 1
    await repository.add_event(
        session,
        incident,
        action=ANONYMISED_ACTION,
        actor_id=None,
        reason=reason(decision),
        changes={
            "anonymised_fields": changed,
            "anonymised_history_entries": scrubbed_entries,
            "anonymised_sanction_decisions": scrubbed_decisions,
        },
    )


async def anonymise_due(
    sessions: async_sessionmaker[AsyncSession],
    rules: RetentionRules,
    moment: datetime,
    *,
    batch: int,
    dry_run: bool = False,
) -> SweepReport:
    """Anonymise every incident due at `moment`, one transaction per window of `batch` (a dry run changes nothing)."""
    report = SweepReport(dry_run=dry_run)
    cutoff = years_before(moment, rules.shortest)
    after: tuple[datetime, uuid.UUID] | None = None
    async with sessions() as session:
        work_calendar = await load_calendar(session)
    while True:
        async with transaction(sessions, keep=not dry_run) as session:
            window = await retention.window(session, cutoff, after, batch, lock=not dry_run)
            facts = await retention.load_facts(session, [incident.id for incident in window])
            decisions = {decision.id: decision for decision in due(facts, rules, moment, work_calendar)}
            for incident in window:
                decision = decisions.get(incident.id)
                if decision is None:
                    continue
                if not dry_run:
                    await anonymise_incident(session, incident, decision, moment)
                report.by_class[decision.record_class] += 1
        if len(window) < batch:
            break
        after = (window[-1].occurred_at, window[-1].id)
    if report.total:
        log.info("retention %s %s", "would anonymise" if dry_run else "anonymised", dict(report.by_class))
    return report
