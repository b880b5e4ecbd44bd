"""Deadline rules as data an administrator versions: a new version ends the old one the day before it starts.

Nothing is overwritten: the old row keeps its limit and basis with a `valid_to`, the new row carries the new limit
and basis from `valid_from`. Open referrals' clocks are recomputed in the same transaction (each change logged
as a `deadline_recomputed` event, as for a calendar change).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from service.audit import service as audit
from service.auth.principal import Principal
from service.calendar import repository
from service.calendar.models import DeadlineRule
from service.calendar.service import Recompute
from service.calendar.workdays import HOURS, UNITS
from service.errors import Invalid, NotFound

VERSIONED_UNITS = (*UNITS, HOURS, "immediate")


class RuleNotFound(NotFound):
    code = "deadline_rule.not_found"


async def list_rules(session: AsyncSession) -> list[DeadlineRule]:
    """Every rule and version, by code then start of validity."""
    return await repository.all_rules(session)


async def new_version(
    session: AsyncSession,
    principal: Principal,
    rule_id: int,
    *,
    amount: int,
    unit: str,
    legal_basis: str,
    valid_from: date,
    recompute: Recompute,
) -> DeadlineRule:
    """A new version of a rule in force from `valid_from`; the version it replaces ends the day before."""
    current = await repository.locked_rule(session, rule_id)
    if current is None:
        raise RuleNotFound(field="rule")
    if current.unit == "pause" or unit not in VERSIONED_UNITS:
        raise Invalid(field="unit", unit=unit).with_code("deadline_rule.bad_unit")
    if amount < 0 or (amount == 0 and unit != "immediate"):
        raise Invalid(field="amount").with_code("deadline_rule.bad_amount")
    if valid_from <= current.valid_from or (current.valid_to is not None and current.valid_to < valid_from):
        raise Invalid(field="valid_from", since=current.valid_from.isoformat()).with_code(
            "deadline_rule.bad_valid_from"
        )
    current.valid_to = valid_from - timedelta(days=1)
    version = DeadlineRule(
        code=current.code,
        applies_to=current.applies_to,
        starts=current.starts,
        amount=amount,
        unit=unit,
        is_sla=current.is_sla,
        duty=current.duty,
        legal_basis=legal_basis,
        valid_from=valid_from,
        valid_to=None,
    )
    session.add(version)
    await session.flush()
    recomputed = await recompute(session, principal, valid_from)
    detail = {"amount": amount, "unit": unit, "legal_basis": legal_basis, "referrals": len(recomputed)}
    detail |= {"valid_from": valid_from.isoformat(), "replaces": current.id}
    await audit.record(
        session,
        "calendar.rule_versioned",
        principal,
        record_type="deadline_rule",
        record_ids=[current.code],
        detail=detail,
    )
    return version
