"""Linking incidents as one case, taking one out, dismissing a flag: coordinators' decisions, all kept.

Every change of an incident's case is an entry of that incident's history (``linked`` / ``unlinked``, who, when,
why, the old and new case); flags between the members of a case are closed as ``linked``; a dismissed flag keeps
who dismissed it and why. Nothing is deleted: a case emptied by unlinking stays as a record.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.cases import DismissIn, LinkIn, UnlinkIn
from schemas.codes import WITHDRAWN
from service.auth.principal import Principal
from service.cases import repository as cases
from service.cases.models import DuplicateFlag, LinkedCase
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.incidents import repository
from service.incidents.models import Incident


class CaseNotFound(NotFound):
    code = "case.not_found"


class FlagNotFound(NotFound):
    code = "case.flag_not_found"


def require_coordinator(principal: Principal) -> None:
    if not principal.sees_all_agencies:
        raise Forbidden()


async def _locked_incidents(session: AsyncSession, ids: list[uuid.UUID]) -> list[Incident]:
    found = await cases.locked_incidents(session, ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise Invalid(field="incident_ids", ids=", ".join(missing)).with_code("case.incident_unknown", status=422)
    withdrawn = [str(i.id) for i in found.values() if i.status == WITHDRAWN]
    if withdrawn:
        raise Invalid(field="incident_ids", ids=", ".join(withdrawn)).with_code("case.incident_withdrawn", status=422)
    return list(found.values())


async def _move(
    session: AsyncSession, incident: Incident, case_id: uuid.UUID | None, actor: uuid.UUID, reason: str
) -> None:
    old = incident.case_id
    incident.case_id = case_id
    action = "linked" if case_id is not None else "unlinked"
    changes = {"case_id": {"old": str(old) if old else None, "new": str(case_id) if case_id else None}}
    await repository.add_event(session, incident, action=action, actor_id=actor, reason=reason, changes=changes)


async def _close_flags(
    session: AsyncSession, ids: list[uuid.UUID], status: str, principal: Principal, reason: str
) -> None:
    """Open flags between these incidents take the decision."""
    await cases.decide_open_flags_between(session, ids, status, principal.user_id, reason)


async def link(session: AsyncSession, principal: Principal, data: LinkIn) -> LinkedCase:
    """One case of these incidents and of every case one of them already belongs to (the oldest case is kept)."""
    require_coordinator(principal)
    ids = sorted(set(data.incident_ids))
    if len(ids) < 2:
        raise Invalid(field="incident_ids").with_code("case.too_few")
    chosen = await _locked_incidents(session, ids)
    existing = {i.case_id for i in chosen if i.case_id is not None}
    members = {i.id: i for i in [*chosen, *await cases.locked_members(session, existing)]}
    if len(existing) == 1 and all(i.case_id in existing for i in chosen):
        raise Conflict(field="incident_ids").with_code("case.already_linked")
    if existing:
        case = min(await cases.cases_by_id(session, existing), key=lambda c: (c.created_at, c.id))
    else:
        case = LinkedCase(created_by_id=principal.user_id)
        session.add(case)
        await session.flush()
    for incident in members.values():
        if incident.case_id != case.id:
            await _move(session, incident, case.id, principal.user_id, data.reason)
    await _close_flags(session, list(members), "linked", principal, data.reason)
    await session.flush()
    return case


async def unlink(session: AsyncSession, principal: Principal, case_id: uuid.UUID, data: UnlinkIn) -> LinkedCase:
    """Take one incident out of its case; a case left with one incident is dissolved (both entries kept)."""
    require_coordinator(principal)
    case = await cases.get_case(session, case_id)
    if case is None:
        raise CaseNotFound()
    members = await cases.locked_members(session, {case_id})
    leaving = next((i for i in members if i.id == data.incident_id), None)
    if leaving is None:
        raise Invalid(field="incident_id").with_code("case.not_a_member", status=422)
    remaining = [i for i in members if i.id != leaving.id]
    await _move(session, leaving, None, principal.user_id, data.reason)
    if len(remaining) == 1:
        await _move(session, remaining[0], None, principal.user_id, data.reason)
    # The pair is not one case: flags between the leaver and the others are dismissed with the same reason.
    others = [i.id for i in remaining]
    await cases.dismiss_flags_with(session, leaving.id, others, principal.user_id, data.reason)
    await session.flush()
    return case


async def dismiss(session: AsyncSession, principal: Principal, flag_id: int, data: DismissIn) -> DuplicateFlag:
    """Not one case: the flag closes with the reason and is not raised again for this pair."""
    require_coordinator(principal)
    flag = await cases.get_flag(session, flag_id, for_update=True)
    if flag is None:
        raise FlagNotFound()
    if flag.status != "open":
        raise Conflict(field="status", status=flag.status).with_code("case.flag_decided")
    flag.status = "dismissed"
    flag.decided_by_id = principal.user_id
    flag.decided_at = datetime.now(UTC)
    flag.decision_reason = data.reason
    await session.flush()
    return flag
